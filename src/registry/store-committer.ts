/**
 * The committer (controllers/committer.ts) over the generic store, for the controllers that run
 * inside the server (namespace lifecycle, API bindings): their writes take the same path as an
 * API request's (strategy, admission, managed fields, the status split), and the merge patch's
 * resourceVersion precondition turns a write based on a stale read into a 409 the queue retries.
 */
import { newCommitter, type CommitFunc, type PatchFunc } from '../controllers/committer.js';
import { applyMergePatch } from '../controllers/merge-patch.js';
import type { KubeObject } from '../storage/types.js';
import type { GenericStore, RequestScope } from './generic-store.js';
import type { ResourceDef } from './types.js';

export interface StoreCommitterDeps {
  generic: GenericStore;
  /** The definition the object is written through, in its cluster; undefined when not served there. */
  defOf(obj: KubeObject): ResourceDef | undefined;
  /** The request scope of a write to `obj` (the controller's own system user). */
  scopeOf(obj: KubeObject): RequestScope;
}

export function committerForStore(d: StoreCommitterDeps): CommitFunc {
  const patchWith = (subresource: string): PatchFunc => async (obj, mergePatch) => {
    const def = d.defOf(obj);
    if (!def) throw new Error(`${obj.kind ?? 'object'} ${obj.metadata.name} is not served in its workspace`);
    const { object } = await d.generic.patch(d.scopeOf(obj), def, obj.metadata.name!, subresource,
      async (live) => ({ object: applyMergePatch(live, mergePatch) as KubeObject }), { allowCreate: false });
    return object;
  };
  return newCommitter({ patch: patchWith(''), patchStatus: patchWith('status') });
}

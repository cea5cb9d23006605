/**
 * kcp's committer: a reconcile mutates a copy of the object, and `commit(old, new)` writes what
 * changed as JSON merge patches — metadata+spec (everything but status) to the object, status to
 * the `status` subresource. Equal → no request. Both changed in one pass → a programmer error:
 * a reconcile must change one or the other, so that a status write can never silently drop a
 * spec change (the subresource ignores it) and vice versa.
 *
 * Each patch carries `metadata.resourceVersion` (and uid) of `old`, so a write based on a stale
 * read fails with 409 Conflict and the queue retries it against fresh state.
 *
 * Where the patches go is injected: over the API (client-committer.ts) for the reconcilers and
 * syncers, over the generic store (registry/store-committer.ts) for the server's own controllers.
 */
import type { KubeObject } from '../apis/object.js';
import { createMergePatch } from './merge-patch.js';

export type PatchFunc = (obj: KubeObject, mergePatch: Record<string, unknown>) => Promise<unknown>;

export interface CommitterFuncs {
  /** Apply a merge patch to the object (metadata + spec). */
  patch: PatchFunc;
  /** Apply a merge patch to the object's status subresource. */
  patchStatus: PatchFunc;
}

/** Resolves to the server's answer to the write (for a read-your-writes cache), undefined when nothing changed. */
export type CommitFunc = (oldObj: KubeObject, newObj: KubeObject) => Promise<KubeObject | undefined>;

export function newCommitter(funcs: CommitterFuncs): CommitFunc {
  return async (oldObj, newObj) => {
    const { status: oldStatus, ...oldRest } = oldObj;
    const { status: newStatus, ...newRest } = newObj;
    const specPatch = createMergePatch(oldRest, newRest) as Record<string, unknown> | undefined;
    const statusPatch = createMergePatch(oldStatus, newStatus);
    if (specPatch && statusPatch !== undefined) {
      throw new Error(
        `programmer error: metadata/spec and status of ${describe(oldObj)} changed in the same reconcile; commit them separately`,
      );
    }
    if (specPatch) return written(await funcs.patch(oldObj, withPreconditions(specPatch, oldObj)));
    if (statusPatch !== undefined) return written(await funcs.patchStatus(oldObj, withPreconditions({ status: statusPatch }, oldObj)));
    return undefined;
  };
}

function written(answer: unknown): KubeObject | undefined {
  const obj = answer as KubeObject | undefined;
  return obj && typeof obj === 'object' && obj.metadata ? obj : undefined;
}

function withPreconditions(patch: Record<string, unknown>, oldObj: KubeObject): Record<string, unknown> {
  const metadata = { ...(patch.metadata as Record<string, unknown> | undefined) };
  if (oldObj.metadata.resourceVersion) metadata.resourceVersion = oldObj.metadata.resourceVersion;
  if (oldObj.metadata.uid) metadata.uid = oldObj.metadata.uid;
  return { ...patch, metadata };
}

function describe(obj: KubeObject): string {
  const ns = obj.metadata.namespace ? `${obj.metadata.namespace}/` : '';
  return `${obj.kind ?? 'object'} ${ns}${obj.metadata.name}`;
}

/**
 * Writes what a reconcile changed, through the shared committer (controllers/committer.ts), in at
 * most two merge patches: spec (the unreachable taint) first, then status. The shared committer
 * refuses to write both in one pass — a status write would silently drop a spec change — so the
 * spec is committed alone and the status patch is then based on the object the spec patch
 * returned (its resourceVersion is the precondition). Nothing changed → no request.
 */
import type { ClusterRegistration } from '../../apis/tmc/index.js';
import { newCommitter, type PatchFunc } from '../../controllers/committer.js';
import type { KubeObject } from '../../client/types.js';

export interface RegistrationPatchers {
  /** Merge-patch the object (metadata + spec); resolves with the updated object. */
  patch: (obj: KubeObject, mergePatch: Record<string, unknown>) => Promise<KubeObject>;
  /** Merge-patch the status subresource. */
  patchStatus: PatchFunc;
}

export type RegistrationCommitFunc = (oldObj: ClusterRegistration, newObj: ClusterRegistration) => Promise<void>;

export function registrationCommitter(patchers: RegistrationPatchers): RegistrationCommitFunc {
  return async (oldObj, newObj) => {
    let afterSpec = oldObj as KubeObject;
    const specCommit = newCommitter({
      patch: async (obj, p) => { afterSpec = await patchers.patch(obj, p); },
      patchStatus: async () => { throw new Error('programmer error: status changed in the spec pass'); },
    });
    await specCommit(oldObj as KubeObject, { ...(newObj as KubeObject), status: oldObj.status });

    const statusCommit = newCommitter({
      patch: async () => { throw new Error('programmer error: spec changed in the status pass'); },
      patchStatus: patchers.patchStatus,
    });
    const base = { ...afterSpec, status: oldObj.status } as KubeObject;
    await statusCommit(base, { ...base, status: newObj.status });
  };
}

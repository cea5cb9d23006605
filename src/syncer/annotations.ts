/**
 * The syncer's own downstream markers, beside the shared contract in apis/contract.ts. They let a
 * syncer find an object's upstream from the downstream side alone (restart, drift, orphan sweep).
 */

/** Downstream: `{"workspace","namespace","name"}` of the upstream object this one was synced from. */
export const UPSTREAM_ANNOTATION = 'tmc.kcp.io/upstream';
/** Downstream: the upstream metadata.generation the applied spec came from (observedGeneration mapping). */
export const UPSTREAM_GENERATION_ANNOTATION = 'tmc.kcp.io/upstream-generation';
/** Downstream: hash of the desired object, so a removal upstream (which a subset check cannot see) re-applies. */
export const DESIRED_HASH_ANNOTATION = 'tmc.kcp.io/desired-hash';
/** Downstream label on ConfigMaps/Secrets that travel with a pod template (swept when unreferenced). */
export const DEPENDENCY_LABEL = 'tmc.kcp.io/dependency';
/** Field manager of every downstream server-side apply. */
export const FIELD_MANAGER = 'tmc-syncer';

export interface UpstreamIdentity {
  workspace: string;
  namespace: string;
  name: string;
}

export function parseUpstreamIdentity(value: string | undefined): UpstreamIdentity | undefined {
  if (!value) return undefined;
  try {
    const v = JSON.parse(value) as Partial<UpstreamIdentity>;
    if (typeof v.workspace === 'string' && typeof v.namespace === 'string' && typeof v.name === 'string') {
      return { workspace: v.workspace, namespace: v.namespace, name: v.name };
    }
  } catch {
    // a hand-edited annotation: treat the object as unidentified
  }
  return undefined;
}

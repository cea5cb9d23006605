/**
 * The per-cluster override: annotation `spec-diff.tmc.kcp.io/<key>` holds an RFC 6902 JSON patch
 * rooted at the object (`/spec/replicas`), written by placement (replica shares, overrides).
 * fast-json-patch validates every operation as it applies it to a copy, so a bad patch is
 * rejected as a whole and the object is never half-patched.
 */
import jsonpatch from 'fast-json-patch';
import { specDiffAnnotation } from '../../apis/contract.js';
import type { KubeObject } from '../../client/types.js';
import { SyncFailure } from '../conditions.js';
import { cloneValue } from '../../machinery/objects.js';

/** Parses the spec-diff for `clusterKey` (undefined when absent); a malformed one is a SyncFailure. */
export function specDiffOf(upstreamObj: KubeObject, clusterKey: string): jsonpatch.Operation[] | undefined {
  const raw = upstreamObj.metadata?.annotations?.[specDiffAnnotation(clusterKey)];
  if (raw === undefined || raw.trim() === '') return undefined;
  let ops: unknown;
  try {
    ops = JSON.parse(raw);
  } catch (err) {
    throw new SyncFailure('InvalidSpecDiff', `${specDiffAnnotation(clusterKey)} is not JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(ops)) throw new SyncFailure('InvalidSpecDiff', `${specDiffAnnotation(clusterKey)} must be a JSON array of RFC 6902 operations`);
  return ops as jsonpatch.Operation[];
}

/** Applies `ops` to a copy of `obj`; any invalid operation (bad path, failed test) is a SyncFailure. */
export function applySpecDiff<T extends KubeObject>(obj: T, ops: jsonpatch.Operation[]): T {
  // each operation is validated as it is applied, to a copy, so a bad one leaves nothing
  // half-patched; jsonpatch.validate() first would copy the object with JSON.stringify, which
  // overflows on objects nested thousands of levels deep
  try {
    return jsonpatch.applyPatch(cloneValue(obj), ops, true, true, true).newDocument;
  } catch (err) {
    const e = err as jsonpatch.JsonPatchError;
    if (e instanceof jsonpatch.JsonPatchError) {
      throw new SyncFailure('InvalidSpecDiff', `spec-diff operation ${e.index ?? '?'} (${e.operation?.op ?? '?'} ${e.operation?.path ?? ''}): ${e.name}`);
    }
    throw new SyncFailure('InvalidSpecDiff', `spec-diff: ${(err as Error).message}`);
  }
}

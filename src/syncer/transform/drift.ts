/**
 * Does the downstream object still hold what the syncer applied? The physical cluster adds
 * defaults and status, so "holds" is containment: every field of the desired object is present
 * with the same value (arrays element by element, same length). Removals upstream are caught by the
 * desired-hash annotation instead, which containment cannot see.
 */
import type { KubeObject } from '../../client/types.js';
import { DESIRED_HASH_ANNOTATION } from '../annotations.js';

export function contains(actual: unknown, desired: unknown): boolean {
  // pairs still to check, on an explicit stack: synced objects may be 10 000 levels deep
  const pending: unknown[] = [actual, desired];
  while (pending.length) {
    const d = pending.pop();
    const a = pending.pop();
    if (d === undefined) continue;
    // A null in the desired body means "unset" to the API server: absent downstream is a match.
    if (d === null) { if (a === null || a === undefined) continue; return false; }
    if (typeof d !== 'object') { if (a === d) continue; return false; }
    if (Array.isArray(d)) {
      if (!Array.isArray(a) || a.length !== d.length) return false;
      for (let i = 0; i < d.length; i++) pending.push(a[i], d[i]);
      continue;
    }
    if (a === undefined && Object.keys(d).length === 0) continue;
    if (!a || typeof a !== 'object' || Array.isArray(a)) return false;
    const ao = a as Record<string, unknown>;
    for (const [k, v] of Object.entries(d as Record<string, unknown>)) pending.push(Object.hasOwn(ao, k) ? ao[k] : undefined, v);
  }
  return true;
}

/** True when `downstreamObj` needs a (re-)apply to match `desired`. */
export function needsApply(downstreamObj: KubeObject | undefined, desired: KubeObject): boolean {
  if (!downstreamObj) return true;
  const hash = desired.metadata?.annotations?.[DESIRED_HASH_ANNOTATION];
  if (downstreamObj.metadata?.annotations?.[DESIRED_HASH_ANNOTATION] !== hash) return true;
  const { metadata: dm, ...desiredBody } = desired;
  const { metadata: am, ...actualBody } = downstreamObj;
  return !contains(actualBody, desiredBody)
    || !contains(am?.labels ?? {}, dm?.labels ?? {})
    || !contains(am?.annotations ?? {}, dm?.annotations ?? {});
}

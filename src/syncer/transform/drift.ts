/**
 * Does the downstream object still hold what the syncer applied? The physical cluster adds
 * defaults and status, so "holds" is containment: every field of the desired object is present
 * with the same value (arrays element by element, same length). Removals upstream are caught by the
 * desired-hash annotation instead, which containment cannot see.
 */
import type { KubeObject } from '../../client/types.js';
import { DESIRED_HASH_ANNOTATION } from '../annotations.js';

export function contains(actual: unknown, desired: unknown): boolean {
  if (desired === undefined) return true;
  // A null in the desired body means "unset" to the API server: absent downstream is a match.
  if (desired === null) return actual === null || actual === undefined;
  if (typeof desired !== 'object') return actual === desired;
  if (Array.isArray(desired)) {
    return Array.isArray(actual) && actual.length === desired.length && desired.every((d, i) => contains(actual[i], d));
  }
  if (actual === undefined && Object.keys(desired).length === 0) return true;
  if (!actual || typeof actual !== 'object' || Array.isArray(actual)) return false;
  const a = actual as Record<string, unknown>;
  return Object.entries(desired as Record<string, unknown>).every(([k, v]) => contains(a[k], v));
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

/**
 * Deep equality of JSON objects, used to skip no-op updates (kube does not bump the revision or
 * emit an event when an update changes nothing). `undefined`-valued keys count as absent, because
 * they vanish when the object is stored as JSON.
 */

export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  let aCount = 0;
  for (const k in ao) {
    if (ao[k] === undefined) continue;
    aCount++;
    if (!Object.prototype.hasOwnProperty.call(bo, k) || !jsonEqual(ao[k], bo[k])) return false;
  }
  let bCount = 0;
  for (const k in bo) if (bo[k] !== undefined) bCount++;
  return aCount === bCount;
}

/** Equal apart from metadata.resourceVersion (which the store owns). */
export function equalIgnoringResourceVersion(
  a: { metadata?: Record<string, unknown> }, b: { metadata?: Record<string, unknown> },
): boolean {
  const am = { ...(a.metadata ?? {}), resourceVersion: undefined };
  const bm = { ...(b.metadata ?? {}), resourceVersion: undefined };
  return jsonEqual({ ...a, metadata: am }, { ...b, metadata: bm });
}

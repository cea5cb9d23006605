/**
 * Deep equality of JSON objects, used to skip no-op updates (kube does not bump the revision or
 * emit an event when an update changes nothing). `undefined`-valued keys count as absent, because
 * they vanish when the object is stored as JSON.
 */

export function jsonEqual(a: unknown, b: unknown): boolean {
  return equalWithin(a, b, RECURSION_BUDGET);
}

/**
 * Recursion down to RECURSION_BUDGET levels (the fast path), then the rest of the subtree on an
 * explicit stack: documents may be 10 000 levels deep.
 */
const RECURSION_BUDGET = 500;

function equalWithin(a: unknown, b: unknown, budget: number): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (budget === 0) return equalIteratively(a, b);
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equalWithin(a[i], b[i], budget - 1)) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  let aCount = 0;
  for (const k in ao) {
    if (ao[k] === undefined) continue;
    aCount++;
    if (!Object.prototype.hasOwnProperty.call(bo, k) || !equalWithin(ao[k], bo[k], budget - 1)) return false;
  }
  let bCount = 0;
  for (const k in bo) if (bo[k] !== undefined) bCount++;
  return aCount === bCount;
}

/** jsonEqual on an explicit stack of pairs still to compare. */
function equalIteratively(a: unknown, b: unknown): boolean {
  const pending: unknown[] = [a, b];
  while (pending.length) {
    const y = pending.pop();
    const x = pending.pop();
    if (x === y) continue;
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
    if (Array.isArray(x)) {
      if (!Array.isArray(y) || x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) pending.push(x[i], y[i]);
      continue;
    }
    if (Array.isArray(y)) return false;
    const xo = x as Record<string, unknown>;
    const yo = y as Record<string, unknown>;
    let xCount = 0;
    for (const k in xo) {
      if (xo[k] === undefined) continue;
      xCount++;
      if (!Object.prototype.hasOwnProperty.call(yo, k)) return false;
      pending.push(xo[k], yo[k]);
    }
    let yCount = 0;
    for (const k in yo) if (yo[k] !== undefined) yCount++;
    if (xCount !== yCount) return false;
  }
  return true;
}

/** Equal apart from metadata.resourceVersion (which the store owns). */
export function equalIgnoringResourceVersion(
  a: { metadata?: Record<string, unknown> }, b: { metadata?: Record<string, unknown> },
): boolean {
  const am = { ...(a.metadata ?? {}), resourceVersion: undefined };
  const bm = { ...(b.metadata ?? {}), resourceVersion: undefined };
  return jsonEqual({ ...a, metadata: am }, { ...b, metadata: bm });
}

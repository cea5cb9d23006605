/**
 * RFC 7386 JSON merge patch, and its inverse: a patch that turns one document into another
 * (useful to controllers that want to send only what they changed).
 */
import { malformedPatch } from './patch-errors.js';
import { deepClone, isObject, jsonEqual } from './json-value.js';

/** Applies `patch` to a copy of `target`: objects merge, `null` deletes, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return deepClone(patch);
  const out: Record<string, unknown> = isObject(target) ? deepClone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (v !== undefined) out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** The PATCH handler's form: the body must be a JSON object (kube: "Invalid JSON Patch", 400). */
export function applyMergePatch<T extends Record<string, unknown>>(obj: T, patch: unknown): T {
  if (!isObject(patch)) throw malformedPatch('Invalid JSON Patch');
  return mergePatch(obj, patch) as T;
}

/**
 * A merge patch p with mergePatch(a, p) equal to b. Keys that vanish become null; changed objects
 * recurse; other changes carry b's value. A null *value* inside b cannot be expressed by a merge
 * patch (null means delete), so b should not contain nulls in objects.
 */
export function createMergePatch(a: unknown, b: unknown): unknown {
  if (!isObject(a) || !isObject(b)) return deepClone(b);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(a)) {
    if (a[k] !== undefined && (b[k] === undefined)) out[k] = null;
  }
  for (const [k, bv] of Object.entries(b)) {
    if (bv === undefined) continue;
    const av = a[k];
    if (av !== undefined && jsonEqual(av, bv)) continue;
    out[k] = isObject(av) && isObject(bv) ? createMergePatch(av, bv) : deepClone(bv);
  }
  return out;
}

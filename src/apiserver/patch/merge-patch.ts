/**
 * RFC 7386 JSON merge patch, and its inverse: a patch that turns one document into another
 * (useful to controllers that want to send only what they changed).
 */
import { malformedPatch } from './patch-errors.js';
import { runWalk, type Walk } from '../../machinery/deep-walk.js';
import { deepClone, isObject, jsonEqual, setOwn } from './json-value.js';

/**
 * Applies `patch` to a copy of `target`: objects merge, `null` deletes, anything else replaces.
 * The target is copied once and merged into in place, level by level from an explicit stack: the
 * recursive form re-copied each subtree at every level below it (quadratic in the depth) and
 * overflowed the call stack on deep input.
 */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return deepClone(patch);
  const root: Record<string, unknown> = isObject(target) ? deepClone(target) : {};
  const stack: Array<[into: Record<string, unknown>, patch: Record<string, unknown>]> = [[root, patch]];
  while (stack.length) {
    const [out, p] = stack.pop()!;
    for (const k of Object.keys(p)) {
      const v = p[k];
      if (v === null) delete out[k];
      else if (v === undefined) continue;
      else if (isObject(v)) {
        // a patch object merges into what is there, or into {} (dropping its own nulls)
        const cur = Object.hasOwn(out, k) ? out[k] : undefined;
        const into: Record<string, unknown> = isObject(cur) ? cur : {};
        setOwn(out, k, into);
        stack.push([into, v]);
      } else {
        setOwn(out, k, deepClone(v));
      }
    }
  }
  return root;
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
  return runWalk(mergePatchBetween(a, b));
}

// a walk (machinery/deep-walk.ts): both documents may be 10 000 levels deep
function* mergePatchBetween(a: unknown, b: unknown): Walk<unknown> {
  if (!isObject(a) || !isObject(b)) return deepClone(b);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(a)) {
    if (a[k] !== undefined && (b[k] === undefined || !Object.hasOwn(b, k))) setOwn(out, k, null);
  }
  for (const [k, bv] of Object.entries(b)) {
    if (bv === undefined) continue;
    const av = Object.hasOwn(a, k) ? a[k] : undefined;
    if (isObject(av) && isObject(bv)) {
      // an empty sub-patch means equal: comparing first as well was quadratic in the depth
      const sub = (yield mergePatchBetween(av, bv)) as Record<string, unknown>;
      if (Object.keys(sub).length) setOwn(out, k, sub);
      continue;
    }
    if (av !== undefined && jsonEqual(av, bv)) continue;
    setOwn(out, k, deepClone(bv));
  }
  return out;
}

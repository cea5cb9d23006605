/**
 * RFC 7386 JSON merge patch from two documents: objects recurse, a removed key becomes null,
 * anything else (arrays included — merge patch cannot address elements) is replaced whole.
 */

import { runWalk, type Walk } from '../machinery/deep-walk.js';
import { deepClone, deepEqual, isPlainObject, setOwn } from '../machinery/objects.js';

// The same semantics as the local copies these replaced (own keys; undefined-valued keys count as
// absent; arrays element-wise), so re-exported for the syncer's existing imports.
export { deepEqual, isPlainObject };

type Json = unknown;

/** The merge patch turning `from` into `to`; `undefined` when they are equal. */
export function createMergePatch(from: Json, to: Json): Json | undefined {
  return runWalk(patchBetween(from, to));
}

// walks (machinery/deep-walk.ts): objects may be 10 000 levels deep
function* patchBetween(from: Json, to: Json): Walk<Json | undefined> {
  if (!isPlainObject(from) || !isPlainObject(to)) {
    if (deepEqual(from, to)) return undefined;
    return to === undefined ? null : to;
  }
  // objects: an empty patch means equal (comparing each level first was quadratic in the depth)
  const patch: Record<string, unknown> = {};
  let changed = false;
  for (const key of Object.keys(from)) {
    if (from[key] !== undefined && (!Object.hasOwn(to, key) || to[key] === undefined)) { setOwn(patch, key, null); changed = true; }
  }
  for (const key of Object.keys(to)) {
    if (to[key] === undefined) continue;
    const sub: Json | undefined = yield patchBetween(Object.hasOwn(from, key) ? from[key] : undefined, to[key]);
    if (sub !== undefined) { setOwn(patch, key, sub); changed = true; }
  }
  return changed ? patch : undefined;
}

/** Applies a merge patch to a copy of `target`: objects merge, null deletes, anything else replaces. */
export function applyMergePatch(target: Json, patch: Json): Json {
  return runWalk(applyPatch(target, patch));
}

function* applyPatch(target: Json, patch: Json): Walk<Json> {
  if (!isPlainObject(patch)) return deepClone(patch);
  const out: Record<string, unknown> = {};
  if (isPlainObject(target)) for (const k of Object.keys(target)) setOwn(out, k, target[k]);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else if (value !== undefined) setOwn(out, key, yield applyPatch(Object.hasOwn(out, key) ? out[key] : undefined, value));
  }
  return out;
}

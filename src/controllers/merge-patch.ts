/**
 * RFC 7386 JSON merge patch from two documents: objects recurse, a removed key becomes null,
 * anything else (arrays included — merge patch cannot address elements) is replaced whole.
 */

import { deepEqual, isPlainObject } from '../machinery/objects.js';

// The same semantics as the local copies these replaced (own keys; undefined-valued keys count as
// absent; arrays element-wise), so re-exported for the syncer's existing imports.
export { deepEqual, isPlainObject };

type Json = unknown;

/** The merge patch turning `from` into `to`; `undefined` when they are equal. */
export function createMergePatch(from: Json, to: Json): Json | undefined {
  if (deepEqual(from, to)) return undefined;
  if (!isPlainObject(from) || !isPlainObject(to)) return to === undefined ? null : to;
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(from)) {
    if (from[key] !== undefined && to[key] === undefined) patch[key] = null;
  }
  for (const key of Object.keys(to)) {
    if (to[key] === undefined) continue;
    const sub = createMergePatch(from[key], to[key]);
    if (sub !== undefined) patch[key] = sub;
  }
  return patch;
}

/** Applies a merge patch to a copy of `target`: objects merge, null deletes, anything else replaces. */
export function applyMergePatch(target: Json, patch: Json): Json {
  if (!isPlainObject(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else if (value !== undefined) out[key] = applyMergePatch(out[key], value);
  }
  return out;
}

/**
 * Deep equality of JSON objects, used to skip no-op updates (kube does not bump the revision or
 * emit an event when an update changes nothing). `undefined`-valued keys count as absent, because
 * they vanish when the object is stored as JSON.
 */

import { deepEqual } from '../machinery/objects.js';

/** The one deep equality (machinery's), under the name the store and patch code use. */
export const jsonEqual = deepEqual;

/** Equal apart from metadata.resourceVersion (which the store owns). */
export function equalIgnoringResourceVersion(
  a: { metadata?: Record<string, unknown> }, b: { metadata?: Record<string, unknown> },
): boolean {
  const am = { ...(a.metadata ?? {}), resourceVersion: undefined };
  const bm = { ...(b.metadata ?? {}), resourceVersion: undefined };
  return jsonEqual({ ...a, metadata: am }, { ...b, metadata: bm });
}

/**
 * Preconditions on update and delete, and the other checks every backend applies the same way
 * before it writes.
 */
import { badRequest, conflict, OBJECT_MODIFIED } from '../errors/status.js';
import { groupResourceOf } from './keys.js';
import type { KubeObject, ObjectKey, Preconditions } from './types.js';

/** Conflict (409) when the stored object is not the one the caller's preconditions describe. */
export function checkPreconditions(key: ObjectKey, current: KubeObject, pre: Preconditions | undefined): void {
  if (!pre) return;
  const gr = groupResourceOf(key.resource);
  if (pre.uid !== undefined && pre.uid !== '' && pre.uid !== current.metadata.uid) {
    throw conflict(gr, key.name,
      `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid ?? ''}`);
  }
  if (pre.resourceVersion !== undefined && pre.resourceVersion !== ''
    && pre.resourceVersion !== current.metadata.resourceVersion) {
    throw conflict(gr, key.name, OBJECT_MODIFIED);
  }
}

/** The store writes JSON objects with a metadata object; anything else is a caller bug → 400. */
export function assertStorable(obj: unknown, key: ObjectKey): asserts obj is KubeObject {
  if (!key.name || !key.resource || !key.cluster || key.cluster === '*') {
    throw badRequest(`cannot store an object without a cluster, resource and name (got ${JSON.stringify(key)})`);
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    throw badRequest(`cannot store ${key.resource} "${key.name}": not a JSON object`);
  }
  const meta = (obj as { metadata?: unknown }).metadata;
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) {
    throw badRequest(`cannot store ${key.resource} "${key.name}": metadata must be an object`);
  }
}

/** A shallow copy with the store-owned revision written into metadata. */
export function withResourceVersion(obj: KubeObject, rv: number | string): KubeObject {
  return { ...obj, metadata: { ...obj.metadata, resourceVersion: String(rv) } };
}

export function isPromiseLike<T>(v: T | Promise<T>): v is Promise<T> {
  return typeof (v as { then?: unknown } | null)?.then === 'function';
}

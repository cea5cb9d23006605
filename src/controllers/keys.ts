/**
 * Queue keys, kcp style: `cluster|namespace/name`, or `cluster|name` for cluster-scoped objects;
 * the cluster (from the `kcp.io/cluster` annotation) is '' outside kcp.
 */
import { clusterOf } from '../apis/contract.js';
import type { KubeObject } from '../apis/object.js';
import { TerminalError } from './reconcile.js';

export interface ObjectRef {
  cluster: string;
  namespace: string;
  name: string;
}

export function keyFor(obj: KubeObject): string {
  return keyOf({ cluster: clusterOf(obj), namespace: obj.metadata?.namespace ?? '', name: obj.metadata?.name ?? '' });
}

export function keyOf(ref: ObjectRef): string {
  return `${ref.cluster}|${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

/** Parses a key; a malformed one is a TerminalError (retrying cannot fix it). */
export function splitKey(key: string): ObjectRef {
  const bar = key.indexOf('|');
  const cluster = bar >= 0 ? key.slice(0, bar) : '';
  const rest = bar >= 0 ? key.slice(bar + 1) : key;
  const parts = rest.split('/');
  if (parts.length > 2 || parts.some((p) => p === '')) throw new TerminalError(`malformed queue key "${key}"`);
  return parts.length === 2
    ? { cluster, namespace: parts[0], name: parts[1] }
    : { cluster, namespace: '', name: parts[0] };
}

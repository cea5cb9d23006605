/**
 * etcd key layout, as Kubernetes and kcp lay it out:
 *   /registry/<group>/<resource>/<cluster>/<namespace>/<name>   (namespaced)
 *   /registry/<group>/<resource>/<cluster>/<name>               (cluster-scoped)
 * with the core group omitted (`/registry/configmaps/...`).
 *
 * Decoding a key from the watch stream must tell a core resource from a group. Kubernetes names
 * never contain '/', core resource names never contain '.', and every API group but the few
 * historical dotless ones (below) contains a '.', which settles it.
 */
import type { KeyPrefix, ObjectKey } from './types.js';
import type { SortPoint } from './rows.js';

export const DEFAULT_ETCD_ROOT = '/registry';

const DOTLESS_GROUPS = new Set(['apps', 'batch', 'autoscaling', 'policy', 'extensions']);

function resourcePath(resource: string): string {
  return resource; // `apps/deployments` or `configmaps`: already the path
}

export function etcdKey(root: string, key: ObjectKey): string {
  const ns = key.namespace ? `${key.namespace}/` : '';
  return `${root}/${resourcePath(key.resource)}/${key.cluster}/${ns}${key.name}`;
}

/** The key of a sort point inside one resource (the continue cursor). */
export function etcdKeyOf(root: string, resource: string, at: SortPoint): string {
  return etcdKey(root, { resource, ...at });
}

/** The narrowest etcd prefix covering a KeyPrefix; callers still check name and '*'+namespace. */
export function etcdPrefix(root: string, prefix: KeyPrefix): string {
  let p = `${root}/${resourcePath(prefix.resource)}/`;
  if (prefix.cluster === '*') return p;
  p += `${prefix.cluster}/`;
  if (prefix.namespace) p += `${prefix.namespace}/`;
  return p;
}

/** The first key after every key that starts with `prefix` (etcd's range_end for a prefix). */
export function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

/** Inverse of etcdKey; undefined for keys that are not ours. */
export function parseEtcdKey(root: string, etcdKeyText: string): ObjectKey | undefined {
  if (!etcdKeyText.startsWith(`${root}/`)) return undefined;
  const parts = etcdKeyText.slice(root.length + 1).split('/');
  let resource: string;
  let rest: string[];
  if (parts.length >= 2 && (parts[0].includes('.') || DOTLESS_GROUPS.has(parts[0]))) {
    resource = `${parts[0]}/${parts[1]}`;
    rest = parts.slice(2);
  } else {
    resource = parts[0];
    rest = parts.slice(1);
  }
  if (rest.length === 2) return { resource, cluster: rest[0], namespace: '', name: rest[1] };
  if (rest.length === 3) return { resource, cluster: rest[0], namespace: rest[1], name: rest[2] };
  return undefined;
}

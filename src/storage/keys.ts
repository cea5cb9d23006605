/**
 * Key arithmetic shared by every backend: the GroupResource a key's resource string names (for
 * error messages), whether a key falls under a prefix, and the sort order that makes pagination
 * stable.
 */
import type { GroupResource } from '../errors/status.js';
import type { KeyPrefix, ObjectKey } from './types.js';

/** `apps/deployments` → {group: 'apps', resource: 'deployments'}; `configmaps` → core group. */
export function groupResourceOf(resource: string): GroupResource {
  const slash = resource.lastIndexOf('/');
  if (slash < 0) return { group: '', resource };
  return { group: resource.slice(0, slash), resource: resource.slice(slash + 1) };
}

/** An all-namespaces prefix leaves `namespace` undefined or ''. */
export function prefixNamespace(prefix: KeyPrefix): string | undefined {
  return prefix.namespace === '' ? undefined : prefix.namespace;
}

export function keyMatchesPrefix(key: ObjectKey, prefix: KeyPrefix): boolean {
  if (key.resource !== prefix.resource) return false;
  if (prefix.cluster !== '*' && key.cluster !== prefix.cluster) return false;
  if (prefix.namespace && key.namespace !== prefix.namespace) return false;
  if (prefix.name !== undefined && key.name !== prefix.name) return false;
  return true;
}

/**
 * The position of a key inside one resource: (cluster, namespace, name) joined with NUL, which
 * sorts below every character a name can hold, so comparing these strings orders keys by the
 * tuple (the same order sqlite's BINARY collation gives the three columns, for the ASCII names
 * Kubernetes allows).
 */
export function sortKey(key: Pick<ObjectKey, 'cluster' | 'namespace' | 'name'>): string {
  return `${key.cluster}\u0000${key.namespace}\u0000${key.name}`;
}

export function keyString(key: ObjectKey): string {
  return `${key.resource}\u0000${sortKey(key)}`;
}

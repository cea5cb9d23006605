/**
 * URL paths for resources: the core group lives under `/api/v1`, every other group under
 * `/apis/<group>/<version>`; a namespace adds `/namespaces/<ns>`. Segments are URI-encoded so a
 * name can never escape its path.
 */

export interface GroupVersionResource {
  /** '' for the core group. */
  group: string;
  version: string;
  /** Lower-case plural: `deployments`, `clusterregistrations`. */
  resource: string;
}

export function groupVersionPath(group: string, version: string): string {
  return group === '' ? `/api/${enc(version)}` : `/apis/${enc(group)}/${enc(version)}`;
}

/** `/apis/apps/v1/namespaces/ns/deployments/name/status`; omitted parts are left out. */
export function resourcePath(
  gvr: GroupVersionResource, namespace?: string, name?: string, subresource?: string,
): string {
  let path = groupVersionPath(gvr.group, gvr.version);
  if (namespace) path += `/namespaces/${enc(namespace)}`;
  path += `/${enc(gvr.resource)}`;
  if (name !== undefined) {
    if (name === '') throw new Error(`empty name for ${gvr.resource}`);
    path += `/${enc(name)}`;
  }
  if (subresource) path += `/${enc(subresource)}`;
  return path;
}

/** `/clusters/root:org:team`: the prefix that addresses one kcp logical cluster. */
export function clusterPrefix(clusterPath: string): string {
  // ':' is legal in a path segment; encodeURIComponent would turn it into %3A.
  return `/clusters/${clusterPath.split(':').map(enc).join(':')}`;
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}

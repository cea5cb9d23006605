/**
 * Parses a request URL into what it addresses (kube's RequestInfo, plus kcp's logical cluster):
 *   /clusters/<path>/api/v1/namespaces/<ns>/<resource>/<name>/<subresource>
 *   /clusters/<path>/apis/<group>/<version>/...
 * A path without `/clusters/<path>` addresses the default cluster (`root` in server mode, the one
 * cluster in cluster mode). Virtual workspaces strip their own prefix before calling this.
 */
import { badRequest } from '../errors/status.js';
import { boolParam } from './params.js';

export interface RequestInfo {
  /** Logical cluster path (`root:org:team`), or '*' in wildcard virtual-workspace views. */
  cluster: string;
  /** True for /api and /apis requests that address resources (not discovery). */
  isResource: boolean;
  /** The path below the cluster prefix, e.g. `/api/v1/namespaces`. */
  path: string;
  apiPrefix: 'api' | 'apis' | '';
  group: string;
  version: string;
  namespace: string;
  resource: string;
  name: string;
  subresource: string;
  /** kube verb: get, list, watch, create, update, patch, delete, deletecollection. */
  verb: string;
}

/** A logical-cluster path: segments `[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?` joined by ':' . */
const CLUSTER_PATH = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(:[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

export function isValidClusterPath(p: string): boolean {
  return CLUSTER_PATH.test(p);
}

/**
 * Splits `/clusters/<path>/rest` into [path, rest]. Returns undefined when the URL has no cluster prefix.
 */
export function splitClusterPrefix(pathname: string): [string, string] | undefined {
  if (!pathname.startsWith('/clusters/')) return undefined;
  const rest = pathname.slice('/clusters/'.length);
  const slash = rest.indexOf('/');
  const cluster = slash < 0 ? rest : rest.slice(0, slash);
  return [cluster.includes('%') ? decodeURIComponent(cluster) : cluster, slash < 0 ? '/' : rest.slice(slash)];
}

/** Subresources of the namespace object itself (`namespaces/<ns>/status` is not a resource `status` in `<ns>`). */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

function verbFor(method: string, hasName: boolean, watch: boolean): string {
  switch (method) {
    case 'GET': case 'HEAD': return watch ? 'watch' : hasName ? 'get' : 'list';
    case 'POST': return 'create';
    case 'PUT': return 'update';
    case 'PATCH': return 'patch';
    case 'DELETE': return hasName ? 'delete' : 'deletecollection';
    default: return method.toLowerCase();
  }
}

/**
 * @param path the path below the cluster prefix (no query string)
 */
export function parseRequestInfo(cluster: string, path: string, method: string, query: URLSearchParams): RequestInfo {
  const info: RequestInfo = {
    cluster, isResource: false, path, apiPrefix: '', group: '', version: '', namespace: '',
    resource: '', name: '', subresource: '', verb: method.toLowerCase(),
  };
  const parts = path.split('/').filter((p) => p !== '');
  let i = 0;
  if (parts[0] === 'api') {
    info.apiPrefix = 'api';
    if (parts.length < 2) return info;
    info.version = parts[1];
    i = 2;
  } else if (parts[0] === 'apis') {
    info.apiPrefix = 'apis';
    if (parts.length < 3) {
      info.group = parts[1] ?? '';
      return info;
    }
    info.group = parts[1];
    info.version = parts[2];
    i = 3;
  } else {
    return info;
  }
  if (i >= parts.length) return info; // group-version discovery
  info.isResource = true;
  let rest = parts.slice(i).map(decodeSegment);
  // namespaces/<ns>/<resource>... addresses a namespaced resource; namespaces/<ns> alone is the namespace object
  if (rest[0] === 'namespaces' && rest.length >= 3 && !NAMESPACE_SUBRESOURCES.has(rest[2])) {
    info.namespace = rest[1];
    rest = rest.slice(2);
  }
  info.resource = rest[0];
  if (rest.length >= 2) info.name = rest[1];
  if (rest.length >= 3) info.subresource = rest[2];
  if (rest.length > 3) throw badRequest(`the server could not find the requested resource: too many path segments in ${path}`);
  // the namespaces resource's own name doubles as its namespace, as in kube
  if (info.resource === 'namespaces' && info.apiPrefix === 'api' && info.name) info.namespace = info.name;
  const watch = boolParam(query, 'watch') ?? false;
  info.verb = verbFor(method, info.name !== '', watch);
  // fieldSelector=metadata.name=x on a list/watch names the object for authorization, as kube does
  return info;
}

function decodeSegment(s: string): string {
  if (!s.includes('%')) return s; // nothing escaped: most paths, and decoding would give the same string
  try {
    return decodeURIComponent(s);
  } catch {
    throw badRequest(`malformed URL path segment: ${s}`);
  }
}

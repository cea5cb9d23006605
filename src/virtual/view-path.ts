/**
 * Parses a virtual-workspace path below its prefix:
 *   <param-1>/…/<param-n>/clusters/<*|workspace>/<api path>
 * e.g. `root:compute/kubernetes/clusters/[*]/apis/apps/v1/deployments` with two params ([*] = the wildcard).
 */
import { StatusError } from '../errors/status.js';
import { isValidClusterPath } from '../apiserver/request-info.js';

export interface ViewPath {
  params: string[];
  /** A logical cluster path, or '*' for every workspace of the view. */
  cluster: string;
  /** The API path below the cluster (`/api`, `/apis/g/v/...`, `/openapi/v3/...`); '/' when empty. */
  path: string;
}

/** @param shape how the URL should look, for the 404 message (e.g. `/services/apiexport/<workspace>/<export>/clusters/<*|workspace>/…`) */
export function parseViewPath(rest: string, nParams: number, shape: string): ViewPath {
  const parts = rest.split('/');
  if (parts[0] === '') parts.shift();
  const params = parts.slice(0, nParams).map(decodeSegment);
  const ok = params.length === nParams && params.every((p) => p !== '') && parts[nParams] === 'clusters' && (parts[nParams + 1] ?? '') !== '';
  if (!ok) throw new StatusError(404, 'NotFound', `the server could not find the requested resource: virtual workspace URLs look like ${shape}`);
  const cluster = decodeSegment(parts[nParams + 1]);
  if (cluster !== '*' && !isValidClusterPath(cluster)) {
    throw new StatusError(400, 'BadRequest', `invalid logical cluster path "${cluster}": use '*' or segments that are lowercase RFC 1123 labels joined by ':'`);
  }
  const below = parts.slice(nParams + 2).join('/');
  return { params, cluster, path: '/' + below };
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new StatusError(400, 'BadRequest', `malformed URL segment "${s}"`);
  }
}

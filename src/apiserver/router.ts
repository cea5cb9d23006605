/**
 * Routes Kubernetes API paths for one logical cluster: discovery, OpenAPI and resources. It is a
 * single function over raw node:http objects (no per-request express routing) because this is
 * the hot path; express serves only the auxiliary endpoints.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StatusError, methodNotAllowed } from '../errors/status.js';
import type { UserInfo } from '../registry/hooks.js';
import type { RequestScope } from '../registry/generic-store.js';
import type { ApiContext } from './context.js';
import { AGGREGATED_CONTENT_TYPE } from './discovery.js';
import { handleDelete, handleDeleteCollection } from './handlers/delete.js';
import { handleGet, handleList } from './handlers/read.js';
import { handleScale } from './handlers/scale.js';
import { handleWatch } from './handlers/watch.js';
import { handleCreate, handlePatch, handleUpdate } from './handlers/write.js';
import { wantsAggregatedDiscovery, wantsTable } from './negotiation.js';
import { dryRunParam, fieldValidationParam, listParams } from './params.js';
import { parseRequestInfo, type RequestInfo } from './request-info.js';
import { writeJSON, writeRaw } from './responses.js';
import { toTable } from './table.js';
import { OPENAPI_V2_PROTO_CONTENT_TYPE, OPENAPI_V2_PROTO_MEDIA_TYPE } from './openapi-v2-proto.js';
import { handleReview, isSelfReview } from './reviews.js';
import { isReviewDef } from '../registry/builtin/authz.js';

/** The parsed request, kept on the request for metrics and logs. */
export type RequestWithInfo = IncomingMessage & { requestInfo?: RequestInfo };

export function notFoundPath(): StatusError {
  return new StatusError(404, 'NotFound', 'the server could not find the requested resource');
}

/** Serves `path` (below any /clusters/<x> prefix) for `cluster`. */
export async function serveClusterPath(ctx: ApiContext, req: IncomingMessage, res: ServerResponse,
  cluster: string, path: string, query: URLSearchParams, user: UserInfo): Promise<void> {
  const method = req.method ?? 'GET';
  if (path.startsWith('/openapi/v3')) {
    await ctx.checkCluster(cluster);
    serveOpenAPI(ctx, res, cluster, path);
    return;
  }
  if (path === '/openapi/v2' || path === '/openapi/v2/') {
    await ctx.checkCluster(cluster);
    serveOpenAPIV2(ctx, req, res, cluster);
    return;
  }
  const info = parseRequestInfo(cluster, path, method, query);
  if (!info.isResource) {
    if (info.apiPrefix === '') throw notFoundPath();
    if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowed(`${method} is not supported on discovery endpoints`);
    if (cluster !== '*') await ctx.checkCluster(cluster);
    serveDiscovery(ctx, req, res, info);
    return;
  }
  (req as RequestWithInfo).requestInfo = info;
  if (cluster !== '*') await ctx.checkCluster(cluster);
  const def = ctx.catalog.resolve(cluster, info.group, info.version, info.resource);
  if (!def) throw notFoundPath();
  if (def.namespaced === false && info.namespace && info.resource !== 'namespaces') throw notFoundPath();
  if (ctx.homeWorkspace && isHomeWorkspaceRequest(info)) {
    // every authenticated user may ask for (and so create) their own home, as kcp's default policy allows
    const home = await ctx.homeWorkspace(user);
    const table = wantsTable(req.headers.accept);
    writeJSON(res, 200, table.table ? toTable(def, [home], { include: 'Metadata', tableVersion: table.version, resourceVersion: home.metadata.resourceVersion }) : home);
    return;
  }
  if (ctx.authorize && !isSelfReview(def)) await ctx.authorize(user, info);
  if (isReviewDef(def)) return handleReview(ctx, req, res, info, def, user);
  // write options mean nothing to reads (kube ignores them there), so reads skip parsing them
  const read = method === 'GET' || method === 'HEAD';
  const scope: RequestScope = {
    cluster, namespace: info.namespace, user,
    dryRun: read ? false : dryRunParam(query),
    fieldManager: read ? undefined : query.get('fieldManager') ?? defaultFieldManager(req),
    fieldValidation: read ? 'Warn' : fieldValidationParam(query),
    warnings: [],
  };
  if (info.subresource === 'scale') return handleScale(ctx, req, res, info, def, scope);
  switch (info.verb) {
    case 'get': return handleGet(ctx, req, res, info, def, scope, query);
    case 'list': return handleList(ctx, req, res, info, def, scope, query);
    case 'watch': return handleWatch(ctx, req, res, def, scope, listParams(query));
    case 'create': return handleCreate(ctx, req, res, info, def, scope);
    case 'update': return handleUpdate(ctx, req, res, info, def, scope);
    case 'patch': return handlePatch(ctx, req, res, info, def, scope, query);
    case 'delete': return handleDelete(ctx, req, res, info, def, scope, query);
    case 'deletecollection': return handleDeleteCollection(ctx, req, res, def, scope, query);
    default: throw methodNotAllowed(`the server does not allow this method on the requested resource (${method})`);
  }
}

function isHomeWorkspaceRequest(info: RequestInfo): boolean {
  return info.cluster === 'root' && info.verb === 'get' && info.group === 'tenancy.kcp.io' && info.resource === 'workspaces'
    && info.name === '~' && !info.subresource;
}

/** kube derives a default manager from the user agent's program name (`kubectl`, `node`). */
function defaultFieldManager(req: IncomingMessage): string | undefined {
  const ua = req.headers['user-agent'];
  if (!ua) return undefined;
  return ua.split('/')[0].slice(0, 128) || undefined;
}

function serveDiscovery(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, info: RequestInfo): void {
  const docs = ctx.discovery.docs(info.cluster);
  const aggregated = wantsAggregatedDiscovery(req.headers.accept);
  const vary = (text: string, aggText: string) => {
    if (aggregated) {
      const ct = aggregated === 'v2' ? AGGREGATED_CONTENT_TYPE : AGGREGATED_CONTENT_TYPE.replace('v=v2', 'v=v2beta1');
      const body = aggregated === 'v2' ? aggText : aggText.replace('"apidiscovery.k8s.io/v2"', '"apidiscovery.k8s.io/v2beta1"');
      writeRaw(res, 200, body, ct);
    } else {
      writeRaw(res, 200, text, 'application/json');
    }
  };
  if (info.apiPrefix === 'api' && !info.version) return vary(docs.api, docs.aggregatedApi);
  if (info.apiPrefix === 'apis' && !info.group) return vary(docs.apis, docs.aggregatedApis);
  if (info.apiPrefix === 'apis' && !info.version) {
    const g = ctx.discovery.group(info.cluster, info.group);
    if (!g) throw notFoundPath();
    return writeRaw(res, 200, g, 'application/json');
  }
  const gv = info.apiPrefix === 'api' ? info.version : `${info.group}/${info.version}`;
  const list = docs.resourceLists.get(gv);
  if (!list) throw notFoundPath();
  writeRaw(res, 200, list, 'application/json');
}

/**
 * kube's /openapi/v2: protobuf when the Accept header names gnostic's media type (what kubectl
 * sends), JSON otherwise; 304 when the client's ETag matches.
 */
function serveOpenAPIV2(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, cluster: string): void {
  const v2 = ctx.openapi.v2(cluster);
  const accept = req.headers.accept ?? '';
  const proto = accept.includes(OPENAPI_V2_PROTO_MEDIA_TYPE) || accept.includes(OPENAPI_V2_PROTO_CONTENT_TYPE);
  if (req.headers['if-none-match'] === v2.etag) {
    res.writeHead(304, { ETag: v2.etag });
    res.end();
    return;
  }
  const body = proto ? v2.proto : v2.json;
  res.writeHead(200, {
    'Content-Type': proto ? OPENAPI_V2_PROTO_CONTENT_TYPE : 'application/json',
    'Content-Length': String(Buffer.byteLength(body)),
    ETag: v2.etag,
    'Cache-Control': 'no-cache, private',
  });
  res.end(body);
}

function serveOpenAPI(ctx: ApiContext, res: ServerResponse, cluster: string, path: string): void {
  const rest = path.slice('/openapi/v3'.length).replace(/^\//, '');
  if (rest === '') {
    writeRaw(res, 200, ctx.openapi.discovery(cluster), 'application/json');
    return;
  }
  const doc = ctx.openapi.groupVersion(cluster, rest);
  if (!doc) throw notFoundPath();
  writeRaw(res, 200, doc, 'application/json');
}

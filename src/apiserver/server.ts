/**
 * The HTTPS listener: TLS with optional client certificates, authentication, then dispatch:
 *   /clusters/<path>/…   a workspace (server mode)
 *   /services/<vw>/…     virtual workspaces registered by the layer above
 *   /api, /apis, /openapi/…   the default cluster
 *   /version             build info
 *   anything else        the auxiliary express app (/healthz, /readyz, /metrics, /admission/…, /console/)
 * Health endpoints (as kube allows anonymous access to them) and the web console's static files
 * answer without credentials; everything else needs an authenticated user or gets 401.
 */
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Express } from 'express';
import { badRequest, unauthorized } from '../errors/status.js';
import type { Logger } from '../observability/logger.js';
import type { UserInfo } from '../registry/hooks.js';
import type { ApiContext } from './context.js';
import { isValidClusterPath, splitClusterPrefix } from './request-info.js';
import { WILDCARD_CLUSTER, checkWildcardRequest } from './wildcard.js';
import { notFoundPath, serveClusterPath, type RequestWithInfo } from './router.js';
import { observeRequest } from '../observability/metrics.js';
import { runTraced } from './request-tracing.js';
import { writeError, writeJSON } from './responses.js';

export interface VirtualWorkspace {
  /** e.g. `/services/apiexport/` */
  prefix: string;
  serve(req: IncomingMessage, res: ServerResponse, rest: string, query: URLSearchParams, user: UserInfo): Promise<void>;
}

export interface ApiServerOptions {
  tls: { keyPem: string; certPem: string; caPem: string };
  authenticate(req: IncomingMessage): UserInfo | undefined;
  ctx: ApiContext;
  /** The cluster addressed by paths without `/clusters/<path>`. */
  defaultCluster: string;
  /** Whether `/clusters/<path>` routing is on (server mode) or off (one physical cluster). */
  workspaces: boolean;
  virtualWorkspaces?: VirtualWorkspace[];
  aux: Express;
  version: Record<string, string>;
  log: Logger;
  /** Requests on these paths need no credentials. */
  anonymousPaths?: string[];
  /**
   * Proxy mode (`--kcp-kubeconfig`): when set, authenticated requests for `/clusters/…`, `/api…`,
   * `/apis…`, `/openapi/…` and `/version` go here instead of the local storage; virtual workspaces
   * (`/services/…`), health, metrics and admission stay local.
   */
  proxy?: (req: IncomingMessage, res: ServerResponse, user: UserInfo) => void;
}

/** The paths proxy mode forwards upstream. */
function isProxiedPath(pathname: string): boolean {
  return pathname.startsWith('/clusters/')
    || pathname === '/api' || pathname.startsWith('/api/')
    || pathname === '/apis' || pathname.startsWith('/apis/')
    || pathname.startsWith('/openapi/')
    || pathname === '/version' || pathname === '/version/';
}

/**
 * Health checks, and the web console's static files (no data in them; the console's API calls
 * carry the user's token and are authenticated like any other).
 */
const ANONYMOUS = ['/healthz', '/readyz', '/livez', '/console'];
const VW_VERSION = /\/clusters\/[^/]+\/version\/?$/;

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The HTTPS server alone, bound before anything serves so that its URL is known to the parts
 * built after it. Until `serve` installs the API it answers 503 ServiceUnavailable, Retry-After 1.
 */
export function createTlsServer(tls: ApiServerOptions['tls']): { server: https.Server; serve(listener: RequestListener): void } {
  let listener: RequestListener = (_req, res) => {
    const body = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server is starting; retry shortly', reason: 'ServiceUnavailable', code: 503 });
    res.writeHead(503, { 'Content-Type': 'application/json', 'Retry-After': '1', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  };
  const server = https.createServer({
    key: tls.keyPem, cert: tls.certPem, ca: tls.caPem,
    requestCert: true, rejectUnauthorized: false,
    // kubectl and informers keep connections open; don't let node close idle keep-alives early
    keepAliveTimeout: 120_000,
  }, (req, res) => listener(req, res));
  server.headersTimeout = 60_000;
  server.requestTimeout = 0; // watches are long-lived
  return { server, serve: (l) => { listener = l; } };
}

export function createApiServer(o: ApiServerOptions): https.Server {
  const { server, serve } = createTlsServer(o.tls);
  serve(apiRequestListener(o));
  return server;
}

/** Authentication and dispatch (see the top of this file) as a request listener. */
export function apiRequestListener(o: Omit<ApiServerOptions, 'tls'>): RequestListener {
  const anonymous = new Set(o.anonymousPaths ?? ANONYMOUS);
  const versionText = JSON.stringify(o.version);
  const writeVersion = (res: ServerResponse) => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(versionText) });
    res.end(versionText);
  };
  const listener: RequestListener = (req, res) => {
    (res as TimedResponse)[STARTED] = performance.now();
    res.once('finish', observeFinished);
    runTraced(req, res, () => void handle(req, res).catch((err) => writeError(res, err, o.log, req)));
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const pathname = q < 0 ? url : url.slice(0, q);
    const bare = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
    if (anonymous.has(bare) || anonymous.has(firstSegment(bare))) {
      // health checks answer without credentials, as kube's do for anonymous users
      o.aux(req as never, res as never);
      return;
    }
    const user = o.authenticate(req);
    if (!user) throw unauthorized();
    if (o.proxy && isProxiedPath(pathname)) {
      o.proxy(req, res, user);
      return;
    }
    const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));

    if (o.workspaces) {
      const split = splitClusterPrefix(pathname);
      if (split) {
        const [named, rest] = split;
        const cluster = o.ctx.resolveCluster?.(named) ?? named;
        if (cluster === WILDCARD_CLUSTER) checkWildcardRequest(user, req.method ?? 'GET', rest, query);
        else if (!isValidClusterPath(cluster)) throw badRequest(`invalid logical cluster path "${cluster}": segments must be lowercase RFC 1123 labels joined by ':' (or '*' for system:masters' reads across workspaces)`);
        // `kubectl version` asks for <server>/version, and the kubeconfig's server is a workspace URL
        if (rest === '/version' || rest === '/version/') { writeVersion(res); return; }
        await serveClusterPath(o.ctx, req, res, cluster, rest, query, user);
        return;
      }
    }
    for (const vw of o.virtualWorkspaces ?? []) {
      if (pathname.startsWith(vw.prefix)) {
        // a virtual workspace URL (<base>/clusters/<name|*>) is a kubeconfig server too: `kubectl version` asks it
        if (VW_VERSION.test(pathname)) { writeVersion(res); return; }
        await vw.serve(req, res, pathname.slice(vw.prefix.length), query, user);
        return;
      }
    }
    if (pathname === '/api' || pathname.startsWith('/api/') || pathname === '/apis' || pathname.startsWith('/apis/')
      || pathname.startsWith('/openapi/')) {
      await serveClusterPath(o.ctx, req, res, o.defaultCluster, pathname, query, user);
      return;
    }
    if (bare === '/version') {
      writeVersion(res);
      return;
    }
    (req as IncomingMessage & { user?: UserInfo }).user = user;
    o.aux(req as never, res as never);
  }

  return listener;
}

const STARTED = Symbol('started');
type TimedResponse = ServerResponse & { [STARTED]: number; req: RequestWithInfo };

/** One shared 'finish' listener (no closure per request): records the request's metrics. */
function observeFinished(this: ServerResponse): void {
  const res = this as TimedResponse;
  const req = res.req;
  const info = req.requestInfo;
  if (info?.verb === 'watch') return; // long-lived; counted by the watch metrics instead
  observeRequest(info?.verb ?? (req.method ?? '').toLowerCase(), info?.resource ?? 'nonresource', res.statusCode, (performance.now() - res[STARTED]) / 1000);
}

/** `/healthz/ping` → `/healthz` (health checks name one check below their path). */
function firstSegment(path: string): string {
  const slash = path.indexOf('/', 1);
  return slash < 0 ? path : path.slice(0, slash);
}

export function listen(server: https.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    });
  });
}

export { writeJSON };

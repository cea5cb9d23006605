/**
 * Proxy mode (`tmc-server --kcp-kubeconfig FILE`): workspaces, APIs, discovery, OpenAPI and
 * /version are served by an upstream kcp. tmc-server terminates the client's TLS and authenticates
 * the caller with its own PKI, then forwards the request over HTTPS with the kubeconfig's
 * credentials (http-proxy-middleware; bodies stream both ways, so watches are not buffered).
 *
 * Identity: when the kubeconfig's client certificate is in `system:masters`, the caller is passed
 * on with Impersonate-User/-Group/-Uid/-Extra-* headers; otherwise every request runs upstream as
 * the kubeconfig identity. Impersonation and Authorization headers sent by the client are always
 * dropped, so a client can never choose its upstream identity.
 */
import https from 'node:https';
import { X509Certificate } from 'node:crypto';
import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { createProxyMiddleware, type Plugin } from 'http-proxy-middleware';
import { serviceUnavailable } from '../errors/status.js';
import { writeError } from '../apiserver/responses.js';
import type { Logger } from '../observability/logger.js';
import type { UserInfo } from '../registry/hooks.js';
import { readKubeconfigFile, type ParsedKubeconfig } from '../security/kubeconfig.js';

export interface KcpProxyOptions {
  /** Path of the kubeconfig naming the upstream kcp (or an already parsed one). */
  kubeconfig: string | ParsedKubeconfig;
  /** Logical cluster for requests without `/clusters/<path>` (default `root`). */
  defaultCluster?: string;
  log?: Logger;
}

export interface KcpProxy {
  /** `https://host:port` of the upstream (no path, no credentials). */
  upstream: string;
  /** Whether callers are impersonated upstream (the kubeconfig identity is in system:masters). */
  impersonates: boolean;
  /** How the proxy authenticates upstream, for logs: `client certificate CN=…` or `bearer token`. */
  identity: string;
  /** Forwards one authenticated request. */
  handle(req: IncomingMessage, res: ServerResponse, user?: UserInfo): void;
  /** Closes pooled upstream connections. */
  close(): void;
}

const USER = Symbol('tmc-proxy-user');
type ProxiedRequest = IncomingMessage & { [USER]?: UserInfo };

/** The upstream path: `/clusters/…` and `/version` as they are, everything else under the default cluster. */
export function upstreamPath(url: string, defaultCluster = 'root'): string {
  if (url.startsWith('/clusters/') || url === '/version' || url.startsWith('/version?') || url.startsWith('/version/')) return url;
  return `/clusters/${defaultCluster}${url}`;
}

function subjectOf(certPem: string): { cn?: string; orgs: string[] } {
  const lines = new X509Certificate(certPem).subject.split('\n');
  return {
    cn: lines.find((l) => l.startsWith('CN='))?.slice(3),
    orgs: lines.filter((l) => l.startsWith('O=')).map((l) => l.slice(2)),
  };
}

function isWatch(url: string | undefined): boolean {
  const watch = new URLSearchParams((url ?? '').split('?')[1] ?? '').get('watch');
  return watch === 'true' || watch === '1';
}

export function createKcpProxy(o: KcpProxyOptions): KcpProxy {
  const kc = typeof o.kubeconfig === 'string' ? readKubeconfigFile(o.kubeconfig) : o.kubeconfig;
  const serverURL = new URL(kc.server);
  if (serverURL.protocol !== 'https:') throw new Error(`--kcp-kubeconfig: the upstream server must be https, got ${serverURL.protocol}//${serverURL.host}`);
  const upstream = `${serverURL.protocol}//${serverURL.host}`;
  const defaultCluster = o.defaultCluster ?? 'root';

  let identity = 'no credentials';
  let impersonates = false;
  if (kc.certPem && kc.keyPem) {
    const subj = subjectOf(kc.certPem);
    identity = `client certificate CN=${subj.cn ?? '?'}${subj.orgs.length ? ` O=${subj.orgs.join(',')}` : ''}`;
    impersonates = subj.orgs.includes('system:masters');
  } else if (kc.token) {
    identity = 'bearer token';
  }

  const agent = new https.Agent({
    keepAlive: true,
    ca: kc.caPem, cert: kc.certPem, key: kc.keyPem,
    rejectUnauthorized: !kc.insecureSkipTLSVerify,
  });

  const plugin: Plugin = (proxyServer) => {
    proxyServer.on('proxyReq', (proxyReq: ClientRequest, req: IncomingMessage, res: ServerResponse) => {
      if (kc.token) proxyReq.setHeader('Authorization', `Bearer ${kc.token}`);
      const user = (req as ProxiedRequest)[USER];
      if (impersonates && user) {
        proxyReq.setHeader('Impersonate-User', user.name);
        if (user.groups.length) proxyReq.setHeader('Impersonate-Group', user.groups);
        if (user.uid) proxyReq.setHeader('Impersonate-Uid', user.uid);
        for (const [k, vs] of Object.entries(user.extra ?? {})) {
          proxyReq.setHeader(`Impersonate-Extra-${encodeURIComponent(k)}`, vs.map((v) => encodeURIComponent(v)));
        }
      }
      // a client that goes away (e.g. a watch stopped with ^C) ends the upstream request too
      res.once('close', () => {
        if (!res.writableFinished) proxyReq.destroy();
      });
    });
    // A watch's headers must reach the client when the upstream sends them, not with the first
    // event: kubectl wait and client-go informers block on them (a quiet watch held `kubectl wait`
    // until the upstream's first bookmark). http-proxy sets the status and headers synchronously
    // right after this event, so they are flushed on the next tick.
    proxyServer.on('proxyRes', (_proxyRes: IncomingMessage, req: IncomingMessage, res: ServerResponse) => {
      if (!isWatch(req.url)) return;
      process.nextTick(() => { if (!res.headersSent && !res.destroyed) res.flushHeaders(); });
    });
    proxyServer.on('error', (err: Error, req: IncomingMessage, res: ServerResponse | Socket) => {
      if (!('writeHead' in res)) { res.destroy(); return; }
      if (res.headersSent || res.destroyed) {
        // mid-stream (a watch whose upstream went away): end the response, the client re-lists
        res.destroy();
        return;
      }
      o.log?.warn({ upstream, method: req.method, url: req.url, err: err.message }, 'proxy: upstream kcp unreachable');
      writeError(res, serviceUnavailable(`the upstream kcp at ${upstream} is unavailable: ${err.message}`));
    });
  };

  const middleware = createProxyMiddleware<IncomingMessage, ServerResponse>({
    target: upstream,
    agent,
    changeOrigin: true,
    secure: !kc.insecureSkipTLSVerify,
    xfwd: false,
    ws: false,
    // no default plugins: we answer errors ourselves and log nothing per request
    ejectPlugins: true,
    plugins: [plugin],
    pathRewrite: (path) => upstreamPath(path, defaultCluster),
  });

  return {
    upstream, impersonates, identity,
    handle(req, res, user) {
      // the client never picks the upstream identity
      for (const h of Object.keys(req.headers)) {
        if (h === 'authorization' || h.startsWith('impersonate-')) delete req.headers[h];
      }
      (req as ProxiedRequest)[USER] = user;
      void middleware(req, res, (err?: unknown) => {
        if (res.headersSent) { res.destroy(); return; }
        writeError(res, serviceUnavailable(`the upstream kcp at ${upstream} is unavailable: ${err instanceof Error ? err.message : String(err ?? 'not proxied')}`));
      });
    },
    close() { agent.destroy(); },
  };
}

/**
 * Wiring for tmc-server: storage → registry → tenancy → wire layer → listener, plus the admin
 * kubeconfig and graceful shutdown. Tests call startTmcServer in-process; the entry point
 * (tmc-server.ts) calls it from flags.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import express, { type Express } from 'express';
import { Discovery } from '../apiserver/discovery.js';
import { OpenAPIService } from '../apiserver/openapi-service.js';
import { createPatcher, managedFieldsUpdater } from '../apiserver/patcher.js';
import { rbacAuthorizer, type RBACWiring } from '../apiserver/authorizer.js';
import { createApiServer, listen, type VirtualWorkspace } from '../apiserver/server.js';
import { notFoundPath } from '../apiserver/router.js';
import type { ApiContext } from '../apiserver/context.js';
import { createLogger, type Logger } from '../observability/logger.js';
import { HealthRegistry } from '../observability/health.js';
import { metricsContentType, metricsText } from '../observability/metrics.js';
import { ResourceCatalog } from '../registry/catalog.js';
import { CrdSource } from '../registry/crd-source.js';
import { GenericStore } from '../registry/generic-store.js';
import { serverModeDefs, clusterModeDefs } from '../registry/builtin-sets.js';
import type { ResourceDef } from '../registry/types.js';
import type { AdmissionHook, SchemaRuleValidator } from '../registry/hooks.js';
import { Authenticator } from '../security/authn.js';
import { ensurePKI, type PKI } from '../security/pki.js';
import { writeKubeconfig } from '../security/kubeconfig.js';
import { StaticTokenFile, TokenRegistry } from '../security/tokens.js';
import { createStore } from '../storage/index.js';
import type { Store } from '../storage/types.js';
import { SecretEncryption } from '../security/encryption.js';
import { withSecretEncryption } from '../security/encrypting-store.js';
import { LogicalClusters, ROOT_CLUSTER } from '../tenancy/logical-clusters.js';
import { APIBindings } from '../tenancy/apis/api-bindings.js';
import { bootstrapTMC } from '../tenancy/bootstrap.js';
import { workloadDefs } from '../registry/builtin/index.js';
import { workspaceStrategy } from '../tenancy/workspace-strategy.js';
import { NamespaceLifecycle, namespaceStrategy } from '../registry/namespace-lifecycle.js';
import { ServiceAccountTokens } from '../registry/service-account-tokens.js';
import type { ServerOptions } from './server-options.js';
import { createKcpProxy } from '../proxy/kcp-proxy.js';

export const VERSION = {
  major: '1', minor: '32', gitVersion: 'v1.32.0+tmc-0.1.0', gitCommit: 'unknown', gitTreeState: 'clean',
  buildDate: '2026-11-21T00:00:00Z', goVersion: `node${process.versions.node}`, compiler: 'tsc', platform: `${process.platform}/${process.arch}`,
};

export interface RunningServer {
  url: string;
  port: number;
  kubeconfigPath: string;
  pki: PKI;
  store: Store;
  catalog: ResourceCatalog;
  generic: GenericStore;
  logger: Logger;
  tokens: TokenRegistry;
  /** Server mode: APIExports/APIBindings (undefined in cluster mode). */
  bindings?: APIBindings;
  stop(): Promise<void>;
}

/** What the pluggable parts get to build themselves from. */
export interface ServerDeps {
  opts: ServerOptions;
  store: Store;
  generic: GenericStore;
  catalog: ResourceCatalog;
  log: Logger;
  pki: PKI;
  tokens: TokenRegistry;
  /** The server's base URL, once listening ('' before). */
  url: () => string;
  /** Server mode: APIExports/APIBindings (undefined in cluster mode). */
  bindings?: APIBindings;
  /** RBAC for checks outside a request path (virtual workspaces); set before hooks run. */
  allows?: RBACWiring['allows'];
}

/** Something that runs inside the server while it is up (simulator, in-process controllers). */
export interface Component { stop(): void | Promise<void> }

/**
 * Extension points, so each layer plugs in without the wiring knowing its insides. Defaults for
 * the product are set in `defaultHooks` (default-hooks.ts); tests may pass their own.
 */
export interface StartHooks {
  logger?: Logger;
  /** Extra virtual workspaces (apiexport, syncer) registered by higher layers. */
  virtualWorkspaces?: (deps: ServerDeps) => VirtualWorkspace[];
  /** The admission chain (mutating + validating plugins) the generic store calls on every write. */
  admission?: (deps: Omit<ServerDeps, 'generic'>) => AdmissionHook;
  /** CEL x-kubernetes-validations of schemas. */
  schemaRules?: (deps: Omit<ServerDeps, 'generic'>) => SchemaRuleValidator;
  /** Extra express routes on the auxiliary app (e.g. /admission/validate), authenticated. */
  auxRoutes?: (app: Express, deps: ServerDeps) => void;
  /** Resources the plug-ins serve beside the built-ins (e.g. ValidatingAdmissionPolicy). */
  extraDefs?: () => ResourceDef[];
  /** Lets a plug-in extend a built-in's behaviour (e.g. compile CRD CEL rules at create). */
  wrapDef?: (def: ResourceDef) => ResourceDef;
  /** Started after the listener is up and the admin kubeconfig is written; stopped first at shutdown. */
  components?: Array<(deps: ServerDeps) => Promise<Component> | Component>;
}

export async function startTmcServer(opts: ServerOptions, hooks: StartHooks = {}): Promise<RunningServer> {
  const log = hooks.logger ?? createLogger({ level: opts.logLevel });
  const dataDir = resolve(opts.dataDir);
  await mkdir(dataDir, { recursive: true });
  const pki = await ensurePKI({ dir: join(dataDir, 'pki'), hosts: [opts.bindAddress], logger: log });
  // Read the key file before opening storage, so a bad one fails the start with nothing opened.
  const secretEncryption = SecretEncryption.fromKeyFile(opts.encryptionKeyFile);
  // Always wrapped: without a key nothing is sealed, but sealed values left by an earlier run read
  // as a clear error instead of ciphertext.
  const store = withSecretEncryption(
    await createStore({ backend: opts.storage, dataDir, etcdServers: opts.etcdServers, historySize: opts.watchCacheSize, logger: log }),
    secretEncryption);

  const serverMode = opts.mode === 'server';
  let externalURL = '';
  const builtins: ResourceDef[] = [...(serverMode ? serverModeDefs() : clusterModeDefs()), ...(hooks.extraDefs?.() ?? [])].map((d) => {
    d = hooks.wrapDef ? hooks.wrapDef(d) : d;
    if (d.group === 'tenancy.kcp.io' && d.resource === 'workspaces') return { ...d, strategy: workspaceStrategy(() => externalURL) };
    if (d.group === '' && d.resource === 'namespaces') return { ...d, strategy: namespaceStrategy(d.strategy) };
    return d;
  });
  const defaultCluster = serverMode ? ROOT_CLUSTER : 'cluster';
  const catalog = new ResourceCatalog(builtins);
  const crds = new CrdSource(store, log, defaultCluster);
  await crds.start();
  catalog.addSource(crds);

  const tokenRegistry = new TokenRegistry();
  const baseDeps = { opts, store, catalog, log, pki, tokens: tokenRegistry, url: () => externalURL };
  const generic = new GenericStore({
    store, annotateCluster: serverMode, managedFields: managedFieldsUpdater,
    admission: hooks.admission?.(baseDeps),
    schemaRules: hooks.schemaRules?.(baseDeps),
  });
  const deps: ServerDeps = { ...baseDeps, generic };
  let bindingsRef: APIBindings | undefined;
  Object.defineProperty(deps, 'bindings', { get: () => bindingsRef, enumerable: true });

  const clusters = serverMode ? new LogicalClusters(store, log) : undefined;
  await clusters?.start();

  // kcp's API model: exports, bindings, identities; bound resources are served per workspace
  const natives = workloadDefs();
  const bindings = serverMode ? new APIBindings({
    store, generic, log,
    crdDefs: (c) => crds.defsFor(c),
    resolveDef: (c, g, v, r) => catalog.resolve(c, g, v, r),
    externalURL: () => externalURL,
    nativeDef: (g, r, v) => natives.find((d) => d.group === g && d.resource === r && d.version === v),
  }) : undefined;
  bindingsRef = bindings;
  if (bindings) {
    catalog.addSource(bindings);
    await bindings.start();
  }

  const rbac = rbacAuthorizer(store);
  deps.allows = rbac.allows;
  const ctx: ApiContext = {
    catalog, discovery: new Discovery(catalog), generic, patcher: createPatcher(), log,
    authorize: rbac.authorize,
    openapi: new OpenAPIService(catalog),
    checkCluster: async (cluster) => {
      if (!clusters) {
        if (cluster !== defaultCluster) throw new Error('unreachable: cluster mode has one cluster');
        return;
      }
      clusters.check(cluster);
    },
  };

  // legacy service-account token Secrets (kubernetes.io/service-account-token), per workspace
  const saTokens = new ServiceAccountTokens({ store, log, caPem: pki.ca.certPem, defaultCluster });
  await saTokens.start();
  const tokens = [...(opts.tokenAuthFile ? [StaticTokenFile.fromFile(opts.tokenAuthFile)] : []), tokenRegistry, saTokens.authenticator];
  const authenticator = new Authenticator({ clientCA: pki.ca.certPem, tokens });

  let ready = false;
  const livez = new HealthRegistry({ name: 'livez' });
  const readyz = new HealthRegistry({ name: 'readyz' });
  readyz.add('startup', () => { if (!ready) throw new Error('still starting'); });
  readyz.add('storage', async () => { await store.currentResourceVersion(); });
  const aux = express();
  aux.disable('x-powered-by');
  aux.disable('etag');
  const health = (reg: HealthRegistry) => async (req: express.Request, res: express.Response) => {
    const one = req.params.check;
    const r = one ? await reg.handleOne(String(one)) : await reg.handle(new URLSearchParams(req.url.split('?')[1] ?? ''));
    res.status(r.status).type('text/plain').send(r.body);
  };
  aux.get(['/healthz', '/livez'], health(livez));
  aux.get(['/healthz/:check', '/livez/:check'], health(livez));
  aux.get('/readyz', health(readyz));
  aux.get('/readyz/:check', health(readyz));
  aux.get('/metrics', async (_req, res) => {
    res.type(metricsContentType).send(await metricsText());
  });
  hooks.auxRoutes?.(aux, deps);
  aux.use((_req, res) => {
    res.status(404).json(notFoundPath().toStatus());
  });

  // proxy mode: workspaces, APIs and discovery live in the kcp the kubeconfig names (src/proxy/README.md)
  const kcpProxy = opts.kcpKubeconfig ? createKcpProxy({ kubeconfig: opts.kcpKubeconfig, defaultCluster: ROOT_CLUSTER, log }) : undefined;
  if (kcpProxy) {
    log.info({ upstream: kcpProxy.upstream, upstreamIdentity: kcpProxy.identity, impersonation: kcpProxy.impersonates },
      `proxy mode: forwarding /clusters, /api, /apis, /openapi and /version to kcp at ${kcpProxy.upstream}`);
  }
  const server = createApiServer({
    tls: { keyPem: pki.serving.keyPem, certPem: pki.serving.certPem, caPem: pki.ca.certPem },
    authenticate: (req) => authenticator.authenticate(req),
    ctx, defaultCluster, workspaces: serverMode,
    virtualWorkspaces: hooks.virtualWorkspaces?.(deps) ?? [],
    aux, version: VERSION, log,
    proxy: kcpProxy ? (req, res, user) => kcpProxy.handle(req, res, user) : undefined,
  });
  const port = await listen(server, opts.port, opts.bindAddress);
  const host = opts.bindAddress === '0.0.0.0' || opts.bindAddress === '::' ? '127.0.0.1' : opts.bindAddress;
  const url = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  externalURL = url;

  // every logical cluster gets a `default` namespace, as kcp and kube do
  const lifecycle = new NamespaceLifecycle({ store, generic, catalog, log, defaultCluster });
  await lifecycle.start(clusters);

  const kubeconfigPath = join(dataDir, 'admin.kubeconfig');
  await writeKubeconfig(kubeconfigPath, {
    server: serverMode ? `${url}/clusters/root` : url,
    caPem: pki.ca.certPem, clientCertPem: pki.admin.certPem, clientKeyPem: pki.admin.keyPem,
    user: 'admin', context: serverMode ? 'root' : 'cluster',
  });
  if (bindings && clusters) {
    await bootstrapTMC({
      generic, catalog, bindings, log, workloadDefs: natives,
      clusterReady: async (c) => { if (!clusters.exists(c)) throw new Error(`bootstrap: workspace ${c} did not appear`); },
    });
  }

  const components: Component[] = [];
  for (const make of hooks.components ?? []) components.push(await make(deps));
  ready = true;

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      ready = false;
      for (const c of components.reverse()) await c.stop();
      lifecycle.stop();
      saTokens.stop();
      rbac.stop();
      bindings?.stop();
      crds.stop();
      clusters?.stop();
      await new Promise<void>((res) => {
        server.close(() => res());
        server.closeAllConnections();
      });
      kcpProxy?.close();
      await store.close();
    })();
    return stopping;
  };
  return { url, port, kubeconfigPath, pki, store, catalog, generic, logger: log, tokens: tokenRegistry, bindings, stop };
}

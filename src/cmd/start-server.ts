/**
 * Wiring for tmc-server as an ordered list of components (components.ts): storage, listener,
 * CRDs, logical clusters, API bindings, RBAC, service-account tokens, the API, namespace
 * lifecycle, the admin kubeconfig, bootstrap, the plug-in components, readiness. Started in that
 * order, stopped in reverse. The listener is bound before anything is built, so the server's URL
 * is a plain value every part gets at construction. Tests call startTmcServer in-process; the
 * entry point (tmc-server.ts) calls it from flags.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import express, { type Express } from 'express';
import type https from 'node:https';
import { Discovery } from '../apiserver/discovery.js';
import { OpenAPIService } from '../apiserver/openapi-service.js';
import { createPatcher, managedFieldsUpdater } from '../apiserver/patcher.js';
import { rbacAuthorizer, type RBACWiring } from '../apiserver/authorizer.js';
import { apiRequestListener, createTlsServer, listen, type VirtualWorkspace } from '../apiserver/server.js';
import { notFoundPath } from '../apiserver/router.js';
import type { ApiContext } from '../apiserver/context.js';
import { createLogger, type Logger } from '../observability/logger.js';
import { healthEndpoints, mountHealthRoutes, mountMetricsRoute, storageProbe } from '../observability/health-routes.js';
import { enableDefaultMetrics, probeStorageOnScrape } from '../observability/metrics.js';
import { startTracing } from '../observability/tracing.js';
import { withStorageMetrics } from '../storage/instrumented-store.js';
import { EVENTS_V1_STORAGE } from '../registry/events-storage.js';
import { withConvertedStorage } from '../registry/converted-storage.js';
import { KCP_V1ALPHA2_STORAGE } from '../tenancy/apis/v1alpha2-conversion.js';
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
import { StoreInformers } from '../storage/informers.js';
import { namespaceView, serviceAccountView } from '../registry/informer-views.js';
import { logicalClusterView, workspaceView } from '../tenancy/informer-views.js';
import type { Store } from '../storage/types.js';
import { EncryptionError, SecretEncryption } from '../security/encryption.js';
import { withSecretEncryption } from '../security/encrypting-store.js';
import { LogicalClusters, ROOT_CLUSTER, WORKSPACE_RESOURCE } from '../tenancy/logical-clusters.js';
import { APIBindings } from '../tenancy/apis/api-bindings.js';
import { bootstrapTMC } from '../tenancy/bootstrap.js';
import { workloadDefs } from '../registry/builtin/index.js';
import { withKcpStrategy } from '../tenancy/kcp-strategies.js';
import { WorkspaceTypes } from '../tenancy/workspaces/workspace-types.js';
import { LOGICAL_CLUSTER_RESOURCE, WorkspaceLifecycle } from '../tenancy/workspaces/workspace-lifecycle.js';
import { HomeWorkspaces } from '../tenancy/workspaces/home.js';
import { EndpointSlices } from '../tenancy/apis/endpoint-slices.js';
import { NamespaceLifecycle } from '../registry/namespace-lifecycle-controller.js';
import { namespaceStrategy } from '../registry/namespace-strategy.js';
import { ServiceAccountTokens, tokenSecretView } from '../registry/service-account-tokens.js';
import type { ServerOptions } from './server-options.js';
import { createKcpProxy } from '../proxy/kcp-proxy.js';
import { startComponents, type ServerComponent } from './components.js';
import { startEventLoopGuard, type EventLoopGuard } from '../observability/event-loop.js';

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
  /** The shared informers over the store (what the server keeps in memory of each resource). */
  informers: StoreInformers;
  /**
   * What the server keeps per logical cluster, counted, for tests that guard the memory an empty
   * workspace costs (test/cmd/workspace-memory.test.ts): what grows with the number of workspaces
   * belongs here.
   */
  memoryStats(): ServerMemoryStats;
  /** The components running, in start order. */
  components(): string[];
  stop(): Promise<void>;
}

export interface ServerMemoryStats {
  /** Logical clusters known (server mode): one per workspace, and root. */
  logicalClusters: number;
  /** Clusters with a catalog index (and discovery, OpenAPI) of their own: those serving more than the built-ins. */
  catalogIndexes: number;
  /** Objects kept by each shared informer, by resource. */
  informerObjects: Record<string, number>;
}

/** What the pluggable parts get to build themselves from. */
export interface ServerDeps {
  opts: ServerOptions;
  store: Store;
  /** One shared informer per resource over the store, for every part that keeps a view of one. */
  informers: StoreInformers;
  generic: GenericStore;
  catalog: ResourceCatalog;
  log: Logger;
  pki: PKI;
  tokens: TokenRegistry;
  /** The server's base URL: the listener is bound before any part is built. */
  url: string;
  /** Server mode: APIExports/APIBindings (undefined in cluster mode). */
  bindings?: APIBindings;
  /** RBAC for checks outside a request path (virtual workspaces). */
  allows?: RBACWiring['allows'];
  /** Server mode: which logical clusters exist, by path and by name (undefined in cluster mode). */
  clusters?: LogicalClusters;
}

/** Something that runs inside the server while it is up (simulator, in-process controllers). */
export interface Component { stop(): void | Promise<void> }

/** A plug-in component: made (started) after the API serves, in list order; stopped in reverse. */
export interface ComponentFactory { name: string; make(deps: ServerDeps): Promise<Component> | Component }

/**
 * Extension points, so each layer plugs in without the wiring knowing its insides. Defaults for
 * the product are set in `defaultHooks` (default-hooks.ts); tests may pass their own.
 */
export interface StartHooks {
  logger?: Logger;
  /** Wraps the opened store before anything uses it (tests break its watches through this). */
  wrapStore?: (store: Store) => Store;
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
  /**
   * Started after the API serves and the admin kubeconfig is written, in order; stopped first at
   * shutdown, in reverse. A bare function is named after itself.
   */
  components?: Array<ComponentFactory | ((deps: ServerDeps) => Promise<Component> | Component)>;
}

export async function startTmcServer(opts: ServerOptions, hooks: StartHooks = {}): Promise<RunningServer> {
  const log = hooks.logger ?? createLogger({ level: opts.logLevel, format: opts.logFormat });
  const dataDir = resolve(opts.dataDir);
  await mkdir(dataDir, { recursive: true });
  const pki = await ensurePKI({ dir: join(dataDir, 'pki'), hosts: [opts.bindAddress, ...(opts.tlsSans ?? [])], logger: log });
  // Read the key file before opening storage, so a bad one fails the start with nothing opened.
  const secretEncryption = SecretEncryption.fromKeyFile(opts.encryptionKeyFile);
  // Always wrapped: without a key nothing is sealed, but sealed values left by an earlier run read
  // as a clear error instead of ciphertext.
  // events.k8s.io/v1 Events are stored as core/v1 Events and apis.kcp.io v1alpha2 APIExports/APIBindings as
  // v1alpha1, converted both ways by one wrapper (registry/converted-storage.ts)
  const sealed = withConvertedStorage(withStorageMetrics(withSecretEncryption(
    await createStore({ backend: opts.storage, dataDir, etcdServers: opts.etcdServers, etcdRequestTimeoutMs: opts.etcdRequestTimeoutMs, historySize: opts.watchCacheSize, logger: log }),
    secretEncryption)), [EVENTS_V1_STORAGE, ...KCP_V1ALPHA2_STORAGE]);
  const store = hooks.wrapStore ? hooks.wrapStore(sealed) : sealed;
  enableDefaultMetrics();
  probeStorageOnScrape(store);
  const tracing = startTracing({
    endpoint: opts.tracingEndpoint, samplingRatio: opts.tracingSamplingRatio, logger: log,
    serviceName: process.env.OTEL_SERVICE_NAME ?? (opts.mode === 'cluster' ? 'tmc-cluster' : 'tmc-server'),
  });
  // Bound first (answering 503 until the API is in), so the URL is a value every part below is built with.
  const tls = createTlsServer({ keyPem: pki.serving.keyPem, certPem: pki.serving.certPem, caPem: pki.ca.certPem });
  let port: number;
  try {
    port = await listen(tls.server, opts.port, opts.bindAddress);
  } catch (err) {
    await store.close();
    throw err;
  }
  const host = opts.bindAddress === '0.0.0.0' || opts.bindAddress === '::' ? '127.0.0.1' : opts.bindAddress;
  const url = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;

  const serverMode = opts.mode === 'server';
  const defaultCluster = serverMode ? ROOT_CLUSTER : 'cluster';
  // one shared informer per resource for every part of the server that keeps a view of one; the
  // resources with objects in every workspace are kept as views of what their readers use
  const informers = new StoreInformers(store, {
    defaultCluster, logger: log,
    transforms: {
      secrets: tokenSecretView, namespaces: namespaceView, serviceaccounts: serviceAccountView,
      [WORKSPACE_RESOURCE]: workspaceView, [LOGICAL_CLUSTER_RESOURCE]: logicalClusterView,
    },
    // a Secret sealed with a key this server lacks stays unreadable however often it is listed
    isTerminal: (err) => err instanceof EncryptionError,
  });
  const clusters = serverMode ? new LogicalClusters(informers) : undefined;
  const workspaceTypes = serverMode ? new WorkspaceTypes(informers) : undefined;
  const builtins: ResourceDef[] = [...(serverMode ? serverModeDefs() : clusterModeDefs()), ...(hooks.extraDefs?.() ?? [])].map((d) => {
    d = hooks.wrapDef ? hooks.wrapDef(d) : d;
    d = withKcpStrategy(d, { externalURL: () => url, types: workspaceTypes, workspaceOf: (c) => clusters?.workspace(c) });
    if (d.group === '' && d.resource === 'namespaces') return { ...d, strategy: namespaceStrategy(d.strategy) };
    return d;
  });
  const catalog = new ResourceCatalog(builtins);
  const crds = new CrdSource(store, informers, log);
  catalog.addSource(crds);

  const tokenRegistry = new TokenRegistry();
  const rbac = rbacAuthorizer(informers, clusters);
  const baseDeps = { opts, store, informers, catalog, log, pki, tokens: tokenRegistry, url, allows: rbac.allows, clusters };
  const generic = new GenericStore({
    store, annotateCluster: serverMode, managedFields: managedFieldsUpdater,
    clusterName: clusters ? (path) => clusters.nameOf(path) : undefined,
    admission: hooks.admission?.(baseDeps),
    schemaRules: hooks.schemaRules?.(baseDeps),
    // etcd: a namespaced create's namespace check from the shared informer, not a range request
    cachedNamespace: (cluster, name) => {
      const inf = informers.informer('namespaces');
      return inf.hasSynced() ? inf.get(cluster, undefined, name) : undefined;
    },
  });

  // kcp's API model: exports, bindings, identities; bound resources are served per workspace
  const natives = workloadDefs();
  const bindings = serverMode ? new APIBindings({
    store, informers, generic, log,
    crdDefs: (c) => crds.defsFor(c),
    resolveDef: (c, g, v, r) => catalog.resolve(c, g, v, r),
    externalURL: () => url,
    nativeDef: (g, r, v) => natives.find((d) => d.group === g && d.resource === r && d.version === v),
  }) : undefined;
  if (bindings) catalog.addSource(bindings);
  // kcp's workspace controllers: LogicalCluster objects, the deletion cascade, home workspaces
  const workspaces = serverMode ? new WorkspaceLifecycle({ store, informers, generic, catalog, log, externalURL: () => url, types: workspaceTypes }) : undefined;
  const slices = serverMode ? new EndpointSlices({ store, generic, catalog, log, externalURL: () => url }) : undefined;
  const homes = clusters ? new HomeWorkspaces({ store, generic, catalog, clusterExists: (c) => clusters.exists(c) }) : undefined;
  const deps: ServerDeps = { ...baseDeps, generic, bindings };

  // legacy service-account token Secrets (kubernetes.io/service-account-token), per workspace
  const saTokens = new ServiceAccountTokens({ store, informers, log, caPem: pki.ca.certPem, clusterName: clusters && ((path) => clusters.nameOf(path)) });
  // every logical cluster gets a `default` namespace, as kcp and kube do
  const lifecycle = new NamespaceLifecycle({ store, informers, generic, catalog, log, defaultCluster });
  // proxy mode: workspaces, APIs and discovery live in the kcp the kubeconfig names (src/proxy/README.md)
  const kcpProxy = opts.kcpKubeconfig ? createKcpProxy({ kubeconfig: opts.kcpKubeconfig, defaultCluster: ROOT_CLUSTER, log }) : undefined;
  const kubeconfigPath = join(dataDir, 'admin.kubeconfig');
  let ready = false;
  let loopGuard: EventLoopGuard | undefined;

  const components: ServerComponent[] = [
    { name: 'tracing', start: () => undefined /* started above: spans of the start-up belong to it */, stop: () => tracing?.shutdown() },
    { name: 'storage', start: () => undefined /* opened above: everything is built on it */, stop: () => store.close() },
    { name: 'event-loop-guard', start: () => { loopGuard = startEventLoopGuard(log); }, stop: () => loopGuard?.stop() },
    { name: 'informers', start: () => undefined /* each starts when a part first asks for it */, stop: () => informers.stop() },
    { name: 'listener', start: () => undefined /* bound above: the URL is known */, stop: () => closeServer(tls.server) },
    // The shared secrets informer's first list opens every stored Secret: with a wrong or missing
    // encryption key the start fails here, naming the key, before any component serves or reads.
    { name: 'secrets', start: async () => { await informers.synced('secrets'); } },
    { name: 'crds', start: () => crds.start(), stop: () => crds.stop() },
    ...(clusters ? [{ name: 'logical-clusters', start: () => clusters.start(), stop: () => clusters.stop() }] : []),
    ...(workspaceTypes ? [{ name: 'workspace-types', start: () => workspaceTypes.start(), stop: () => workspaceTypes.stop() }] : []),
    ...(bindings ? [{ name: 'api-bindings', start: () => bindings.start(), stop: () => bindings.stop() }] : []),
    ...(slices ? [{ name: 'endpoint-slices', start: () => slices.start(), stop: () => slices.stop() }] : []),
    ...(workspaces ? [{ name: 'workspace-lifecycle', start: () => workspaces.start(), stop: () => workspaces.stop() }] : []),
    { name: 'rbac', start: () => rbac.start(), stop: () => rbac.stop() },
    { name: 'service-account-tokens', start: () => saTokens.start(), stop: () => saTokens.stop() },
    {
      name: 'api',
      start: () => {
        const ctx: ApiContext = {
          catalog, discovery: new Discovery(catalog), generic, patcher: createPatcher(), log,
          authorize: rbac.authorize, access: rbac,
          openapi: new OpenAPIService(catalog),
          checkCluster: async (cluster) => {
            if (!clusters) {
              if (cluster !== defaultCluster) throw new Error('unreachable: cluster mode has one cluster');
              return;
            }
            clusters.check(cluster);
          },
          ...(clusters ? { resolveCluster: (x: string) => clusters.resolve(x) } : {}),
          ...(homes ? { homeWorkspace: (user) => homes.get(user) } : {}),
        };
        const tokens = [...(opts.tokenAuthFile ? [StaticTokenFile.fromFile(opts.tokenAuthFile)] : []), tokenRegistry, saTokens.authenticator];
        const authenticator = new Authenticator({ clientCA: pki.ca.certPem, tokens });
        if (kcpProxy) {
          log.info({ upstream: kcpProxy.upstream, upstreamIdentity: kcpProxy.identity, impersonation: kcpProxy.impersonates },
            `proxy mode: forwarding /clusters, /api, /apis, /openapi and /version to kcp at ${kcpProxy.upstream}`);
        }
        tls.serve(apiRequestListener({
          authenticate: (req) => authenticator.authenticate(req),
          ctx, defaultCluster, workspaces: serverMode,
          virtualWorkspaces: hooks.virtualWorkspaces?.(deps) ?? [],
          aux: auxApp(deps, () => ready, hooks), version: VERSION, log,
          proxy: kcpProxy ? (req, res, user) => kcpProxy.handle(req, res, user) : undefined,
        }));
      },
      stop: () => kcpProxy?.close(),
    },
    { name: 'namespace-lifecycle', start: () => lifecycle.start(clusters), stop: () => lifecycle.stop() },
    {
      name: 'admin-kubeconfig',
      start: () => writeKubeconfig(kubeconfigPath, {
        server: serverMode ? `${url}/clusters/root` : url,
        caPem: pki.ca.certPem, clientCertPem: pki.admin.certPem, clientKeyPem: pki.admin.keyPem,
        user: 'admin', context: serverMode ? 'root' : 'cluster',
      }),
    },
    ...(bindings && clusters ? [{
      name: 'bootstrap',
      start: () => bootstrapTMC({
        generic, catalog, bindings, log, workloadDefs: natives,
        clusterReady: async (c) => { if (!clusters.exists(c)) throw new Error(`bootstrap: workspace ${c} did not appear`); },
      }),
    }] : []),
    ...(hooks.components ?? []).map((factory, i) => pluginComponent(factory, i, deps)),
    { name: 'ready', start: () => { ready = true; }, stop: () => { ready = false; } },
  ];
  const running = await startComponents(components, log);
  return {
    url, port, kubeconfigPath, pki, store, catalog, generic, logger: log, tokens: tokenRegistry, bindings, informers,
    memoryStats: () => ({ logicalClusters: clusters?.all().length ?? 0, catalogIndexes: catalog.indexedClusters(), informerObjects: informers.sizes() }),
    components: running.names, stop: running.stop,
  };
}

/** A plug-in component as a list entry: made at start, stopped through what it returned. */
function pluginComponent(factory: NonNullable<StartHooks['components']>[number], index: number, deps: ServerDeps): ServerComponent {
  const named = typeof factory === 'function' ? { name: factory.name || `component-${index}`, make: factory } : factory;
  let made: Component | undefined;
  return { name: named.name, start: async () => { made = await named.make(deps); }, stop: () => made?.stop() };
}

/** Everything off the API paths: health, readiness, metrics, and the plug-ins' routes (admission webhooks). */
function auxApp(deps: ServerDeps, isReady: () => boolean, hooks: StartHooks): Express {
  const health = healthEndpoints();
  health.readyz.add('startup', () => { if (!isReady()) throw new Error('still starting'); });
  health.readyz.add('storage', storageProbe(deps.store));
  const aux = express();
  aux.disable('x-powered-by');
  aux.disable('etag');
  mountHealthRoutes(aux, health);
  mountMetricsRoute(aux);
  hooks.auxRoutes?.(aux, deps);
  aux.use((_req, res) => {
    res.status(404).json(notFoundPath().toStatus());
  });
  return aux;
}

function closeServer(server: https.Server): Promise<void> {
  return new Promise<void>((res) => {
    server.close(() => res());
    server.closeAllConnections();
  });
}

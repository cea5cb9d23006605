/**
 * The product's default wiring of the pluggable parts: what runs inside tmc-server in each mode.
 * Server mode: the TMC virtual workspaces and the in-process controllers (cluster health; the
 * sync engine and placement once wired). Cluster mode: the physical-cluster simulator.
 * Tests pass their own hooks to override single entries.
 */
import { Informer } from '../client/informer.js';
import { CLUSTER_REGISTRATIONS } from '../apis/tmc/gvr.js';
import { clusterRegistrationComponent } from '../reconcilers/clusterregistration/index.js';
import { simulatorAdmission, simulatorComponent } from '../simulator/index.js';
import {
  admissionHook, registerAdmissionRoutes, schemaRulesHook, validateAPIResourceSchemaRules, validatingAdmissionPolicyDefs, withRuleCompilation,
} from '../admission/index.js';
import { HttpTransport } from '../client/http-transport.js';
import { KubeClient } from '../client/kube-client.js';
import { WorkloadPlacementController } from '../reconcilers/workloadplacement/index.js';
import { syncerManagerComponent } from '../syncer/index.js';
import { registerConsole } from '../console/serve.js';
import type { ResourceDef } from '../registry/types.js';
import type { AdmissionAttributes, AdmissionHook } from '../registry/hooks.js';
import type { VirtualWorkspace } from '../apiserver/server.js';
import type { ServerDeps } from './start-server.js';
import { rbacExportAuthorizer, rbacInitializeAuthorizer, rbacSyncAuthorizer, tmcVirtualWorkspaces } from '../virtual/index.js';
import { leaderElectionEnabled, type ServerOptions } from './server-options.js';
import { CONTROLLERS_LEASE, leaderElected } from './leader-elected.js';
import { shardedSyncerComponents } from './syncer-shards.js';
import type { ComponentFactory, StartHooks } from './start-server.js';

/** Where the TMC controllers see every workspace that bound the TMC API. */
export const TMC_EXPORT_VIEW = '/services/apiexport/root:tmc/tmc.kcp.io';

const isCRD = (d: ResourceDef) => d.group === 'apiextensions.k8s.io' && d.resource === 'customresourcedefinitions';
const isAPIResourceSchema = (d: ResourceDef) => d.group === 'apis.kcp.io' && d.resource === 'apiresourceschemas';

/** Both plug-in families of cluster mode in one chain: the simulator's, then the policy chain. */
function both(a: AdmissionHook, b: AdmissionHook): AdmissionHook {
  return {
    async mutate(attrs: AdmissionAttributes) { await a.mutate(attrs); await b.mutate(attrs); },
    async validate(attrs: AdmissionAttributes) { await a.validate(attrs); await b.validate(attrs); },
  };
}

/** An in-process controller's client: HTTPS to this server with the admin identity. */
function adminClient(deps: ServerDeps): { kubeClient: KubeClient; close(): void } {
  const transport = new HttpTransport({ server: deps.url, ca: deps.pki.ca.certPem, cert: deps.pki.admin.certPem, key: deps.pki.admin.keyPem });
  return { kubeClient: new KubeClient(transport), close: () => transport.close() };
}

/** The virtual workspaces; access: the fixed rules, then RBAC in the export's / registration's / WorkspaceType's workspace (kcp's verbs). */
export function defaultVirtualWorkspaces(deps: ServerDeps): VirtualWorkspace[] {
  return tmcVirtualWorkspaces(deps, deps.allows ? {
    exports: rbacExportAuthorizer(deps.allows), syncers: rbacSyncAuthorizer(deps.allows), initializers: rbacInitializeAuthorizer(deps.allows),
  } : {});
}

type HookOptions = Pick<ServerOptions, 'mode'> & Partial<Pick<ServerOptions, 'storage' | 'leaderElect' | 'controllers'>>;

export function defaultHooks(opts: HookOptions): StartHooks {
  const common: StartHooks = {
    schemaRules: () => schemaRulesHook(),
    extraDefs: () => validatingAdmissionPolicyDefs(),
    wrapDef: (d) => (isCRD(d) ? withRuleCompilation(d) : isAPIResourceSchema(d) ? withRuleCompilation(d, validateAPIResourceSchemaRules) : d),
    auxRoutes: (app, deps) => registerAdmissionRoutes(app, deps),
  };
  if (opts.mode === 'cluster') {
    return {
      ...common,
      components: [{ name: 'simulator', make: simulatorComponent }],
      admission: (deps) => both(simulatorAdmission(deps), admissionHook(deps)),
    };
  }
  return {
    ...common,
    // the web console (docs/console.md): static files; its API calls carry the user's token
    auxRoutes: (app, deps) => { registerAdmissionRoutes(app, deps); registerConsole(app); },
    admission: (deps) => admissionHook(deps),
    virtualWorkspaces: defaultVirtualWorkspaces,
    // --controllers=false: the API alone; a tmc-controller process runs them through the TMC
    // export's virtual workspace (docs/tmc-controller.md)
    components: opts.controllers === false ? [] : [
      ...electedIfReplicated(opts, [
        {
          name: 'clusterregistration-controller',
          make: (deps) => clusterRegistrationComponent(deps, {
            registrationInformers: (upstream) => [
              new Informer({ source: upstream.withPrefix(TMC_EXPORT_VIEW).forCluster('*'), gvr: CLUSTER_REGISTRATIONS }),
            ],
          }),
        },
        {
          name: 'workloadplacement-controller',
          make: async (deps) => {
            const { kubeClient, close } = adminClient(deps);
            const controller = new WorkloadPlacementController({
              kubeClient, workspaces: [], logger: deps.log.child({ controller: 'workloadplacement' }),
              discoverWorkspaces: () => deps.bindings?.bindingsOf('root:tmc', 'tmc.kcp.io').map((b) => b.cluster) ?? [],
            });
            await controller.start();
            return { stop: async () => { await controller.stop(); close(); } };
          },
        },
      ]),
      // push mode: one syncer per Ready ClusterRegistration, in-process; with replicas, each
      // cluster's on the holder of its own Lease, so no cluster ever has two syncers
      ...(replicated(opts) ? shardedSyncerComponents() : [{ name: 'syncer-manager', make: (deps: ServerDeps) => syncerManagerComponent(deps, {}) }]),
    ],
  };
}

/**
 * The controllers run on every server alone, or, when replicas share etcd (--leader-elect), only on
 * the holder of the `tmc-controllers` Lease (docs/ha.md).
 */
function electedIfReplicated(opts: HookOptions, controllers: ComponentFactory[], lease = CONTROLLERS_LEASE): ComponentFactory[] {
  return replicated(opts) ? [leaderElected(`${lease} (leader-elected)`, lease, controllers)] : controllers;
}

function replicated(opts: HookOptions): boolean {
  return leaderElectionEnabled({ mode: opts.mode, storage: opts.storage ?? 'sqlite', leaderElect: opts.leaderElect ?? 'auto' });
}

/** Defaults with per-hook overrides (a hook given by the caller replaces the default one). */
export function withDefaultHooks(opts: HookOptions, overrides: StartHooks = {}): StartHooks {
  const merged: StartHooks = { ...defaultHooks(opts) };
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) (merged as Record<string, unknown>)[k] = v;
  return merged;
}

/**
 * Push mode in-process: one Syncer per ClusterRegistration that is Push (the default), Ready and
 * not being deleted, in the registration workspaces; plus the StatusAggregator over the workload
 * workspaces. Workspaces are given, or discovered (bound to root:tmc `tmc.kcp.io` for
 * registrations, to root:compute `kubernetes` for workloads) by a wildcard APIBinding informer.
 *
 * NotReady blips: a running syncer keeps running for `notReadyGraceMs` (default 30 s) after its
 * registration turns NotReady; a heartbeat missed by a few seconds does not tear down and rebuild
 * every informer. Past the grace it stops (downstream objects stay where they are; nothing is
 * deleted because a cluster is unreachable). A deleted registration stops its syncer at once and
 * releases the cluster (lifecycle/release-cluster.ts) so no upstream deletion waits for it.
 *
 * Sharded (several replicas, docs/ha.md): with `shards`, a cluster's syncer runs only while this
 * replica owns the cluster's shard; every eligible cluster is campaigned for, ownership changes
 * start and stop syncers, and each syncer writes through fenced clients that refuse writes the
 * moment ownership lapses. The aggregator and the release of deleted clusters then run in a
 * separate, leader-elected manager (`runSyncers: false`).
 */
import { clusterKey as clusterKeyOf } from '../../apis/contract.js';
import { CLUSTER_REGISTRATIONS, type ClusterRegistration } from '../../apis/tmc/index.js';
import { Informer } from '../../client/informer.js';
import { HttpTransport } from '../../client/http-transport.js';
import { KubeClient } from '../../client/kube-client.js';
import { clusterOf } from '../../client/object-cache.js';
import type { KubeObject } from '../../client/types.js';
import { Controller } from '../../controllers/controller.js';
import { fencedTransport } from '../../controllers/fenced-transport.js';
import { EventRecorder } from '../../controllers/event-recorder.js';
import type { ReconcileResult } from '../../controllers/reconcile.js';
import { WorkQueue } from '../../controllers/workqueue.js';
import type { Logger } from '../../observability/logger.js';
import { releaseCluster } from '../lifecycle/release-cluster.js';
import { DEFAULT_RESOURCES, selectResources } from '../resources.js';
import { StatusAggregator } from '../status/aggregator.js';
import { ReportBatcher, type AnnotationWriter } from '../status/report-batcher.js';
import { Syncer } from '../syncer.js';
import { DirectSource } from '../upstream/direct-source.js';
import { SharedUpstreamInformers } from '../upstream/shared-informers.js';
import {
  BoundWorkspaces, COMPUTE_EXPORT, TMC_EXPORT, staticWorkspaces, type WorkspaceProvider,
} from '../upstream/workspaces.js';
import { downstreamClientFor } from './credentials.js';

export interface SyncerManagerOptions {
  /** Where ClusterRegistrations live. @default discovered: workspaces bound to root:tmc tmc.kcp.io */
  registrationWorkspaces?: string[];
  /** Where workloads live. @default discovered: workspaces bound to root:compute kubernetes */
  workloadWorkspaces?: string[];
  /**
   * Where workloads live, as a provider (wins over `workloadWorkspaces`): tmc-controller passes
   * the workspaces its APIExport virtual workspace shows (ViewWorkspaces).
   */
  workloadWorkspaceProvider?: WorkspaceProvider;
  /** Only where wildcard reads are refused (see BoundWorkspaces): the tree-walk interval. @default 10000 */
  discoveryIntervalMs?: number;
  /** @default 30000 */
  notReadyGraceMs?: number;
  /** Passed to each Syncer. */
  namespaceCleanDelayMs?: number;
  resyncMs?: number;
  workers?: number;
  /** Run the status aggregator. @default true */
  aggregate?: boolean;
  /** Run syncers (false: only the aggregator and releasing deleted clusters). @default true */
  runSyncers?: boolean;
  /** Release a deleted cluster from upstream objects. @default true */
  releaseDeleted?: boolean;
  /** Run a cluster's syncer only while this replica owns its shard (the cluster key). */
  shards?: (callbacks: ShardCallbacks) => ShardOwnership;
  logger?: Logger;
}

/** Who owns which cluster (controllers/lease-shards.ts over Leases). */
export interface ShardOwnership {
  start(): void;
  stop(): Promise<void>;
  want(shard: string): void;
  unwant(shard: string): Promise<void>;
  /** Ours at this instant: also the fence each write of the shard's syncer checks. */
  owns(shard: string): boolean;
  /** The Lease name of a shard, for messages. */
  leaseOf?(shard: string): string;
}

export interface ShardCallbacks {
  onAcquired(shard: string): void;
  onLost(shard: string): Promise<void>;
}

interface Running {
  syncer: Syncer;
  generation: number | undefined;
  notReadySince?: number;
  started: Promise<void>;
  /** Drops the pooled sockets of this syncer's own downstream client. */
  closeDownstream: () => void;
}

export class SyncerManager {
  private readonly registrationWorkspaces: WorkspaceProvider;
  private readonly workloadWorkspaces: WorkspaceProvider;
  private readonly discovered: BoundWorkspaces[] = [];
  private readonly informers = new Map<string, Informer>();
  private readonly running = new Map<string, Running>();
  private readonly deleted = new Set<string>();
  private readonly queue = new WorkQueue({ name: 'syncer-manager', rateLimiter: { baseDelayMs: 200, maxDelayMs: 30_000 } });
  private readonly controller: Controller;
  private aggregator: StatusAggregator | undefined;
  /** One informer per workspace and resource for all our syncers and the aggregator. */
  private readonly shared: SharedUpstreamInformers;
  private unsubscribe: (() => void) | undefined;
  private readonly events: EventRecorder;
  private readonly shards: ShardOwnership | undefined;
  /** cluster key → the registration's queue key, to reconcile a cluster when its shard moves */
  private readonly registrationOf = new Map<string, string>();
  /** Status reports of every syncer here, one write per object (unsharded: sharded syncers write through their own fence). */
  readonly reports: ReportBatcher;

  constructor(private readonly rootClient: KubeClient, private readonly opts: SyncerManagerOptions = {}) {
    const provider = (given: string[] | undefined, exp: typeof TMC_EXPORT): WorkspaceProvider => {
      if (given) return staticWorkspaces(given);
      const d = new BoundWorkspaces(rootClient, exp, {
        intervalMs: opts.discoveryIntervalMs, logger: opts.logger,
        onError: (err) => opts.logger?.warn({ err }, 'workspace discovery failed; keeping the previous set'),
      });
      this.discovered.push(d);
      return d;
    };
    this.shared = new SharedUpstreamInformers(rootClient, opts.logger);
    this.reports = new ReportBatcher({ write: annotationWriter(rootClient), logger: opts.logger });
    this.events = new EventRecorder({ clientFor: (ws) => (ws ? rootClient.forCluster(ws) : rootClient), controller: 'tmc.kcp.io/syncer', logger: opts.logger });
    this.registrationWorkspaces = provider(opts.registrationWorkspaces, TMC_EXPORT);
    this.workloadWorkspaces = opts.workloadWorkspaceProvider ?? provider(opts.workloadWorkspaces, COMPUTE_EXPORT);
    this.controller = new Controller({ name: 'syncer-manager', queue: this.queue, logger: opts.logger, reconcile: (k) => this.reconcile(k) });
    this.shards = opts.shards?.({
      onAcquired: (ckey) => { const key = this.registrationOf.get(ckey); if (key) this.queue.add(key); },
      onLost: async (ckey) => {
        await this.stopSyncer(ckey, 'this replica no longer owns the cluster\'s shard');
        const key = this.registrationOf.get(ckey);
        if (key) this.queue.add(key);
      },
    });
  }

  async start(): Promise<void> {
    await Promise.all(this.discovered.map((d) => d.start()));
    if (this.opts.aggregate ?? true) {
      this.aggregator = new StatusAggregator({ rootClient: this.rootClient, workspaces: this.workloadWorkspaces, logger: this.opts.logger, shared: this.shared });
      await this.aggregator.start();
    }
    this.shards?.start();
    this.unsubscribe = this.registrationWorkspaces.onChange((ws) => this.watchRegistrations(ws));
    this.watchRegistrations(this.registrationWorkspaces.current());
    this.controller.start();
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    for (const d of this.discovered) d.stop();
    for (const inf of this.informers.values()) inf.stop();
    await this.controller.stop();
    // Stops the owned clusters' syncers before releasing their Leases: a graceful handover.
    await this.shards?.stop();
    await Promise.all([...this.running.values()].map((r) => { const stopped = r.syncer.stop(); r.closeDownstream(); return stopped; }));
    this.running.clear();
    this.reports.stop();
    await this.aggregator?.stop();
    this.shared.stop();
    await this.events.stop();
  }

  /** The running syncers by cluster key (for tests and debugging). */
  syncers(): Map<string, Syncer> {
    return new Map([...this.running].map(([k, r]) => [k, r.syncer]));
  }

  private watchRegistrations(workspaces: readonly string[]): void {
    for (const ws of workspaces) {
      if (this.informers.has(ws)) continue;
      const inf = new Informer({ source: this.rootClient.forCluster(ws), gvr: CLUSTER_REGISTRATIONS, logger: this.opts.logger, backoff: { initialMs: 200, maxMs: 10_000 } });
      const enqueue = (obj: KubeObject): void => this.queue.add(`${clusterOf(obj) || ws}|${obj.metadata?.name}`);
      inf.addEventHandler({
        onAdd: enqueue, onUpdate: (_o, n) => enqueue(n),
        onDelete: (obj) => { this.deleted.add(`${clusterOf(obj) || ws}|${obj.metadata?.name}`); enqueue(obj); },
      });
      this.informers.set(ws, inf);
      inf.start();
    }
  }

  private async reconcile(key: string): Promise<ReconcileResult> {
    const [ws, name] = key.split('|');
    const ckey = clusterKeyOf(ws, name);
    // registrationWorkspaces ['*'] (a virtual workspace): one wildcard informer holds every workspace's
    const reg = (this.informers.get(ws) ?? this.informers.get('*'))?.get(ws, undefined, name) as ClusterRegistration | undefined;
    const running = this.running.get(ckey);
    this.registrationOf.set(ckey, key);

    if (!reg || reg.metadata?.deletionTimestamp || reg.spec?.syncMode === 'Pull') {
      if (running) await this.stopSyncer(ckey, 'registration deleted or not Push');
      await this.shards?.unwant(ckey);
      if (!reg) this.registrationOf.delete(ckey);
      if (!reg && this.deleted.delete(key) && (this.opts.releaseDeleted ?? true)) {
        const n = await releaseCluster({ rootClient: this.rootClient, workspaces: this.workloadWorkspaces.current(), clusterKey: ckey });
        this.opts.logger?.info({ registration: key, clusterKey: ckey, released: n }, 'released a deleted cluster from upstream objects');
      }
      return;
    }
    if (!(this.opts.runSyncers ?? true)) return;
    const ready = reg.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
    if (!ready) {
      if (!running) { await this.shards?.unwant(ckey); return; }
      const grace = this.opts.notReadyGraceMs ?? 30_000;
      running.notReadySince ??= Date.now();
      const left = grace - (Date.now() - running.notReadySince);
      if (left > 0) return { requeueAfter: left };
      await this.stopSyncer(ckey, 'registration NotReady past the grace period');
      await this.shards?.unwant(ckey);
      return;
    }
    const shards = this.shards;
    if (shards) {
      shards.want(ckey);
      if (!shards.owns(ckey)) {
        if (running) await this.stopSyncer(ckey, 'this replica does not own the cluster\'s shard');
        return; // reconciled again when the shard is acquired
      }
    }
    if (running) {
      running.notReadySince = undefined;
      if (running.generation === reg.metadata?.generation) return;
      await this.stopSyncer(ckey, 'registration spec changed');
    }
    let downstreamClient = await downstreamClientFor(this.rootClient.forCluster(ws), reg);
    let upstreamClient = this.rootClient;
    if (shards) {
      // Ownership may have lapsed while the credentials were read.
      if (!shards.owns(ckey) || this.running.has(ckey)) { downstreamClient.transport.close?.(); return; }
      const fence = (c: KubeClient): KubeClient => new KubeClient(fencedTransport(c.transport, () => shards.owns(ckey), `the Lease ${shards.leaseOf?.(ckey) ?? ckey}`), c.pathPrefix);
      downstreamClient = fence(downstreamClient);
      upstreamClient = fence(this.rootClient);
    }
    const resources = selectResources(DEFAULT_RESOURCES, reg.spec?.supportedResources);
    const logger = this.opts.logger?.child({ clusterKey: ckey, registration: key });
    // A sharded syncer's reports go through its own fenced client: a batch shared with other
    // clusters could be written after this replica lost the shard.
    const reports = shards ? new ReportBatcher({ write: annotationWriter(upstreamClient), logger }) : this.reports;
    const source = new DirectSource({ rootClient: upstreamClient, clusterKey: ckey, resources, workspaces: this.workloadWorkspaces, logger, shared: this.shared, reports });
    const syncer = new Syncer({
      clusterKey: ckey, source, downstreamClient, resources, logger, clusterName: reg.metadata?.name, events: this.events,
      namespaceCleanDelayMs: this.opts.namespaceCleanDelayMs, resyncMs: this.opts.resyncMs, workers: this.opts.workers,
    });
    // Not awaited: an unreachable cluster must not hold up the manager's queue; informers retry.
    const started = syncer.start().catch((err) => logger?.error({ err }, 'syncer failed to start'));
    const closeDownstream = (): void => {
      downstreamClient.transport.close?.();
      if (reports !== this.reports) reports.stop();
    };
    this.running.set(ckey, { syncer, generation: reg.metadata?.generation, started, closeDownstream });
  }

  private async stopSyncer(ckey: string, why: string): Promise<void> {
    const r = this.running.get(ckey);
    if (!r) return;
    this.running.delete(ckey);
    // Requests in flight to the cluster must not hold the stop for their timeout (an unreachable or
    // already-gone cluster): dropping the syncer's own sockets fails them at once.
    const stopped = r.syncer.stop();
    r.closeDownstream();
    await stopped;
    this.opts.logger?.info({ clusterKey: ckey, why }, 'syncer stopped');
  }
}

function annotationWriter(upstream: KubeClient): AnnotationWriter {
  return (ref, annotations) => upstream.forCluster(ref.workspace).patch(ref.resource.gvr, ref.namespace, ref.name, { metadata: { annotations } }, { type: 'merge' });
}

/** What the component needs from the server's deps (structurally a subset of ServerDeps). */
export interface ManagerDeps {
  url: string;
  pki: { ca: { certPem: string }; admin: { certPem: string; keyPem: string } };
  log?: Logger;
}

export async function syncerManagerComponent(deps: ManagerDeps, options: SyncerManagerOptions = {}): Promise<{ stop(): Promise<void> }> {
  const rootClient = new KubeClient(new HttpTransport({
    server: deps.url, ca: deps.pki.ca.certPem, cert: deps.pki.admin.certPem, key: deps.pki.admin.keyPem, userAgent: 'tmc-syncer-manager',
  }));
  const manager = new SyncerManager(rootClient, { logger: deps.log?.child({ component: 'syncer-manager' }), ...options });
  await manager.start();
  return { stop: () => manager.stop() };
}

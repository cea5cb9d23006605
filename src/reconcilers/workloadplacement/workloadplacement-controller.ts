/**
 * The workloadplacement controller: informers for WorkloadPlacements, ClusterRegistrations and
 * the workload types, handlers that enqueue the affected placements through indexes, a priority
 * queue (spec.priority first; a burst of events for one placement collapses to one key), workers
 * that run reconcilePlacement and commit the status through the committer.
 *
 * Where it watches is injected: `sourceFor(workspace)` gives the list/watch source of a
 * workspace (default: the server's `/clusters/<ws>`), so moving to the APIExport virtual
 * workspace is `workspaces: ['*']` plus a `sourceFor` that returns the VW client. Location
 * workspaces named by placements get a ClusterRegistration informer on first use.
 */
import { CLUSTER_REGISTRATIONS, PLACEMENT_DECISIONS, WORKLOAD_PLACEMENTS } from '../../apis/tmc/index.js';
import type { WorkloadPlacement } from '../../apis/tmc/index.js';
import { Informer, type ListWatchSource } from '../../client/informer.js';
import type { KubeClient } from '../../client/kube-client.js';
import type { GroupVersionResource } from '../../client/resource-path.js';
import type { KubeObject } from '../../client/types.js';
import type { CommitFunc } from '../../controllers/committer.js';
import { committerForClient } from '../../controllers/client-committer.js';
import { Controller } from '../../controllers/controller.js';
import { EventRecorder, type EventSink } from '../../controllers/event-recorder.js';
import { keyOf, splitKey } from '../../controllers/keys.js';
import type { ReconcileResult } from '../../controllers/reconcile.js';
import { WorkQueue } from '../../controllers/workqueue.js';
import { isAlreadyExists, isNotFound } from '../../errors/status.js';
import type { Logger } from '../../observability/logger.js';
import type { CelCompiler } from '../../placement/index.js';
import { defaultCelCompiler } from './cel-compiler.js';
import { SharedClusters } from './cluster-input.js';
import {
  BY_LOCATION, BY_NAMESPACE, BY_OWNER, BY_PLACED_ON, BY_PLACEMENT, BY_WORKLOAD_NAME, BY_WORKSPACE,
  byLocation, byNamespace, byOwner, byPlacedOn, byPlacement, byWorkloadName, byWorkspace,
  clusterChanged, namespaceKey, ownerKey, ownerOf, placedOnKey, placementChanged, placementKey, workloadChanged,
  workloadNameKey, workspaceOf,
} from './workloadplacement-indexes.js';
import { selects, splitOwner } from './selection.js';
import { reconcilePlacement, releasePlacement } from './workloadplacement-reconcile.js';
import { DEFAULT_WORKLOAD_RESOURCES, resourceFor, type WorkloadResource } from './workload-resources.js';
import type { ClusterRegistration, PlacementDecision, PlacementRef, ReconcileDeps, WorkloadObject } from './types.js';

export const CONTROLLER_NAME = 'workloadplacement';

export interface WorkloadPlacementControllerOptions {
  /** A client at the server root (kubeconfig with basePath ''); writes go through it. */
  kubeClient: KubeClient;
  /** Workspaces whose placements and workloads are watched (e.g. ['root:team']; ['*'] with a VW source). */
  workspaces: string[];
  /**
   * Workspaces found at runtime (e.g. those bound to the tmc.kcp.io APIExport), polled every
   * `rediscoverEveryMs`; each new one is watched like `workspaces`.
   */
  discoverWorkspaces?: () => string[] | Promise<string[]>;
  /** @default 5000 */
  rediscoverEveryMs?: number;
  /** The list/watch source for a workspace. @default kubeClient.forCluster(workspace) */
  sourceFor?: (workspace: string) => ListWatchSource;
  /** The client writes for a workspace go to. @default kubeClient.forCluster(workspace) */
  writerFor?: (workspace: string) => KubeClient;
  /** @default DEFAULT_WORKLOAD_RESOURCES (the kubernetes APIExport's types) */
  workloadResources?: readonly WorkloadResource[];
  /** @default 2 */
  workers?: number;
  /** How long start() waits for each informer's first list before starting anyway. @default 10000 */
  syncTimeoutMs?: number;
  historyLimit?: number;
  celCompiler?: CelCompiler;
  now?: () => Date;
  logger?: Logger;
  /** Where Events go. @default an EventRecorder writing through `writerFor` */
  events?: EventSink;
}

interface WatchedWorkspace {
  placements: Informer;
  workloads: Informer[];
  /** The PlacementDecision history, indexed by placement (BY_PLACEMENT). */
  decisions: Informer;
}


export class WorkloadPlacementController {
  readonly queue: WorkQueue;
  private readonly controller: Controller;
  private readonly watched = new Map<string, WatchedWorkspace>();
  private readonly clusterInformers = new Map<string, Informer>();
  private readonly resources: readonly WorkloadResource[];
  private readonly commit: CommitFunc;
  /** Clusters analysed once per informer object, for every placement's decisions. */
  private readonly sharedClusters = new SharedClusters();
  /**
   * Per location workspace, its ClusterRegistrations as the last reconcile listed them, dropped
   * when one of them is added, changed or deleted: while none is, every reconcile gets the same
   * array, and what is derived from it (engine input, keys; SharedClusters.fleet) is reused.
   */
  private readonly clusterLists = new Map<string, ClusterRegistration[]>();
  private readonly deps: ReconcileDeps;
  private readonly log: Logger | undefined;
  private started = false;
  private discoveryTimer: NodeJS.Timeout | undefined;
  private readonly recorder: EventRecorder | undefined;

  constructor(private readonly opts: WorkloadPlacementControllerOptions) {
    this.resources = opts.workloadResources ?? DEFAULT_WORKLOAD_RESOURCES;
    this.log = opts.logger?.child({ controller: CONTROLLER_NAME });
    this.queue = new WorkQueue({ name: CONTROLLER_NAME });
    this.controller = new Controller({
      name: CONTROLLER_NAME, queue: this.queue, workers: opts.workers ?? 2, logger: this.log,
      reconcile: (key) => this.process(key),
    });
    this.commit = committerForClient(opts.kubeClient, WORKLOAD_PLACEMENTS, (ws) => this.writer(ws));
    this.recorder = opts.events ? undefined : new EventRecorder({
      clientFor: (ws) => this.writer(ws), controller: `tmc.kcp.io/${CONTROLLER_NAME}-controller`, logger: this.log,
    });
    this.deps = this.buildDeps();
    for (const ws of opts.workspaces) this.watchWorkspace(ws);
  }

  /** Starts the informers, waits (bounded) for their first lists, then the workers. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const informers = [...this.watched.values()].flatMap((w) => [w.placements, w.decisions, ...w.workloads]);
    for (const i of informers) i.start();
    for (const ws of this.opts.workspaces) this.clusterInformer(ws);
    await this.discover();
    await Promise.all([...informers, ...this.clusterInformers.values()].map((i) => this.waitSynced(i)));
    this.controller.start();
    if (this.opts.discoverWorkspaces) {
      this.discoveryTimer = setInterval(() => void this.discover(), this.opts.rediscoverEveryMs ?? 5000);
      this.discoveryTimer.unref?.();
    }
    this.log?.info({ workspaces: this.opts.workspaces }, 'workloadplacement controller started');
  }

  async stop(): Promise<void> {
    clearInterval(this.discoveryTimer);
    await this.controller.stop();
    for (const w of this.watched.values()) for (const i of [w.placements, w.decisions, ...w.workloads]) i.stop();
    for (const i of this.clusterInformers.values()) i.stop();
    await this.recorder?.stop();
  }

  /** Watch one more workspace (e.g. when a new consumer binds the TMC export). */
  addWorkspace(workspace: string): void {
    if (this.watched.has(workspace)) return;
    const w = this.watchWorkspace(workspace);
    if (this.started) {
      for (const i of [w.placements, w.decisions, ...w.workloads]) i.start();
      this.clusterInformer(workspace);
    }
  }

  private async discover(): Promise<void> {
    if (!this.opts.discoverWorkspaces) return;
    try {
      for (const ws of await this.opts.discoverWorkspaces()) this.addWorkspace(ws);
    } catch (err) {
      this.log?.warn({ err }, 'workspace discovery failed; will retry');
    }
  }

  private source(ws: string): ListWatchSource {
    return this.opts.sourceFor?.(ws) ?? this.opts.kubeClient.forCluster(ws);
  }

  private writer(ws: string): KubeClient {
    return this.opts.writerFor?.(ws) ?? this.opts.kubeClient.forCluster(ws);
  }

  private informer(ws: string, gvr: GroupVersionResource, transform?: (obj: KubeObject) => KubeObject): Informer {
    return new Informer({
      source: this.source(ws), gvr, logger: this.log, transform,
      onError: (err, phase) => this.log?.debug({ workspace: ws, resource: gvr.resource, phase, err: err.message }, 'informer error'),
    });
  }

  private watchWorkspace(ws: string): WatchedWorkspace {
    const placements = this.informer(ws, WORKLOAD_PLACEMENTS);
    placements.addIndex(BY_NAMESPACE, byNamespace);
    placements.addIndex(BY_LOCATION, byLocation);
    placements.addIndex(BY_WORKLOAD_NAME, byWorkloadName);
    placements.addIndex(BY_PLACED_ON, byPlacedOn);
    placements.addEventHandler({
      onAdd: (p) => this.enqueuePlacement(p),
      onUpdate: (o, n) => { if (placementChanged(o, n)) this.enqueuePlacement(n); },
      onDelete: (p) => this.enqueuePlacement(p),
    });
    const workloads = this.resources.map((r) => {
      const inf = this.informer(ws, r.gvr);
      inf.addIndex(BY_NAMESPACE, byNamespace);
      inf.addIndex(BY_OWNER, byOwner);
      inf.addEventHandler({
        onAdd: (w) => this.enqueueForWorkload(w),
        onUpdate: (o, n) => { if (workloadChanged(o, n)) this.enqueueForWorkload(n, o); },
        onDelete: (w) => this.enqueueForWorkload(w),
      });
      return inf;
    });
    // A record's evaluation (every cluster's verdicts and scores) is for people and `tmcctl
    // placement explain`; reconciling needs only revisions and selections, so the cache drops it.
    const decisions = this.informer(ws, PLACEMENT_DECISIONS, withoutEvaluation);
    decisions.addIndex(BY_PLACEMENT, byPlacement);
    const watched = { placements, workloads, decisions };
    this.watched.set(ws, watched);
    return watched;
  }

  /** The ClusterRegistration informer of a location workspace, started on first use. */
  private clusterInformer(ws: string): Informer {
    const covering = this.clusterInformers.get(ws) ?? this.clusterInformers.get('*');
    if (covering) return covering;
    const inf = this.informer(ws, CLUSTER_REGISTRATIONS);
    inf.addIndex(BY_WORKSPACE, byWorkspace);
    // any change (not only those that matter to scheduling) replaces an object of the list
    const changed = (c: KubeObject) => this.clusterLists.delete(workspaceOf(c) || ws);
    inf.addEventHandler({ onAdd: changed, onDelete: changed, onUpdate: (_o, n) => changed(n) });
    const onCluster = (c: KubeObject) => this.enqueueForLocation(workspaceOf(c) || ws);
    inf.addEventHandler({ onAdd: onCluster, onDelete: onCluster, onUpdate: (o, n) => { if (clusterChanged(o, n)) onCluster(n); } });
    this.clusterInformers.set(ws, inf);
    if (this.started) inf.start();
    return inf;
  }

  /** The informers that hold a workspace's objects: its own, or the wildcard ones. */
  private watchedFor(ws: string): WatchedWorkspace | undefined {
    return this.watched.get(ws) ?? this.watched.get('*');
  }

  private placementInformers(): Informer[] {
    return [...this.watched.values()].map((w) => w.placements);
  }

  private findPlacement(ws: string, namespace: string, name: string): WorkloadPlacement | undefined {
    for (const inf of this.placementInformers()) {
      const p = inf.get(ws, namespace, name);
      if (p) return p as unknown as WorkloadPlacement;
    }
    return undefined;
  }

  private enqueuePlacement(p: KubeObject): void {
    const ws = workspaceOf(p);
    const spec = p.spec as { priority?: number; locationWorkspace?: string } | undefined;
    if (spec?.locationWorkspace) this.clusterInformer(spec.locationWorkspace);
    this.queue.add(keyOf({ cluster: ws, namespace: p.metadata?.namespace ?? '', name: p.metadata?.name ?? '' }), { priority: spec?.priority ?? 0 });
  }

  private enqueueForLocation(ws: string): void {
    for (const inf of this.placementInformers()) for (const p of inf.byIndex(BY_LOCATION, ws)) this.enqueuePlacement(p);
  }

  /**
   * The placements a workload event concerns: those naming it, those selecting by type or labels
   * that match it now or matched it before the update, and the one its annotation names (which
   * must release it when the selector no longer matches, or when it is gone).
   */
  private enqueueForWorkload(w: KubeObject, old?: KubeObject): void {
    const ws = workspaceOf(w);
    const ns = w.metadata?.namespace ?? '';
    const name = w.metadata?.name ?? '';
    for (const inf of this.placementInformers()) {
      for (const p of inf.byIndex(BY_WORKLOAD_NAME, workloadNameKey(ws, ns, name))) this.enqueuePlacement(p);
      for (const p of inf.byIndex(BY_WORKLOAD_NAME, workloadNameKey(ws, ns, '*'))) {
        const placement = p as unknown as WorkloadPlacement;
        if (selects(placement, w as unknown as WorkloadObject) || (old && selects(placement, old as unknown as WorkloadObject))) this.enqueuePlacement(p);
      }
    }
    for (const owner of new Set([ownerOf(w), old && ownerOf(old)])) {
      if (!owner) continue;
      const { namespace: ownerNs, name: ownerName } = splitOwner(owner, ns);
      const found = this.findPlacement(ws, ownerNs, ownerName);
      // A gone placement's key is still reconciled: that releases the workload.
      if (found) this.enqueuePlacement(found as unknown as KubeObject);
      else this.queue.add(keyOf({ cluster: ws, namespace: ownerNs, name: ownerName }));
    }
  }

  /** Other placements on each cluster of a location workspace, from the placements' status. */
  private placementCounts(location: string, ref: PlacementRef): Map<string, number> {
    const self = this.findPlacement(ref.workspace, ref.namespace, ref.name);
    const mine = new Set((self?.status?.decisions ?? []).map((d) => d.clusterName));
    // a Map, not an object with a key per cluster (whose reads are slow; see ClusterSnapshot.counts)
    // From the placed-on index's counts: no key built and no lookup per registered cluster. A
    // count for a cluster no longer registered is never read (the engine reads feasible ones).
    const counts = new Map<string, number>();
    const prefix = placedOnKey(location, '');
    for (const inf of this.placementInformers()) {
      for (const [value, count] of inf.indexCounts(BY_PLACED_ON)) {
        if (count === 0 || !value.startsWith(prefix)) continue;
        const name = value.slice(prefix.length);
        counts.set(name, (counts.get(name) ?? 0) + count);
      }
    }
    for (const name of mine) {
      const n = counts.get(name);
      if (n === undefined) continue;
      if (n > 1) counts.set(name, n - 1);
      else counts.delete(name);
    }
    return counts;
  }

  private async waitSynced(inf: Informer): Promise<void> {
    const timeout = this.opts.syncTimeoutMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    const synced = await Promise.race([
      inf.waitForSync(),
      new Promise<boolean>((res) => { timer = setTimeout(() => res(false), timeout); timer.unref?.(); }),
    ]);
    clearTimeout(timer);
    if (!synced) this.log?.warn('an informer did not sync in time; starting anyway (its resource may not be bound)');
  }

  /** One key: reconcile the placement (or release what a deleted one placed) and commit its status. */
  private async process(key: string): Promise<ReconcileResult> {
    const { cluster: ws, namespace, name } = splitKey(key);
    const cached = this.findPlacement(ws, namespace, name);
    if (!cached) {
      // An unsynced cache would make every placement look deleted and release its workloads.
      if (!this.placementInformers().every((i) => i.hasSynced())) throw new Error('placement cache not synced yet');
      await releasePlacement({ workspace: ws, namespace, name }, this.deps);
      return;
    }
    // The cached object itself, not a deep copy: reconcilePlacement never mutates its input (its
    // tests pass it frozen) and returns the placement with a new status.
    const out = await reconcilePlacement(cached, ws, this.deps);
    const written = await this.commit(cached as unknown as KubeObject, out.placement as unknown as KubeObject);
    // Read-your-writes: the next reconcile (and Balance's counts for the next placement) must not
    // wait for this write's watch event.
    if (written) this.watchedFor(ws)?.placements.observe(written);
    return out.requeueAfterMs !== undefined ? { requeueAfter: out.requeueAfterMs } : undefined;
  }

  private buildDeps(): ReconcileDeps {
    const o = this.opts;
    return {
      events: o.events ?? this.recorder,
      listClusters: async (ws) => {
        const inf = this.clusterInformer(ws);
        if (!inf.hasSynced()) await this.waitSynced(inf);
        let list = this.clusterLists.get(ws);
        if (!list) {
          list = inf.byIndex(BY_WORKSPACE, ws) as unknown as ClusterRegistration[];
          this.clusterLists.set(ws, list);
        }
        return list;
      },
      listWorkloads: (ws, ns, scope) => {
        const informers = this.watchedFor(ws)?.workloads ?? [];
        if (!scope?.names) return informers.flatMap((inf) => inf.byIndex(BY_NAMESPACE, namespaceKey(ws, ns))) as unknown as WorkloadObject[];
        // Named workloads by key and our own by annotation: not a scan of the namespace.
        const found = new Map<string, KubeObject>();
        informers.forEach((inf, i) => {
          for (const name of scope.names ?? []) {
            const w = inf.get(ws, ns, name);
            if (w) found.set(`${i}|${name}`, w);
          }
          for (const w of inf.byIndex(BY_OWNER, ownerKey(ws, scope.owner))) found.set(`${i}|${w.metadata?.name}`, w);
        });
        return [...found.values()] as unknown as WorkloadObject[];
      },
      placementCounts: (location, ref) => this.placementCounts(location, ref),
      patchWorkload: async (ws, w, patch) => {
        const gvr = resourceFor(this.resources, w.apiVersion, w.kind);
        if (!gvr) throw new Error(`no watched resource for ${w.apiVersion} ${w.kind}`);
        const withPrecondition = { metadata: { ...patch.metadata, resourceVersion: w.metadata.resourceVersion } };
        const written = await this.writer(ws).patch(gvr, w.metadata.namespace, w.metadata.name, withPrecondition, { type: 'merge', fieldManager: CONTROLLER_NAME });
        // What is placed now is read from the workload's labels: the next pass must see these.
        this.watchedFor(ws)?.workloads[this.resources.findIndex((r) => r.gvr.group === gvr.group && r.gvr.resource === gvr.resource)]?.observe(written);
      },
      // From the informer, indexed by placement: a server LIST with a label selector parsed every
      // record in the namespace on every reconcile (records carry per-cluster verdicts), which made
      // the controller quadratic in history. A lagging cache cannot reuse a revision: records are
      // named <placement>-<revision>, so the create fails AlreadyExists and the key is retried.
      listDecisions: async (ref) => {
        const records = [...this.watched.values()]
          .flatMap((w) => w.decisions.byIndex(BY_PLACEMENT, placementKey(ref.workspace, ref.namespace, ref.name))) as unknown as PlacementDecision[];
        // Records this process writes are cached at once (observe); one written by another
        // instance (a leader change) may not be yet: deciding without it would record the same
        // selection again. Wait for it (bounded: a history someone deleted by hand must not stall
        // the placement forever).
        const status = this.findPlacement(ref.workspace, ref.namespace, ref.name)?.status;
        const newest = Math.max(0, ...records.map((r) => r.spec.revision));
        const recent = Date.now() - Date.parse(status?.lastPlacementTime ?? '') < 10_000;
        if ((status?.currentRevision ?? 0) > newest && recent) {
          throw new Error(`PlacementDecision revision ${status?.currentRevision} of ${ref.name} is not in the cache yet; retrying`);
        }
        return records;
      },
      createDecision: async (ref, d) => {
        try {
          const created = await this.writer(ref.workspace).create(PLACEMENT_DECISIONS, ref.namespace, d as unknown as KubeObject, { fieldManager: CONTROLLER_NAME });
          this.watchedFor(ref.workspace)?.decisions.observe(created);
        } catch (err) {
          if (isAlreadyExists(err)) throw new Error(`PlacementDecision ${d.metadata.name} already exists: stale history, retrying`, { cause: err });
          throw err;
        }
      },
      deleteDecision: async (ref, name) => {
        try {
          await this.writer(ref.workspace).delete(PLACEMENT_DECISIONS, ref.namespace, name);
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
      },
      placementExists: (ws, ns, name) => this.findPlacement(ws, ns, name) !== undefined,
      now: o.now ?? (() => new Date()),
      celCompiler: o.celCompiler ?? defaultCelCompiler(),
      sharedClusters: this.sharedClusters,
      historyLimit: o.historyLimit,
      logger: this.log,
    };
  }
}

function withoutEvaluation(obj: KubeObject): KubeObject {
  const spec = (obj as unknown as PlacementDecision).spec;
  if (!spec?.evaluation) return obj;
  const { evaluation: _dropped, ...rest } = spec;
  return { ...obj, spec: rest } as unknown as KubeObject;
}

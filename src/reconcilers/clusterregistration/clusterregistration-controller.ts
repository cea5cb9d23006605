/**
 * The ClusterRegistration controller: informers over ClusterRegistrations feed a rate-limited
 * queue; each key is reconciled (clusterregistration-reconcile.ts) and requeued every heartbeat
 * interval, so every registered cluster is checked on its own timer without a global ticker.
 *
 * Where registrations come from is injected as informers: today one per workspace (the
 * `workspaces` option of the component, or `watchWorkspace` at run time); once the APIExport
 * virtual workspace serves `clusters/*`, a single wildcard informer replaces them. Objects carry
 * their workspace in the `kcp.io/cluster` annotation either way.
 *
 * Update events that only change status are ignored (our own heartbeat writes would otherwise
 * re-trigger a probe at once), except a Pull-mode heartbeat written by the agent, which is
 * re-judged immediately so a recovered cluster loses its taint without waiting a full interval.
 */
import { SECRETS } from '../../apis/gvr.js';
import type { ClusterRegistration } from '../../apis/tmc/index.js';
import { CLUSTER_REGISTRATIONS } from '../../apis/tmc/index.js';
import { realClock, type Clock } from '../../client/clock.js';
import { Informer } from '../../client/informer.js';
import type { KubeClient } from '../../client/kube-client.js';
import { clusterOf } from '../../client/object-cache.js';
import type { KubeObject } from '../../client/types.js';
import { isNotFound } from '../../errors/status.js';
import { Controller } from '../../controllers/controller.js';
import { EventRecorder, type EventSink } from '../../controllers/event-recorder.js';
import { clusterEvents } from './cluster-events.js';
import { keyFor, splitKey } from '../../controllers/keys.js';
import type { ReconcileResult } from '../../controllers/reconcile.js';
import { WorkQueue } from '../../controllers/workqueue.js';
import { deepEqual } from '../../machinery/objects.js';
import type { Logger } from '../../observability/logger.js';
import { probeCluster, type ProbeResult } from './cluster-probe.js';
import { registrationCommitter, type RegistrationCommitFunc } from './clusterregistration-committer.js';
import { reconcileClusterRegistration, type ReconcileDeps } from './clusterregistration-reconcile.js';
import { CONTROLLER_NAME, DEFAULT_HEARTBEAT_INTERVAL_MS, DEFAULT_HEARTBEAT_THRESHOLD_MS, Reason } from './constants.js';
import { ConnectionConfigError, DownstreamConnections, type Secret } from './downstream-connections.js';


export interface ClusterRegistrationControllerOptions {
  /** Admin client for the TMC server's root (no `/clusters/...` prefix): status writes, Secret reads. */
  upstreamClient: KubeClient;
  /** Informers over ClusterRegistrations (per workspace, or one wildcard APIExport view). */
  registrationInformers?: Informer[];
  /** The TMC server's external URL (for status.virtualWorkspaces). */
  serverURL(): string;
  /** @default 10000 */
  heartbeatIntervalMs?: number;
  /** @default 40000 */
  heartbeatThresholdMs?: number;
  /** Per-request timeout of a probe. @default min(5000, max(1000, heartbeatIntervalMs)) */
  probeTimeoutMs?: number;
  /** How long a cluster's discovery answer is reused. @default 60000 */
  discoveryTtlMs?: number;
  /** Concurrent reconciles (a probe of a dead cluster holds a worker up to the probe timeout). @default 4 */
  workers?: number;
  clock?: Clock;
  logger?: Logger;
  /** Replace the push-mode probe (tests). */
  probe?: ReconcileDeps['probe'];
  /** Where Events go. @default an EventRecorder writing through upstreamClient */
  events?: EventSink;
}

export class ClusterRegistrationController {
  private readonly queue: WorkQueue;
  private readonly controller: Controller;
  private readonly informers: Informer[] = [];
  private readonly connections: DownstreamConnections;
  private readonly commit: RegistrationCommitFunc;
  private readonly clock: Clock;
  private readonly reconcileDeps: ReconcileDeps;
  private started = false;
  private readonly recorder: EventRecorder | undefined;
  private readonly events: EventSink;

  constructor(private readonly opts: ClusterRegistrationControllerOptions) {
    this.clock = opts.clock ?? realClock;
    this.recorder = opts.events ? undefined : new EventRecorder({
      clientFor: (ws) => this.upstreamFor(ws), controller: `tmc.kcp.io/${CONTROLLER_NAME}-controller`, logger: opts.logger,
      now: () => this.clock.now(),
    });
    this.events = opts.events ?? this.recorder!;
    const intervalMs = opts.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS;
    this.queue = new WorkQueue({ name: CONTROLLER_NAME, clock: this.clock });
    this.controller = new Controller({
      name: CONTROLLER_NAME, queue: this.queue, workers: opts.workers ?? 4, logger: opts.logger,
      reconcile: (key) => this.process(key), now: () => this.clock.now(),
    });
    this.connections = new DownstreamConnections({
      requestTimeoutMs: opts.probeTimeoutMs ?? Math.min(5000, Math.max(1000, intervalMs)),
      readSecret: (ws, ns, name) => this.upstreamFor(ws).get<Secret>(SECRETS, ns, name),
    });
    this.commit = registrationCommitter({
      patch: (obj, p) => this.upstreamFor(clusterOf(obj)).patch(CLUSTER_REGISTRATIONS, undefined, obj.metadata.name as string, p, { type: 'merge' }),
      patchStatus: (obj, p) => this.upstreamFor(clusterOf(obj)).patch(CLUSTER_REGISTRATIONS, undefined, obj.metadata.name as string, p, { type: 'merge', subresource: 'status' }),
    });
    this.reconcileDeps = {
      now: () => this.clock.now(),
      heartbeatIntervalMs: intervalMs,
      heartbeatThresholdMs: opts.heartbeatThresholdMs ?? DEFAULT_HEARTBEAT_THRESHOLD_MS,
      serverURL: opts.serverURL,
      probe: opts.probe ?? ((r, ws, key) => this.probe(r, ws, key)),
    };
    for (const informer of opts.registrationInformers ?? []) this.addInformer(informer);
  }

  /** Watch the ClusterRegistrations of one more workspace (until the APIExport view replaces this). */
  watchWorkspace(workspace: string): Informer {
    const informer = new Informer({
      source: this.upstreamFor(workspace), gvr: CLUSTER_REGISTRATIONS, clock: this.clock, logger: this.opts.logger,
    });
    this.addInformer(informer);
    return informer;
  }

  addInformer(informer: Informer): void {
    this.informers.push(informer);
    informer.addEventHandler({
      onAdd: (obj) => this.queue.add(keyFor(obj)),
      onUpdate: (oldObj, newObj) => { if (needsReconcile(oldObj, newObj)) this.queue.add(keyFor(newObj)); },
      onDelete: (obj) => {
        if (obj.metadata.uid) this.connections.forget(obj.metadata.uid);
        this.queue.add(keyFor(obj));
      },
    });
    if (this.started) informer.start();
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    for (const informer of this.informers) informer.start();
    this.controller.start();
  }

  /** Resolves once every informer has listed (false if stopped first). */
  async waitForSync(): Promise<boolean> {
    const results = await Promise.all(this.informers.map((i) => i.waitForSync()));
    return results.every(Boolean);
  }

  async stop(): Promise<void> {
    for (const informer of this.informers) informer.stop();
    await this.controller.stop();
    await this.recorder?.stop();
    this.connections.closeAll();
  }

  private upstreamFor(workspace: string): KubeClient {
    return workspace ? this.opts.upstreamClient.forCluster(workspace) : this.opts.upstreamClient;
  }

  private find(key: string): ClusterRegistration | undefined {
    const ref = splitKey(key);
    for (const informer of this.informers) {
      const obj = informer.get(ref.cluster, undefined, ref.name);
      if (obj) return obj as unknown as ClusterRegistration;
    }
    return undefined;
  }

  /** 1. read from the cache (gone → nothing to do) 2. reconcile 3. commit 4. requeue for the next heartbeat. */
  private async process(key: string): Promise<ReconcileResult> {
    const current = this.find(key);
    if (!current) return;
    const workspace = clusterOf(current as unknown as KubeObject);
    const { registration, requeueAfterMs } = await reconcileClusterRegistration(current, workspace, this.reconcileDeps);
    try {
      await this.commit(current, registration);
    } catch (err) {
      // Deleted meanwhile: the delete event cleans up; nothing to retry.
      if (isNotFound(err)) return;
      throw err;
    }
    clusterEvents(this.events, current, registration, this.clock.now());
    return { requeueAfter: requeueAfterMs };
  }

  private async probe(registration: ClusterRegistration, workspace: string, clusterKey: string): Promise<ProbeResult> {
    let downstreamClient: KubeClient;
    try {
      downstreamClient = await this.connections.clientFor(registration, workspace);
    } catch (err) {
      if (err instanceof ConnectionConfigError) return { kind: 'misconfigured', reason: err.reason, message: err.message };
      if (isNotFound(err)) {
        const ref = registration.spec.clusterEndpoint?.secretRef;
        return { kind: 'misconfigured', reason: Reason.SecretNotFound,
          message: `secret ${ref?.namespace || 'default'}/${ref?.name} not found in workspace ${workspace || '(default)'}` };
      }
      throw err; // the upstream read failed: retry with backoff
    }
    return probeCluster(downstreamClient, { clusterKey, now: () => this.clock.now(), discoveryTtlMs: this.opts.discoveryTtlMs });
  }
}

/** Spec/metadata changes always matter; status-only changes only for an agent's Pull heartbeat. */
export function needsReconcile(oldObj: KubeObject, newObj: KubeObject): boolean {
  const { status: oldStatus, metadata: oldMeta, ...oldRest } = oldObj;
  const { status: newStatus, metadata: newMeta, ...newRest } = newObj;
  if (!deepEqual(oldRest, newRest)) return true;
  if (!deepEqual(withoutVolatile(oldMeta), withoutVolatile(newMeta))) return true;
  const pull = (newObj.spec as { syncMode?: string } | undefined)?.syncMode === 'Pull';
  const heartbeat = (s: unknown) => (s as { lastHeartbeatTime?: string } | undefined)?.lastHeartbeatTime;
  return pull && heartbeat(oldStatus) !== heartbeat(newStatus);
}

function withoutVolatile(meta: KubeObject['metadata']): Record<string, unknown> {
  const { resourceVersion: _rv, managedFields: _mf, ...rest } = meta as Record<string, unknown>;
  return rest;
}

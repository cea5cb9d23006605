/**
 * One Syncer per physical cluster: an upstream source (Sync-labelled objects for this cluster key),
 * a downstream cache (objects labelled with the key), one rate-limited queue and N workers running
 * downsync/sync-object.ts and lifecycle/namespace-sweep.ts. Both caches are synced before the first
 * reconcile, so a restart never mistakes "not listed yet" for "deleted".
 */
import { rfc3339 } from '../apis/time.js';
import type { KubeClient } from '../client/kube-client.js';
import type { Clock } from '../client/clock.js';
import type { KubeObject } from '../client/types.js';
import { clusterOf } from '../client/object-cache.js';
import { Controller } from '../controllers/controller.js';
import type { ReconcileResult } from '../controllers/reconcile.js';
import type { RateLimiterOptions } from '../controllers/rate-limiter.js';
import { WorkQueue } from '../controllers/workqueue.js';
import type { EventSink } from '../controllers/event-recorder.js';
import type { Logger } from '../observability/logger.js';
import { DEPENDENCY_LABEL, UPSTREAM_ANNOTATION, parseUpstreamIdentity } from './annotations.js';
import type { SyncContext } from './context.js';
import { DownstreamCache } from './downstream/downstream-cache.js';
import { namespaceKey, objectKey, parseSyncKey, type UpstreamRef } from './keys.js';
import { sweepNamespace, type SweepState } from './lifecycle/namespace-sweep.js';
import { DEFAULT_RESOURCES, type SyncedResource } from './resources.js';
import { reconcileObject, type ObjectSyncState } from './downsync/sync-object.js';
import { relevantChange } from './upstream/relevance.js';
import type { UpstreamSource } from './upstream/source.js';

export interface SyncerOptions {
  clusterKey: string;
  source: UpstreamSource;
  /** A client for the physical cluster's API server root. */
  downstreamClient: KubeClient;
  resources?: readonly SyncedResource[];
  /** @default 8 */
  workers?: number;
  /** Empty downstream namespaces are deleted after this long. @default 30000 */
  namespaceCleanDelayMs?: number;
  /** Everything is reconciled again this often (dependencies have no upstream watch). @default 60000 */
  resyncMs?: number;
  /** Retry backoff. @default { baseDelayMs: 50, maxDelayMs: 30000 } */
  rateLimiter?: RateLimiterOptions;
  logger?: Logger;
  /** The ClusterRegistration's name (metric labels). @default clusterKey */
  clusterName?: string;
  /** Events about upstream objects (sync failures, conflicts). */
  events?: EventSink;
  /** Time of the status report pacing. @default realClock */
  clock?: Clock;
  /** Observability hook per processed key. */
  onOutcome?: ConstructorParameters<typeof Controller>[0]['onOutcome'];
}

export class Syncer {
  readonly clusterKey: string;
  readonly queue: WorkQueue;
  private readonly ctx: SyncContext;
  private readonly controller: Controller;
  private readonly cache: DownstreamCache;
  private readonly sweep: SweepState;
  private readonly depsCheckedAt = new Map<string, number>();
  private readonly resyncMs: number;
  private resyncTimer: NodeJS.Timeout | undefined;
  private started = false;

  constructor(private readonly opts: SyncerOptions) {
    this.clusterKey = opts.clusterKey;
    const resources = opts.resources ?? DEFAULT_RESOURCES;
    this.resyncMs = opts.resyncMs ?? 60_000;
    this.queue = new WorkQueue({ name: `syncer-${opts.clusterKey}`, rateLimiter: opts.rateLimiter ?? { baseDelayMs: 50, maxDelayMs: 30_000 } });
    this.cache = new DownstreamCache(opts.downstreamClient, opts.clusterKey, resources, opts.logger);
    this.ctx = {
      clusterKey: opts.clusterKey, resources, source: opts.source, downstreamClient: opts.downstreamClient, cache: this.cache,
      logger: opts.logger, now: () => rfc3339(), lastApplied: new Map(), createdCopies: new Map(), reportedAt: new Map(), namespacesCreating: new Map(),
      clusterName: opts.clusterName, events: opts.events, clock: opts.clock,
    };
    this.sweep = { emptySince: new Map(), cleanDelayMs: opts.namespaceCleanDelayMs ?? 30_000, nowMs: () => Date.now() };
    this.controller = new Controller({
      name: `syncer-${opts.clusterKey}`, queue: this.queue, workers: opts.workers ?? 8, logger: opts.logger,
      reconcile: (key) => this.reconcile(key), onOutcome: opts.onOutcome,
    });
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const { source } = this.opts;
    source.onChange((resource, obj, old) => {
      // Another cluster's status write or the aggregate reaches every syncer of the object: skip those.
      if (old && !relevantChange(old, obj, this.clusterKey)) return;
      this.queue.add(objectKey(refOf(resource, obj)));
    });
    await Promise.all([
      source.start(),
      this.cache.start({
        onObject: (resource, obj) => this.onDownstreamObject(resource, obj),
        onNamespace: (ns) => { if (ns.metadata?.name) this.queue.add(namespaceKey(ns.metadata.name)); },
      }),
    ]);
    this.controller.start();
    this.scheduleResync();
    this.opts.logger?.info({ clusterKey: this.clusterKey, source: source.mode }, 'syncer started');
  }

  async stop(): Promise<void> {
    if (this.resyncTimer) clearTimeout(this.resyncTimer);
    this.opts.source.stop();
    this.cache.stop();
    await this.controller.stop();
  }

  /** Enqueue everything both sides know about (what a resync does; also handy after a restart). */
  resync(): void {
    for (const resource of this.ctx.resources) {
      for (const obj of this.opts.source.list(resource)) this.queue.add(objectKey(refOf(resource, obj)));
      for (const obj of this.cache.list(resource)) this.onDownstreamObject(resource, obj);
    }
    for (const ns of this.cache.listNamespaces()) if (ns.metadata?.name) this.queue.add(namespaceKey(ns.metadata.name));
  }

  private onDownstreamObject(resource: SyncedResource, obj: KubeObject): void {
    // Dependencies have no upstream object of their own to reconcile: their namespace's sweep owns them.
    if (obj.metadata?.labels?.[DEPENDENCY_LABEL] === 'true') {
      if (obj.metadata.namespace) this.queue.add(namespaceKey(obj.metadata.namespace));
      return;
    }
    const id = parseUpstreamIdentity(obj.metadata?.annotations?.[UPSTREAM_ANNOTATION]);
    if (id) this.queue.add(objectKey({ resource, ...id }));
    else if (obj.metadata?.namespace) this.queue.add(namespaceKey(obj.metadata.namespace));
  }

  private reconcile(key: string): Promise<ReconcileResult> {
    const parsed = parseSyncKey(key, this.ctx.resources);
    if (parsed.kind === 'namespace') return sweepNamespace(this.ctx, this.sweep, parsed.name);
    const state: ObjectSyncState = {
      sweepNamespace: (name) => this.queue.add(namespaceKey(name)),
      dependenciesDue: (ref) => Date.now() - (this.depsCheckedAt.get(objectKey(ref)) ?? 0) >= this.resyncMs,
      dependenciesChecked: (ref) => this.depsCheckedAt.set(objectKey(ref), Date.now()),
    };
    return reconcileObject(this.ctx, state, parsed.ref);
  }

  private scheduleResync(): void {
    this.resyncTimer = setTimeout(() => { this.resync(); this.scheduleResync(); }, this.resyncMs);
    this.resyncTimer.unref();
  }
}

function refOf(resource: SyncedResource, obj: KubeObject): UpstreamRef {
  return { resource, workspace: clusterOf(obj), namespace: obj.metadata?.namespace ?? '', name: obj.metadata?.name ?? '' };
}

/**
 * Spreads shards (for TMC: push clusters) over the replicas that run this, one
 * coordination.k8s.io Lease per shard, each campaigned for by a LeaderElector (leader-election.ts):
 * so a shard has at most one owner at a time, with the same renew-deadline fencing as the
 * controllers, and an owner that dies or freezes loses its shards to the others within the lease
 * duration.
 *
 * Balance: every replica announces itself with its own Lease (renewed by a LeaderElector on a name
 * only it uses). A replica counts the announcements renewed within the lease duration (by its own
 * clock, as the elector judges expiry) and takes a shard only while it owns fewer than
 * ceil(shards / live replicas). A replica owning more than that (it was alone when the others
 * started, or took over a dead one's shards) gives one back per retry period while another live
 * replica is below the cap: it stops the shard's work first, then releases the Lease, and leaves it
 * alone for a lease duration so the other can take it.
 *
 * Why per shard Leases and not consistent hashing: ownership is then explicit in the API
 * (`kubectl get leases`, `tmcctl replicas`), a handover is exactly a Lease changing holder, and
 * the fencing is the elector's, tested once. The cost is one GET (plus a PUT when held) per shard
 * and replica every retry period, fine for tens to hundreds of clusters.
 */
import { Informer } from '../client/informer.js';
import { realClock, type Clock, type TimerHandle } from '../client/clock.js';
import type { KubeClient } from '../client/kube-client.js';
import type { Logger } from '../observability/logger.js';
import { LEASES, LeaderElector, leaseStoreFor, type Lease } from './leader-election.js';

/** What an operator sees of sharding (prom-client gauges and counters, in the wiring). */
export interface ShardMetrics {
  owned(shard: string, owned: boolean): void;
  /** direction: acquired, lost (renewal failed) or released (given back, or no longer wanted). */
  transition(direction: 'acquired' | 'lost' | 'released'): void;
  /** On taking a shard from another holder: how long its Lease had stood unrenewed. */
  handover(ms: number): void;
}

export interface LeaseShardsOptions {
  /** A client for the workspace that holds the Leases. */
  leaseClient: KubeClient;
  namespace: string;
  /** This replica's identity (Lease holder). */
  identity: string;
  /** This replica's announcement Lease. */
  memberLease: string;
  /** Announcement Leases are the ones whose name starts with this. */
  memberLeasePrefix: string;
  /** A shard's Lease name. */
  shardLease(shard: string): string;
  /** Shard Leases are the ones whose name starts with this. */
  shardLeasePrefix: string;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  clock?: Clock;
  logger?: Logger;
  metrics?: ShardMetrics;
  /** The shard is ours now: start its work. */
  onAcquired(shard: string): void;
  /** The shard is not ours any more: stop its work. Awaited before a voluntary release. */
  onLost(shard: string): Promise<void> | void;
}

interface ShardEntry {
  elector: LeaderElector;
  acquiredAt?: number;
  /** Being given back: not owned for the caller, whatever the elector says. */
  releasing?: boolean;
  /** Given back at: not taken again for a lease duration, so another replica gets it. */
  releasedAt?: number;
}

interface Seen { holder: string; renewTime: string; changedAt: number }

export class LeaseShards {
  private readonly clock: Clock;
  private readonly shards = new Map<string, ShardEntry>();
  /** Shards whose elector was allowed to try and has not reported back (see mayAcquire). */
  private readonly reserved = new Set<string>();
  /** Every Lease in the namespace: when its record last changed, by our clock. */
  private readonly seen = new Map<string, Seen>();
  private readonly member: LeaderElector;
  private readonly leases: Informer;
  private timer: TimerHandle | undefined;
  private running = false;
  private rebalancing: Promise<void> = Promise.resolve();

  constructor(private readonly opts: LeaseShardsOptions) {
    this.clock = opts.clock ?? realClock;
    this.member = new LeaderElector({
      ...this.timings(), store: leaseStoreFor(opts.leaseClient, opts.namespace, opts.memberLease),
      namespace: opts.namespace, name: opts.memberLease, identity: opts.identity, clock: opts.clock, logger: opts.logger,
      onStartedLeading: () => opts.logger?.info({ lease: opts.memberLease }, 'announced this replica'),
      onStoppedLeading: () => opts.logger?.warn({ lease: opts.memberLease }, 'could not renew this replica\'s announcement'),
    });
    this.leases = new Informer({ source: opts.leaseClient, gvr: LEASES, namespace: opts.namespace, logger: opts.logger, backoff: { initialMs: 200, maxMs: 5_000 } });
    this.leases.addEventHandler({
      onAdd: (l) => this.note(l as Lease), onUpdate: (_o, l) => this.note(l as Lease),
      onDelete: (l) => { this.seen.delete(l.metadata?.name ?? ''); },
    });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.leases.start();
    this.member.start();
    this.schedule();
  }

  /** Stops every shard's work, releases its Lease and this replica's announcement. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    await this.rebalancing;
    await Promise.all([...this.shards.keys()].map((s) => this.unwant(s)));
    await this.member.stop();
    this.leases.stop();
  }

  /** Campaign for this shard (idempotent). */
  want(shard: string): void {
    if (this.shards.has(shard) || !this.running) return;
    const lease = this.opts.shardLease(shard);
    const log = this.opts.logger?.child({ shard, lease });
    const entry: ShardEntry = {
      elector: new LeaderElector({
        ...this.timings(), store: leaseStoreFor(this.opts.leaseClient, this.opts.namespace, lease),
        namespace: this.opts.namespace, name: lease, identity: this.opts.identity, clock: this.opts.clock, logger: log,
        mayAcquire: () => this.mayAcquire(shard),
        afterAttempt: () => { this.reserved.delete(shard); },
        onStartedLeading: () => {
          this.reserved.delete(shard);
          entry.acquiredAt = this.clock.now();
          const handoverMs = entry.elector.lastTakeoverMs;
          entry.elector.lastTakeoverMs = undefined;
          if (handoverMs !== undefined) this.opts.metrics?.handover(handoverMs);
          this.opts.metrics?.owned(shard, true);
          this.opts.metrics?.transition('acquired');
          log?.info({ handoverMs }, 'took the shard');
          this.opts.onAcquired(shard);
        },
        onStoppedLeading: () => {
          this.opts.metrics?.owned(shard, false);
          this.opts.metrics?.transition(entry.releasing ? 'released' : 'lost');
          if (!entry.releasing) log?.warn('lost the shard (its Lease was not renewed within the deadline)');
          void Promise.resolve(this.opts.onLost(shard)).catch((err) => log?.error({ err }, 'stopping a shard\'s work failed'));
        },
      }),
    };
    this.shards.set(shard, entry);
    entry.elector.start();
  }

  /** Stop campaigning: the shard's work stops, then its Lease is released if held. */
  async unwant(shard: string): Promise<void> {
    const entry = this.shards.get(shard);
    if (!entry) return;
    this.shards.delete(shard);
    this.reserved.delete(shard);
    entry.releasing = true;
    if (entry.elector.isLeader()) await this.opts.onLost(shard);
    await entry.elector.stop();
  }

  /** Ours right now (the fence: false the moment the renew deadline passed, or while giving it back). */
  owns(shard: string): boolean {
    const entry = this.shards.get(shard);
    return !!entry && !entry.releasing && entry.elector.leadingWithinDeadline();
  }

  owned(): string[] {
    return [...this.shards].filter(([s]) => this.owns(s)).map(([s]) => s);
  }

  /** The most shards one replica takes while the others live: ceil(wanted / live replicas). */
  cap(): number {
    return Math.ceil(this.shards.size / Math.max(1, this.liveMembers().size));
  }

  private timings() {
    const { leaseDurationMs, renewDeadlineMs, retryPeriodMs } = this.opts;
    return { leaseDurationMs, renewDeadlineMs, retryPeriodMs };
  }

  /**
   * The elector's gate before taking a shard it does not hold. A yes is reserved until that
   * elector's attempt is over (won: then it counts as owned), so parallel electors cannot together
   * overshoot the cap.
   */
  private mayAcquire(shard: string): boolean {
    this.reserved.delete(shard);
    const entry = this.shards.get(shard);
    if (!entry || entry.releasing || !this.leases.hasSynced()) return false;
    if (entry.releasedAt !== undefined && this.clock.now() - entry.releasedAt < this.opts.leaseDurationMs) return false;
    const mine = [...this.shards.values()].filter((e) => e.elector.isLeader()).length + this.reserved.size;
    if (mine >= this.cap()) return false;
    this.reserved.add(shard);
    return true;
  }

  /** Identities of replicas whose announcement was renewed within the lease duration (we count always). */
  private liveMembers(): Set<string> {
    const live = new Set([this.opts.identity]);
    for (const [name, s] of this.seen) {
      if (name.startsWith(this.opts.memberLeasePrefix) && this.isLive(s)) live.add(s.holder);
    }
    return live;
  }

  private isLive(s: Seen): boolean {
    return s.holder !== '' && this.clock.now() - s.changedAt < this.opts.leaseDurationMs;
  }

  /** Records when a Lease's record changed; a Lease seen for the first time is judged by its renewTime. */
  private note(lease: Lease): void {
    const name = lease.metadata?.name ?? '';
    const holder = lease.spec?.holderIdentity ?? '';
    const renewTime = lease.spec?.renewTime ?? '';
    const prev = this.seen.get(name);
    if (prev && prev.holder === holder && prev.renewTime === renewTime) return;
    const now = this.clock.now();
    const fresh = prev !== undefined || now - Date.parse(renewTime) < this.opts.leaseDurationMs;
    this.seen.set(name, { holder, renewTime, changedAt: fresh ? now : -Infinity });
  }

  private schedule(): void {
    this.timer = this.clock.setTimeout(() => {
      if (!this.running) return;
      this.rebalancing = this.rebalance().catch((err) => this.opts.logger?.error({ err }, 'rebalancing shards failed'));
      void this.rebalancing.then(() => { if (this.running) this.schedule(); });
    }, this.opts.retryPeriodMs);
  }

  /** Gives one shard back when we own more than our share and a live replica has room for it. */
  private async rebalance(): Promise<void> {
    const cap = this.cap();
    const mine = [...this.shards].filter(([, e]) => e.elector.isLeader() && !e.releasing);
    if (mine.length <= cap) return;
    const load = new Map<string, number>();
    for (const [name, s] of this.seen) {
      if (name.startsWith(this.opts.shardLeasePrefix) && this.isLive(s)) load.set(s.holder, (load.get(s.holder) ?? 0) + 1);
    }
    const roomElsewhere = [...this.liveMembers()].some((m) => m !== this.opts.identity && (load.get(m) ?? 0) < cap);
    if (!roomElsewhere) return;
    // the most recently taken: the one whose work has had least time to build up
    const [shard, entry] = mine.sort((a, b) => (b[1].acquiredAt ?? 0) - (a[1].acquiredAt ?? 0))[0];
    this.opts.logger?.info({ shard, owned: mine.length, cap }, 'giving a shard back to balance the replicas');
    entry.releasing = true;
    try {
      await this.opts.onLost(shard);
      await entry.elector.stop();
    } finally {
      entry.releasing = false;
      entry.releasedAt = this.clock.now();
      if (this.running && this.shards.get(shard) === entry) entry.elector.start();
    }
  }
}

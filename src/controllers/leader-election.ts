/**
 * Lease-based leader election (client-go's leaderelection with a LeaseLock), for running several
 * tmc-server replicas with one active set of controllers.
 *
 * - Candidates try to acquire every `retryPeriodMs`. A lease held by someone else counts as
 *   expired only when *we* have seen its record unchanged for `leaseDurationMs` (observed time, not
 *   the holder's renewTime, so clock skew between replicas cannot steal a live lease).
 * - The leader renews every `retryPeriodMs`; if it has not renewed successfully for
 *   `renewDeadlineMs` it stops leading (onStoppedLeading) and becomes a candidate again.
 * - Writes use the lease's resourceVersion, so two candidates racing for an expired lease cannot
 *   both win: the loser gets 409 Conflict.
 * - `stop()` releases the lease if held (holderIdentity cleared) so a successor need not wait.
 */
import { microTime } from '../apis/time.js';
import { LEASES } from '../apis/gvr.js';
import { leaderElectionMasterStatus, leaderTransitionsTotal } from '../observability/tmc-metrics.js';
import { isConflict, isNotFound } from '../errors/status.js';
import { realClock, type Clock, type TimerHandle } from '../client/clock.js';
import type { KubeClient } from '../client/kube-client.js';
import type { KubeObject } from '../client/types.js';
import type { Logger } from '../observability/logger.js';

/** Re-exported for callers of the leader-election module; declared in apis/gvr.ts. */
export { LEASES };

export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

export type Lease = KubeObject & { spec?: LeaseSpec };

/** The three lease operations election needs; `leaseStoreFor` builds them from a KubeClient. */
export interface LeaseStore {
  /** The lease, or undefined if it does not exist. */
  get(): Promise<Lease | undefined>;
  create(lease: Lease): Promise<Lease>;
  /** Must fail (409) if `lease.metadata.resourceVersion` is stale. */
  update(lease: Lease): Promise<Lease>;
}


export function leaseStoreFor(kubeClient: KubeClient, namespace: string, name: string): LeaseStore {
  return {
    get: async () => {
      try {
        return await kubeClient.get<Lease>(LEASES, namespace, name);
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    create: (lease) => kubeClient.create<Lease>(LEASES, namespace, lease),
    update: (lease) => kubeClient.update<Lease>(LEASES, namespace, lease),
  };
}

export interface LeaderElectorOptions {
  store: LeaseStore;
  /** Lease namespace and name, written into a lease this elector creates. */
  namespace: string;
  name: string;
  /** This replica's identity (hostname + random suffix, typically). */
  identity: string;
  /** @default 15000 */
  leaseDurationMs?: number;
  /** @default 10000 */
  renewDeadlineMs?: number;
  /** @default 2000 */
  retryPeriodMs?: number;
  clock?: Clock;
  logger?: Logger;
  /**
   * Asked right before taking a lease this replica does not hold (absent, released or expired);
   * false skips the attempt. Lease shards use it to cap how many shards one replica takes.
   */
  mayAcquire?(): boolean;
  /** After every attempt, won or not (after onStartedLeading when it won). */
  afterAttempt?(): void;
  onStartedLeading(): void;
  onStoppedLeading(): void;
  /** Someone (maybe us) was observed holding the lease for the first time. */
  onNewLeader?(identity: string): void;
}

export class LeaderElector {
  private readonly clock: Clock;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private leading = false;
  private running = false;
  private timer: TimerHandle | undefined;
  private observed: { holder: string; renewTime: string; at: number } | undefined;
  private lastRenew = 0;
  private lastLease: Lease | undefined;
  private inFlight: Promise<void> = Promise.resolve();
  /**
   * On the last takeover from another holder: how long the lease record had stood unchanged (by
   * our clock) when we took it, i.e. roughly since the previous leader's last renewal.
   */
  lastTakeoverMs: number | undefined;

  constructor(private readonly opts: LeaderElectorOptions) {
    this.clock = opts.clock ?? realClock;
    this.leaseDurationMs = opts.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = opts.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = opts.retryPeriodMs ?? 2_000;
    if (this.renewDeadlineMs >= this.leaseDurationMs) throw new Error('renewDeadlineMs must be less than leaseDurationMs');
  }

  isLeader(): boolean {
    return this.leading;
  }

  /**
   * Leading and renewed within the renew deadline by the clock right now: the fence a writer checks
   * before each write, true even before a frozen process's timers have run again.
   */
  leadingWithinDeadline(): boolean {
    return this.leading && this.clock.now() - this.lastRenew < this.renewDeadlineMs;
  }

  /** Starts campaigning: the first attempt happens now, then every retryPeriodMs. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.tick();
  }

  /** Stops campaigning; a leader stops leading and releases the lease. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    await this.inFlight;
    if (this.leading) this.setLeading(false);
    const lease = this.lastLease;
    // Release only a lease we wrote as holder; a stale resourceVersion makes this a harmless 409.
    if (!lease || lease.spec?.holderIdentity !== this.opts.identity) return;
    try {
      await this.opts.store.update({ ...lease, spec: { ...lease.spec, holderIdentity: undefined, leaseDurationSeconds: 1 } });
    } catch (err) {
      this.opts.logger?.warn({ lease: this.opts.name, err }, 'releasing the lease failed; it will expire');
    }
  }

  /** One attempt, then schedule the next on the injected clock. */
  private tick(): void {
    // Checked before any round trip: a process frozen past its deadline (SIGSTOP, a long pause)
    // stops leading the moment its timer runs again, not after another request.
    if (this.leading && this.clock.now() - this.lastRenew >= this.renewDeadlineMs) {
      this.opts.logger?.warn({ lease: this.opts.name }, 'renew deadline passed while not running; stopping leading');
      this.setLeading(false);
    }
    this.inFlight = this.tryAcquireOrRenew().then((ok) => {
      if (!this.running) return;
      const now = this.clock.now();
      if (ok) {
        this.lastRenew = now;
        if (!this.leading) this.setLeading(true);
      } else if (this.leading && now - this.lastRenew >= this.renewDeadlineMs) {
        this.opts.logger?.warn({ lease: this.opts.name }, 'failed to renew the lease within the deadline');
        this.setLeading(false);
      }
      this.opts.afterAttempt?.();
      this.timer = this.clock.setTimeout(() => this.tick(), this.retryPeriodMs);
    });
  }

  private setLeading(leading: boolean): void {
    this.leading = leading;
    leaderElectionMasterStatus.set({ name: this.opts.name }, leading ? 1 : 0);
    leaderTransitionsTotal.inc({ name: this.opts.name });
    const callback = leading ? this.opts.onStartedLeading : this.opts.onStoppedLeading;
    try {
      callback();
    } catch (err) {
      this.opts.logger?.error({ lease: this.opts.name, err }, 'leader election callback threw');
    }
  }

  /** True when we hold the lease after this attempt. Errors count as a failed attempt. */
  private async tryAcquireOrRenew(): Promise<boolean> {
    const now = this.clock.now();
    const nowTime = microTime(now);
    const me = this.opts.identity;
    // The holder renews with one round trip, from the Lease it last wrote: on a busy machine a
    // GET first doubles the time a renewal takes against the renew deadline. A 409 means the
    // record changed (taken over, or our last write's answer was lost): then read it as below.
    const mine = this.lastLease;
    if (this.leading && mine?.spec?.holderIdentity === me) {
      try {
        this.lastLease = await this.opts.store.update({
          ...mine, spec: { ...mine.spec, renewTime: nowTime, leaseDurationSeconds: Math.ceil(this.leaseDurationMs / 1000) },
        });
        this.observe(me, nowTime, now);
        return true;
      } catch (err) {
        if (!isConflict(err)) {
          this.opts.logger?.debug({ lease: this.opts.name, err }, 'lease renewal failed');
          return false;
        }
      }
    }
    try {
      const current = await this.opts.store.get();
      if (!current) {
        if (this.opts.mayAcquire && !this.opts.mayAcquire()) return false;
        this.lastLease = await this.opts.store.create({
          apiVersion: 'coordination.k8s.io/v1', kind: 'Lease',
          metadata: { name: this.opts.name, namespace: this.opts.namespace },
          spec: {
            holderIdentity: me, leaseDurationSeconds: Math.ceil(this.leaseDurationMs / 1000),
            acquireTime: nowTime, renewTime: nowTime, leaseTransitions: 0,
          },
        });
        this.observe(me, nowTime, now);
        return true;
      }
      const spec = current.spec ?? {};
      const holder = spec.holderIdentity ?? '';
      this.observe(holder, spec.renewTime ?? '', now);
      const observedAt = (this.observed as { at: number }).at;
      const durationMs = (spec.leaseDurationSeconds ?? this.leaseDurationMs / 1000) * 1000;
      if (holder && holder !== me && observedAt + durationMs > now) return false;

      const takingOver = holder !== me;
      if (takingOver && this.opts.mayAcquire && !this.opts.mayAcquire()) return false;
      this.lastLease = await this.opts.store.update({
        ...current,
        spec: {
          ...spec,
          holderIdentity: me,
          leaseDurationSeconds: Math.ceil(this.leaseDurationMs / 1000),
          renewTime: nowTime,
          acquireTime: takingOver ? nowTime : spec.acquireTime ?? nowTime,
          leaseTransitions: (spec.leaseTransitions ?? 0) + (takingOver && holder ? 1 : 0),
        },
      });
      this.observe(me, nowTime, now);
      return true;
    } catch (err) {
      this.opts.logger?.debug({ lease: this.opts.name, err }, 'lease attempt failed');
      return false;
    }
  }

  /** Records when the lease record last changed, by our clock. */
  private observe(holder: string, renewTime: string, now: number): void {
    const prev = this.observed;
    if (prev && prev.holder === holder && prev.renewTime === renewTime) return;
    if (prev && prev.holder && prev.holder !== holder && holder === this.opts.identity) this.lastTakeoverMs = now - prev.at;
    this.observed = { holder, renewTime, at: now };
    if (holder && prev?.holder !== holder) this.opts.onNewLeader?.(holder);
  }
}


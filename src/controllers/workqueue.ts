/**
 * A rate-limited work queue with client-go's guarantees:
 * - a key is queued at most once however often it is added (dirty set);
 * - a key being processed is never handed to a second worker: re-adding it marks it dirty and it
 *   is queued again when the worker calls `done(key)`;
 * - `addAfter` delays an add (the earliest pending delay for a key wins);
 * - `addRateLimited` delays by the key's failure count (rate-limiter.ts) until `forget(key)`.
 * Additions: an optional priority (higher first; FIFO within a priority), used by placement for
 * spec.priority, and client-go's workqueue_* metrics under the queue's name. After `shutDown()` adds are ignored and `get()`
 * returns undefined, so workers exit once their current item is done.
 */
import { realClock, type Clock, type TimerHandle } from '../informer/clock.js';
import { PriorityFifo } from './priority-fifo.js';
import { ItemRateLimiter, type RateLimiterOptions } from './rate-limiter.js';
import { workqueueMetricsFor, type WorkqueueMetrics } from '../observability/workqueue-metrics.js';

export interface AddOptions {
  /** Higher is handed out first. @default 0 */
  priority?: number;
}

export interface WorkQueueHooks {
  /** Called with the number of ready keys whenever it changes. */
  depth?(depth: number): void;
  /** Called for every add that was not deduplicated away. */
  adds?(): void;
  /** Called for every rate-limited retry. */
  retries?(): void;
}

export interface WorkQueueOptions {
  name?: string;
  clock?: Clock;
  rateLimiter?: RateLimiterOptions;
  hooks?: WorkQueueHooks;
  /** @default the process's workqueue_* metrics, labelled with `name` */
  metrics?: WorkqueueMetrics;
}

interface Waiting { readyAt: number; handle: TimerHandle; priority: number }

export class WorkQueue {
  readonly name: string;
  private readonly clock: Clock;
  private readonly ready = new PriorityFifo();
  /** Keys that need processing (queued, or re-added while processing), with their priority. */
  private readonly dirty = new Map<string, number>();
  /** Keys handed to a worker, with when (performance.now()). */
  private readonly processing = new Map<string, number>();
  /** When each ready key was queued (for workqueue_queue_duration_seconds). */
  private readonly queuedAt = new Map<string, number>();
  private readonly metrics: WorkqueueMetrics;
  private readonly waiting = new Map<string, Waiting>();
  private readonly limiter: ItemRateLimiter;
  private getters: Array<(key: string | undefined) => void> = [];
  private idleWaiters: Array<() => void> = [];
  private shuttingDown = false;

  constructor(private readonly opts: WorkQueueOptions = {}) {
    this.name = opts.name ?? 'queue';
    this.clock = opts.clock ?? realClock;
    this.limiter = new ItemRateLimiter(this.clock, opts.rateLimiter);
    this.metrics = opts.metrics ?? workqueueMetricsFor(this.name);
    this.metrics.inFlight(() => this.processing.values());
  }

  add(key: string, opts: AddOptions = {}): void {
    if (this.shuttingDown) return;
    const priority = opts.priority ?? 0;
    const dirtyPriority = this.dirty.get(key);
    if (dirtyPriority !== undefined) {
      if (priority > dirtyPriority) {
        this.dirty.set(key, priority);
        if (this.ready.has(key)) this.ready.push(key, priority);
      }
      return;
    }
    this.opts.hooks?.adds?.();
    this.metrics.added();
    this.dirty.set(key, priority);
    if (this.processing.has(key)) return;
    this.enqueue(key, priority);
  }

  addAfter(key: string, delayMs: number, opts: AddOptions = {}): void {
    if (this.shuttingDown) return;
    if (delayMs <= 0) return this.add(key, opts);
    const readyAt = this.clock.now() + delayMs;
    const existing = this.waiting.get(key);
    if (existing && existing.readyAt <= readyAt) return;
    if (existing) this.clock.clearTimeout(existing.handle);
    const priority = opts.priority ?? existing?.priority ?? 0;
    const handle = this.clock.setTimeout(() => {
      this.waiting.delete(key);
      this.add(key, { priority });
    }, delayMs);
    this.waiting.set(key, { readyAt, handle, priority });
  }

  /** Retry `key` after its backoff: 5ms, 10ms, 20ms … up to the cap, until `forget(key)`. */
  addRateLimited(key: string, opts: AddOptions = {}): void {
    if (this.shuttingDown) return;
    this.opts.hooks?.retries?.();
    this.metrics.retried();
    this.addAfter(key, this.limiter.when(key), opts);
  }

  /** Stop tracking `key`'s failures (its next addRateLimited starts from the base delay). */
  forget(key: string): void {
    this.limiter.forget(key);
  }

  numRequeues(key: string): number {
    return this.limiter.numRequeues(key);
  }

  /** The next key to process, waiting if none is ready; undefined once shut down. */
  get(): Promise<string | undefined> {
    if (this.shuttingDown) return Promise.resolve(undefined);
    const key = this.ready.shift();
    if (key !== undefined) return Promise.resolve(this.handOut(key));
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /** Marks `key` processed; if it was re-added meanwhile it is queued again now. */
  done(key: string): void {
    const started = this.processing.get(key);
    if (started !== undefined) this.metrics.worked(performance.now() - started);
    this.processing.delete(key);
    if (!this.shuttingDown) {
      const priority = this.dirty.get(key);
      if (priority !== undefined) this.enqueue(key, priority);
    }
    this.wakeIdleWaiters();
  }

  /**
   * Resolves once no key is ready or being processed (at once if none is). Keys waiting on a delay
   * (addAfter, a rate-limited retry) do not count: a key that keeps failing must not hold its
   * callers forever. For start-up and tests that need what was added so far to be reconciled.
   */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle(): boolean {
    return this.shuttingDown || (this.ready.length === 0 && this.processing.size === 0);
  }

  private wakeIdleWaiters(): void {
    if (this.idleWaiters.length && this.isIdle()) for (const w of this.idleWaiters.splice(0)) w();
  }

  len(): number {
    return this.ready.length;
  }

  isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  shutDown(): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    for (const w of this.waiting.values()) this.clock.clearTimeout(w.handle);
    this.waiting.clear();
    this.ready.clear();
    this.queuedAt.clear();
    this.dirty.clear();
    this.opts.hooks?.depth?.(0);
    this.metrics.depth(0);
    this.metrics.inFlight(undefined);
    for (const g of this.getters.splice(0)) g(undefined);
    this.wakeIdleWaiters();
  }

  private enqueue(key: string, priority: number): void {
    if (!this.queuedAt.has(key)) this.queuedAt.set(key, performance.now());
    const getter = this.getters.shift();
    if (getter) {
      getter(this.handOut(key));
      return;
    }
    this.ready.push(key, priority);
    this.opts.hooks?.depth?.(this.ready.length);
    this.metrics.depth(this.ready.length);
  }

  private handOut(key: string): string {
    this.dirty.delete(key);
    const now = performance.now();
    const queued = this.queuedAt.get(key);
    if (queued !== undefined) this.metrics.waited(now - queued);
    this.queuedAt.delete(key);
    this.processing.set(key, now);
    this.opts.hooks?.depth?.(this.ready.length);
    this.metrics.depth(this.ready.length);
    return key;
  }
}

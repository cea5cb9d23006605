/**
 * Retry delays for the work queue, as client-go's DefaultControllerRateLimiter: the larger of a
 * per-item exponential backoff (base × 2^failures, capped) and an optional overall token bucket
 * (which keeps a burst of failing items from hammering the server).
 */
import type { Clock } from '../informer/clock.js';

export interface RateLimiterOptions {
  /** @default 5 */
  baseDelayMs?: number;
  /** @default 60000 */
  maxDelayMs?: number;
  /** Overall limit on retries; off unless given. */
  bucket?: { qps: number; burst: number };
}

export class ItemRateLimiter {
  private readonly failures = new Map<string, number>();
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private tokens: number;
  private lastRefill: number;

  constructor(private readonly clock: Clock, private readonly opts: RateLimiterOptions = {}) {
    this.baseDelayMs = opts.baseDelayMs ?? 5;
    this.maxDelayMs = opts.maxDelayMs ?? 60_000;
    this.tokens = opts.bucket?.burst ?? 0;
    this.lastRefill = clock.now();
  }

  /** The delay before `key` may be retried; counts one more failure. */
  when(key: string): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    const itemDelay = Math.min(this.baseDelayMs * 2 ** n, this.maxDelayMs);
    return Math.max(itemDelay, this.bucketDelay());
  }

  forget(key: string): void {
    this.failures.delete(key);
  }

  numRequeues(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  /** Reserve a token; the wait until it exists (tokens may go negative, like x/time/rate). */
  private bucketDelay(): number {
    const bucket = this.opts.bucket;
    if (!bucket) return 0;
    const now = this.clock.now();
    this.tokens = Math.min(bucket.burst, this.tokens + ((now - this.lastRefill) / 1000) * bucket.qps);
    this.lastRefill = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / bucket.qps) * 1000);
  }
}

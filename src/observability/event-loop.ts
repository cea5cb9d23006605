/**
 * Event-loop guard. The whole API server shares one JavaScript thread, so a request that holds it
 * (a runaway regex, a huge patch) stalls every tenant's requests and every watch at once. This
 * measures the delay with perf_hooks' monitorEventLoopDelay, exposes it at /metrics, and logs a
 * warning for each stall longer than `stallSeconds`, so a regression is visible before it is an
 * outage. The limits that keep requests short live where the work is (apiserver/limits.ts, CEL
 * cost, RE2); this is how we see that they hold.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { Counter, Gauge } from 'prom-client';
import type { Logger } from './logger.js';
import { registry } from './metrics.js';

const QUANTILES = [0.5, 0.9, 0.99, 1] as const;

let histogram: IntervalHistogram | undefined;

export const eventLoopDelay = new Gauge({
  name: 'tmc_event_loop_delay_seconds',
  help: 'Event-loop delay over the interval since the previous scrape, by quantile (1 = the longest stall).',
  labelNames: ['quantile'] as const,
  registers: [registry],
  collect() {
    if (!histogram) return;
    for (const q of QUANTILES) this.set({ quantile: String(q) }, histogram.percentile(q * 100) / 1e9);
    histogram.reset();
  },
});

export const eventLoopStalls = new Counter({
  name: 'tmc_event_loop_stalls_total',
  help: 'Times the event loop was blocked longer than the stall threshold (1 s by default).',
  registers: [registry],
});

export interface EventLoopGuard { stop(): void }

/** Starts measuring (idempotent for the histogram; each guard has its own stall watchdog). */
export function startEventLoopGuard(log: Logger, opts: { stallSeconds?: number; tickMs?: number } = {}): EventLoopGuard {
  const stallMs = (opts.stallSeconds ?? 1) * 1000;
  const tickMs = opts.tickMs ?? 100;
  if (!histogram) {
    histogram = monitorEventLoopDelay({ resolution: 10 });
    histogram.enable();
  }
  // a timer that fires late by more than the threshold saw the loop blocked for that long
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    const late = now - last - tickMs;
    last = now;
    if (late > stallMs) {
      eventLoopStalls.inc();
      log.warn({ blockedMs: Math.round(late) }, 'event loop was blocked: every request waited');
    }
  }, tickMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

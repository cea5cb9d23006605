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

/**
 * A stall only says the timer fired late: the loop was held, or the OS did not run the process at
 * all (a machine oversubscribed many times over). The CPU time the process spent over the late
 * interval tells them apart: a loop held by our own work burns that time, a starved process does
 * not. This counts the stalls during which the process used at least the threshold in CPU time,
 * so it stays meaningful on a loaded machine (CI runners, tests in parallel).
 */
export const eventLoopBusyStalls = new Counter({
  name: 'tmc_event_loop_busy_stalls_total',
  help: 'Stalls during which the process itself used at least the stall threshold in CPU time: its own work held the loop (not the machine starving it).',
  registers: [registry],
});

export interface EventLoopGuard { stop(): void }

/** Process CPU time (user + system, every thread) in milliseconds. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

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
  let lastCpu = cpuMs();
  const timer = setInterval(() => {
    const now = performance.now();
    const cpu = cpuMs();
    const late = now - last - tickMs;
    const used = cpu - lastCpu;
    last = now;
    lastCpu = cpu;
    if (late > stallMs) {
      eventLoopStalls.inc();
      const busy = used >= stallMs;
      if (busy) eventLoopBusyStalls.inc();
      log.warn({ blockedMs: Math.round(late), cpuMs: Math.round(used), busy },
        busy ? 'event loop was blocked: every request waited' : 'event loop was late, the process was not running (machine overloaded)');
    }
  }, tickMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

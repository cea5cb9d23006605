/**
 * client-go's workqueue metrics, under client-go's names (k8s.io/component-base/metrics/prometheus/
 * workqueue), labelled by queue name. Every WorkQueue reports through `workqueueMetricsFor`.
 */
import { Counter, Gauge, Histogram } from 'prom-client';
import { registry } from './registry.js';

/** client-go's buckets: 10 ns … 10 s, by factors of ten. */
const WORKQUEUE_BUCKETS = [1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 0.01, 0.1, 1, 10];

export const workqueueDepth = new Gauge({
  name: 'workqueue_depth', help: 'Current depth of workqueue.', labelNames: ['name'] as const, registers: [registry],
});

export const workqueueAddsTotal = new Counter({
  name: 'workqueue_adds_total', help: 'Total number of adds handled by workqueue.', labelNames: ['name'] as const, registers: [registry],
});

export const workqueueRetriesTotal = new Counter({
  name: 'workqueue_retries_total', help: 'Total number of retries handled by workqueue.', labelNames: ['name'] as const, registers: [registry],
});

export const workqueueQueueDuration = new Histogram({
  name: 'workqueue_queue_duration_seconds', help: 'How long in seconds an item stays in workqueue before being requested.',
  labelNames: ['name'] as const, buckets: WORKQUEUE_BUCKETS, registers: [registry],
});

export const workqueueWorkDuration = new Histogram({
  name: 'workqueue_work_duration_seconds', help: 'How long in seconds processing an item from workqueue takes.',
  labelNames: ['name'] as const, buckets: WORKQUEUE_BUCKETS, registers: [registry],
});

/** Queues whose in-flight items the two gauges below read at scrape time. */
const inFlightSources = new Map<string, () => Iterable<number>>();

function inFlightAges(reduce: (ages: number[]) => number) {
  return function collect(this: Gauge<'name'>) {
    this.reset();
    const now = performance.now();
    for (const [name, starts] of inFlightSources) {
      const ages = [...starts()].map((s) => (now - s) / 1000);
      this.set({ name }, ages.length ? reduce(ages) : 0);
    }
  };
}

export const workqueueUnfinishedWork = new Gauge({
  name: 'workqueue_unfinished_work_seconds',
  help: 'How many seconds of work has been done that is in progress and hasn\'t been observed by work_duration.',
  labelNames: ['name'] as const, registers: [registry], collect: inFlightAges((a) => a.reduce((x, y) => x + y, 0)),
});

export const workqueueLongestRunningProcessor = new Gauge({
  name: 'workqueue_longest_running_processor_seconds',
  help: 'How many seconds has the longest running processor for workqueue been running.',
  labelNames: ['name'] as const, registers: [registry], collect: inFlightAges((a) => Math.max(...a)),
});

/** The hooks one queue calls; times are performance.now() milliseconds. */
export interface WorkqueueMetrics {
  depth(n: number): void;
  added(): void;
  retried(): void;
  /** An item waited `ms` between being queued and handed to a worker. */
  waited(ms: number): void;
  /** A worker finished an item after `ms`. */
  worked(ms: number): void;
  /** The queue's in-flight item start times, read at scrape time; `undefined` unregisters. */
  inFlight(starts: (() => Iterable<number>) | undefined): void;
}

export function workqueueMetricsFor(name: string): WorkqueueMetrics {
  return {
    depth: (n) => workqueueDepth.set({ name }, n),
    added: () => workqueueAddsTotal.inc({ name }),
    retried: () => workqueueRetriesTotal.inc({ name }),
    waited: (ms) => workqueueQueueDuration.observe({ name }, ms / 1000),
    worked: (ms) => workqueueWorkDuration.observe({ name }, ms / 1000),
    inFlight: (starts) => { if (starts) inFlightSources.set(name, starts); else inFlightSources.delete(name); },
  };
}

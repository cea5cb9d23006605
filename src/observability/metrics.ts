/**
 * The process's Prometheus metrics (prom-client), on one registry served at /metrics.
 *
 * Names follow kube's apiserver where the meaning is the same (`apiserver_*`), and `tmc_*` for
 * controllers and syncers. Label values must come from small sets (verbs, resources, controller
 * and cluster names, result kinds), never from object names or user input, to keep series bounded.
 */
import { Counter, Gauge, Histogram, collectDefaultMetrics } from 'prom-client';
import { registry } from './registry.js';

export { registry };

/** kube-apiserver's request latency buckets (trimmed): 5 ms … 60 s. */
const REQUEST_BUCKETS = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.5, 2, 3, 5, 10, 20, 30, 60];
const RECONCILE_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const apiserverRequestTotal = new Counter({
  name: 'apiserver_request_total',
  help: 'API requests by verb, resource and HTTP status code.',
  labelNames: ['verb', 'resource', 'code'] as const,
  registers: [registry],
});

export const apiserverRequestDuration = new Histogram({
  name: 'apiserver_request_duration_seconds',
  help: 'API request latency in seconds, by verb and resource (watches: until the stream is established).',
  labelNames: ['verb', 'resource'] as const,
  buckets: REQUEST_BUCKETS,
  registers: [registry],
});

export const apiserverWatchEventsTotal = new Counter({
  name: 'apiserver_watch_events_total',
  help: 'Watch events sent to clients, by resource.',
  labelNames: ['resource'] as const,
  registers: [registry],
});

export const apiserverRegisteredWatchers = new Gauge({
  name: 'apiserver_registered_watchers',
  help: 'Open watch streams, by resource.',
  labelNames: ['resource'] as const,
  registers: [registry],
});

export const reconcileTotal = new Counter({
  name: 'tmc_reconcile_total',
  help: 'Reconciliations by controller and result (success, requeueAfter, error, terminal).',
  labelNames: ['controller', 'result'] as const,
  registers: [registry],
});

export const reconcileDuration = new Histogram({
  name: 'tmc_reconcile_duration_seconds',
  help: 'Time one reconciliation took, by controller.',
  labelNames: ['controller'] as const,
  buckets: RECONCILE_BUCKETS,
  registers: [registry],
});

/** Where the process's own metrics groups live; they register on `registry` above. */
export * from './workqueue-metrics.js';
export * from './storage-metrics.js';
export * from './tmc-metrics.js';

export type ReconcileResult = 'success' | 'error' | 'requeue';

/** Records one API request; `seconds` from the start of handling. */
export function observeRequest(verb: string, resource: string, code: number, seconds: number): void {
  const kubeVerb = KUBE_VERBS[verb] ?? verb.toUpperCase();
  apiserverRequestTotal.inc({ verb: kubeVerb, resource, code: String(code) });
  apiserverRequestDuration.observe({ verb: kubeVerb, resource }, seconds);
}

/** kube's metric verbs (endpoints/metrics CleanVerb): HTTP method names, but LIST, WATCH and APPLY apart. */
const KUBE_VERBS: Record<string, string> = {
  get: 'GET', list: 'LIST', watch: 'WATCH', create: 'POST', update: 'PUT', patch: 'PATCH', apply: 'APPLY',
  delete: 'DELETE', deletecollection: 'DELETE', connect: 'CONNECT',
};

/** Runs one reconciliation and records its outcome and duration (a throw counts as `error`). */
export async function timeReconcile<T>(controller: string, fn: () => Promise<T>,
  resultOf: (v: T) => ReconcileResult = () => 'success'): Promise<T> {
  const end = reconcileDuration.startTimer({ controller });
  try {
    const v = await fn();
    reconcileTotal.inc({ controller, result: resultOf(v) });
    return v;
  } catch (e) {
    reconcileTotal.inc({ controller, result: 'error' });
    throw e;
  } finally {
    end();
  }
}

let defaultsEnabled = false;

/** Adds node's process metrics (CPU, memory, event-loop lag, GC). Call once, from cmd/. */
export function enableDefaultMetrics(): void {
  if (defaultsEnabled) return;
  defaultsEnabled = true;
  collectDefaultMetrics({ register: registry });
}

/** The Prometheus text exposition of every metric, for GET /metrics. */
export function metricsText(): Promise<string> {
  return registry.metrics();
}

export const metricsContentType = registry.contentType;

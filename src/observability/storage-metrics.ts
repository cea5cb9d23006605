/**
 * kube-apiserver's storage metrics under its names (`etcd_*`, `apiserver_storage_*`), recorded for
 * every backend (sqlite and memory too: the names say "etcd" because that is what dashboards and
 * alerts written for kube look for), by operation and resource type.
 */
import { Counter, Gauge, Histogram } from 'prom-client';
import { registry } from './registry.js';

/** kube's etcd request buckets (trimmed): 5 ms … 60 s. */
const ETCD_BUCKETS = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60];

export const etcdRequestDuration = new Histogram({
  name: 'etcd_request_duration_seconds', help: 'Etcd request latency in seconds for each operation and object type.',
  labelNames: ['operation', 'type'] as const, buckets: ETCD_BUCKETS, registers: [registry],
});

export const etcdRequestsTotal = new Counter({
  name: 'etcd_requests_total', help: 'Etcd request counts for each operation and object type.',
  labelNames: ['operation', 'type'] as const, registers: [registry],
});

export const etcdRequestErrorsTotal = new Counter({
  name: 'etcd_request_errors_total', help: 'Etcd failed request counts for each operation and object type (expected outcomes such as NotFound and Conflict excluded).',
  labelNames: ['operation', 'type'] as const, registers: [registry],
});

let probe: { backend: string; check(): Promise<unknown> } | undefined;

/** Probed at every scrape (bounded by PROBE_TIMEOUT_MS), so an unreachable etcd shows without a readyz poller. */
export const storageUp = new Gauge({
  name: 'tmc_storage_up', help: '1 when the storage answered a probe (its current revision) at scrape time, 0 when it failed or took over 2 s.',
  labelNames: ['backend'] as const, registers: [registry],
  async collect() {
    if (!probe) return;
    this.set({ backend: probe.backend }, await probeOnce(probe.check) ? 1 : 0);
  },
});

const PROBE_TIMEOUT_MS = 2000;

async function probeOnce(check: () => Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((res) => { timer = setTimeout(() => res(false), PROBE_TIMEOUT_MS); });
  try {
    return await Promise.race([check().then(() => true as const), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** The storage `tmc_storage_up` probes; the latest call wins (one server per process in production). */
export function probeStorageOnScrape(store: { backend: string; currentResourceVersion(): Promise<string> } | undefined): void {
  probe = store && { backend: store.backend, check: () => store.currentResourceVersion() };
}

export function observeStorageRequest(operation: string, type: string, seconds: number, failed: boolean): void {
  etcdRequestsTotal.inc({ operation, type });
  etcdRequestDuration.observe({ operation, type }, seconds);
  if (failed) etcdRequestErrorsTotal.inc({ operation, type });
}

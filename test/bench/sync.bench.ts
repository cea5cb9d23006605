/**
 * Sync engine latency: N Deployments over M clusters, push mode in-process (one tmc-server, M
 * cluster-mode servers, the SyncerManager), all in this process on the same cores.
 * - propagation: upstream create → the Deployment exists downstream (per cluster, from a watch);
 * - status: downstream status written (ready) → the upstream aggregate shows every cluster ready;
 * - converge: first create → the last object present everywhere.
 * - upstream writes per copy: MODIFIED events of the bench's objects upstream (every one is a TMC
 *   write: finalizer, per-cluster status, aggregate) ÷ copies;
 * - baseline: the same copies created directly on the clusters, right after (directCreates).
 * Anchor: Karmada distribution p99 1.3 s (push). Default 500 × 10 (issue 13's row: ≤ 15 s).
 *
 * Run: npm run bench -- sync   or   npx tsc -p . && node dist/test/bench/sync.bench.js [N M ...pairs]
 * (BENCH_REQUESTS=1: the requests every server of the process answered per copy while propagating, by verb, resource and code)
 */
import { stateLabel, syncerFinalizer } from '../../src/apis/contract.js';
import type { KubeClient } from '../../src/client/kube-client.js';
import type { KubeObject, WatchHandle } from '../../src/client/types.js';
import { SyncerManager } from '../../src/syncer/manager/syncer-manager.js';
import { apiserverRequestTotal } from '../../src/observability/metrics.js';
import { pct } from './fixtures/stats.js';
import type { BenchOutput, BenchRow } from './report.js';
import { DEPLOYMENTS, NAMESPACES, deployment, startTopology } from '../syncer/harness.js';
import { waitFor } from '../helpers/wait.js';

function watchAll(client: KubeClient, namespace: string | undefined, onObj: (o: KubeObject, type: string) => void): WatchHandle {
  return client.watch(DEPLOYMENTS, { namespace, labelSelector: undefined }, (e) => { if (e.type === 'ADDED' || e.type === 'MODIFIED') onObj(e.object, e.type); }, () => {});
}

async function runOne(n: number, m: number): Promise<Record<string, number>> {
  const teardowns: Array<() => unknown> = [];
  // Enough simulated nodes that every replica fits (the simulator schedules against capacity).
  const topo = await startTopology({ teardown: (f) => { teardowns.push(f); } }, m, 'root:bench', 'Push', { nodes: Math.max(3, Math.ceil(n / 20)) });
  const manager = new SyncerManager(topo.rootClient, { registrationWorkspaces: [topo.workspace], workloadWorkspaces: [topo.workspace], namespaceCleanDelayMs: 30_000 });
  await manager.start();
  await waitFor('syncers running', async () => manager.syncers().size === m, { timeoutMs: 30_000 });
  try {
    const created = new Map<string, number>();
    const landed: number[] = [];
    const seen = new Set<string>();
    let lastLanded = 0;
    // Status: from the moment the last cluster's copy is ready (the cluster's status simulator, or
    // our own /status write when no simulator runs) to the upstream aggregate showing all ready.
    const readyOn = new Map<string, Set<string>>();
    const allReadyAt = new Map<string, number>();
    const statusLatency: number[] = [];
    // One watch per cluster (each watch is parsed in this same process: two would double that cost).
    const handles = topo.clusters.map((c) => watchAll(c.client, undefined, (o) => {
      const name = o.metadata?.name ?? '';
      const id = `${c.key}/${name}`;
      if (!seen.has(id)) {
        seen.add(id);
        const t0 = created.get(name);
        if (t0 !== undefined) { landed.push(Date.now() - t0); lastLanded = Date.now(); }
      }
      if ((o as { status?: { readyReplicas?: number } }).status?.readyReplicas !== 2) return;
      const set = readyOn.get(name) ?? new Set<string>();
      readyOn.set(name, set);
      set.add(c.key);
      if (set.size === m && !allReadyAt.has(name)) allReadyAt.set(name, Date.now());
    }));
    const done = new Set<string>();
    // Every upstream MODIFIED event of a bench object is one write by TMC (finalizer, status, aggregate).
    let upstreamWrites = 0;
    const writeKinds: Record<string, number> = {};
    const lastUp = new Map<string, KubeObject>();
    handles.push(watchAll(topo.ws, 'default', (o, type) => {
      const name = o.metadata?.name ?? '';
      if (type === 'MODIFIED' && created.has(name)) {
        upstreamWrites++;
        const kind = writeKind(lastUp.get(name), o);
        writeKinds[kind] = (writeKinds[kind] ?? 0) + 1;
      }
      lastUp.set(name, o);
      const t0 = allReadyAt.get(name);
      if (t0 === undefined || done.has(name)) return;
      if ((o as { status?: { readyReplicas?: number } }).status?.readyReplicas === 2 * m) { done.add(name); statusLatency.push(Date.now() - t0); }
    }));
    const labels = Object.fromEntries(topo.clusters.map((c) => [stateLabel(c.key), 'Sync']));
    // What admission writes when a placement selects the workload: each cluster's label with its syncer's finalizer.
    const finalizers = topo.clusters.map((c) => syncerFinalizer(c.key));
    const start = Date.now();
    const cpuAtStart = process.cpuUsage();
    const requestsAtStart = await requestCounts();
    // Created with bounded concurrency, as a controller or kubectl apply -f dir would.
    const names = Array.from({ length: n }, (_, i) => `app-${i}`);
    for (let i = 0; i < n; i += 20) {
      await Promise.all(names.slice(i, i + 20).map(async (name) => {
        created.set(name, Date.now());
        const d = deployment(name, labels, { replicas: 2 });
        d.metadata!.finalizers = finalizers;
        await topo.ws.create(DEPLOYMENTS, 'default', d);
      }));
    }
    await waitFor('all propagated', async () => landed.length === n * m, { timeoutMs: Math.max(120_000, n * m * 60), everyMs: 100 });
    const convergeMs = lastLanded - start;
    const cpu = process.cpuUsage(cpuAtStart);
    if (process.env.BENCH_REQUESTS) process.stderr.write(`requests per copy until converged (every server of this process): ${requestsPerCopy(requestsAtStart, await requestCounts(), n * m)}\n`);
    const cpuMsPerCopy = Math.round(((cpu.user + cpu.system) / 1000 / (n * m)) * 100) / 100;

    const statusBegin = Date.now();
    await new Promise((r) => setTimeout(r, 2_000));
    for (const name of names.filter((x) => !allReadyAt.has(x))) {
      for (const c of topo.clusters) {
        if (readyOn.get(name)?.has(c.key)) continue;
        const d = (await c.client.list(DEPLOYMENTS, { labelSelector: `tmc.kcp.io/cluster-key=${c.key}`, fieldSelector: `metadata.name=${name}` })).items[0];
        await c.client.patch(DEPLOYMENTS, d.metadata!.namespace, name, { status: { observedGeneration: d.metadata?.generation, replicas: 2, readyReplicas: 2, availableReplicas: 2, updatedReplicas: 2 } }, { type: 'merge', subresource: 'status' });
      }
    }
    // Aggregates that landed before the upstream watch saw the ready moment are re-checked once.
    await waitFor('all statuses aggregated', async () => {
      if (done.size + [...allReadyAt.keys()].filter((n) => !done.has(n)).length < n) return false;
      for (const name of names.filter((x) => !done.has(x))) {
        const u = await topo.ws.get(DEPLOYMENTS, 'default', name) as { status?: { readyReplicas?: number } };
        if (u.status?.readyReplicas === 2 * m) { done.add(name); statusLatency.push(Math.max(0, Date.now() - allReadyAt.get(name)!)); }
      }
      return done.size === n;
    }, { timeoutMs: Math.max(120_000, n * m * 30), everyMs: 200 }).catch(async (err) => {
      const missing = names.filter((x) => !done.has(x));
      const u = await topo.ws.get(DEPLOYMENTS, 'default', missing[0]);
      const perCluster = Object.entries(u.metadata?.annotations ?? {}).filter(([k]) => k.startsWith('status.tmc.kcp.io/')).map(([k, v]) => `${k}=${JSON.parse(v).readyReplicas}`);
      const down = await Promise.all(topo.clusters.map(async (c) => (await c.client.list(DEPLOYMENTS, { labelSelector: `tmc.kcp.io/cluster-key=${c.key}`, fieldSelector: `metadata.name=${missing[0]}` })).items[0] as { status?: { readyReplicas?: number } }));
      throw new Error(`${(err as Error).message}; ${missing.length} missing, e.g. ${missing[0]}: upstream ready ${(u as { status?: { readyReplicas?: number } }).status?.readyReplicas}, annotations ${perCluster.join(' ')}, downstream ready ${down.map((d) => d?.status?.readyReplicas).join(',')}, rv ${u.metadata?.resourceVersion}`);
    });
    const statusConvergeMs = Date.now() - statusBegin;
    // Settle: late aggregate writes still count.
    await new Promise((r) => setTimeout(r, 1_000));
    for (const h of handles) h.stop();
    const writesPerCopy = Math.round((upstreamWrites / (n * m)) * 100) / 100;
    const rawMs = await directCreates(topo.clusters.map((c) => c.client), n);
    return {
      deployments: n, clusters: m,
      propagationP50Ms: pct(landed, 50), propagationP99Ms: pct(landed, 99), propagationMaxMs: pct(landed, 100), convergeMs, cpuMsPerCopy,
      statusP50Ms: pct(statusLatency, 50), statusP99Ms: pct(statusLatency, 99), statusConvergeMs, upstreamWrites, writesPerCopy, rawMs,
      ...Object.fromEntries(Object.entries(writeKinds).map(([k, v]) => [`writes_${k}`, v])),
    };
  } finally {
    await manager.stop();
    for (const f of teardowns.reverse()) await f();
  }
}

/** Requests served so far by every server of this process (one shared registry), by verb, resource and code. */
async function requestCounts(): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const v of (await apiserverRequestTotal.get()).values) {
    const k = `${v.labels.verb} ${v.labels.resource} ${v.labels.code}`;
    counts.set(k, (counts.get(k) ?? 0) + v.value);
  }
  return counts;
}

function requestsPerCopy(before: Map<string, number>, after: Map<string, number>, copies: number): string {
  return [...after].map(([k, v]) => [k, (v - (before.get(k) ?? 0)) / copies] as const).filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k}=${v.toFixed(2)}`).join(', ');
}

/** What an upstream write changed: the aggregate, per-cluster reports, finalizers, or else. */
function writeKind(before: KubeObject | undefined, after: KubeObject): string {
  if (!before) return 'unknown';
  const status = (x: KubeObject) => JSON.stringify((x as { status?: unknown }).status ?? null);
  const reports = (x: KubeObject) => JSON.stringify(Object.entries(x.metadata?.annotations ?? {}).filter(([k]) => k.startsWith('status.tmc.kcp.io/')));
  const kinds: string[] = [];
  if (status(before) !== status(after)) kinds.push('aggregate');
  if (reports(before) !== reports(after)) kinds.push('reports');
  if (JSON.stringify(before.metadata?.finalizers) !== JSON.stringify(after.metadata?.finalizers)) kinds.push('finalizers');
  return kinds.join('+') || 'other';
}

/**
 * The baseline: the same copies created directly on the clusters (a namespace per cluster, 20
 * creates in flight, as the TMC burst), so the figure says what TMC adds to the clusters' own
 * cost. Same servers, same process, right after the TMC run.
 */
async function directCreates(clusters: KubeClient[], n: number): Promise<number> {
  await Promise.all(clusters.map((c) => c.create(NAMESPACES, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'raw-bench' } })));
  const work = clusters.flatMap((c) => Array.from({ length: n }, (_, i) => () => c.create(DEPLOYMENTS, 'raw-bench', deployment(`app-${i}`, {}, { replicas: 2 }))));
  const start = Date.now();
  for (let i = 0; i < work.length; i += 20) await Promise.all(work.slice(i, i + 20).map((f) => f()));
  return Date.now() - start;
}

export async function run(sizes: Array<[number, number]> = [[500, 10]]): Promise<BenchOutput> {
  const results: Record<string, Record<string, number>> = {};
  const rows: BenchRow[] = [];
  for (const [n, m] of sizes) {
    const r = await runOne(n, m);
    results[`${n}x${m}`] = r;
    process.stdout.write(`${n} deployments × ${m} clusters: propagation p50 ${r.propagationP50Ms} ms p99 ${r.propagationP99Ms} ms, all converged in ${r.convergeMs} ms (CPU ${r.cpuMsPerCopy} ms per copy; the same copies created directly: ${r.rawMs} ms); status p50 ${r.statusP50Ms} ms p99 ${r.statusP99Ms} ms (all in ${r.statusConvergeMs} ms); upstream writes per copy ${r.writesPerCopy} (${Object.entries(r).filter(([k]) => k.startsWith('writes_')).map(([k, v]) => `${k.slice(7)} ${v}`).join(', ')})\n`);
    const size = `${n}×${m}`;
    rows.push(
      { metric: `sync burst ${size}, one process: all converged`, unit: 's', measured: r.convergeMs / 1000, baseline: r.rawMs / 1000,
        baselineName: 'the same copies created directly', ...(n === 500 && m === 10 ? { goal: { op: '<=', value: 15 } } : {}) },
      { metric: `sync burst ${size}, one process: propagation p99`, unit: 'ms', measured: r.propagationP99Ms },
      { metric: `sync burst ${size}, one process: CPU per copy`, unit: 'ms', measured: r.cpuMsPerCopy, note: 'whole process (servers, simulators, syncers, bench) during propagation' },
      { metric: `sync burst ${size}, one process: upstream writes per copy`, unit: '', measured: r.writesPerCopy, goal: { op: '<=', value: 1 } },
    );
  }
  return { rows, details: results };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2).map(Number);
  const sizes: Array<[number, number]> = [];
  for (let i = 0; i + 1 < args.length; i += 2) sizes.push([args[i], args[i + 1]]);
  run(sizes.length ? sizes : undefined).then((r) => { process.stdout.write(`${JSON.stringify(r, null, 2)}\n`); process.exit(0); },
    (e) => { process.stderr.write(`${(e as Error).stack}\n`); process.exit(1); });
}

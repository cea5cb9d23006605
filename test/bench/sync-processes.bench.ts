/**
 * Sync at scale as deployed: N Deployments over M clusters with every server in its own process —
 * one `tmc-server` (default mode: sqlite, its in-process placement controller, cluster health
 * controller and push syncers, exactly what `npm start` runs) and M `tmc-server --mode cluster`
 * processes; this process only drives the API over HTTPS and watches, as a user would.
 *
 * The workloads are placed the product's way: one WorkloadPlacement (Duplicated over all M
 * clusters) exists first, so admission labels each Deployment for every cluster in its create.
 * - propagation: upstream create sent → the copy exists on a cluster (per copy, from a watch);
 * - status: the last cluster's copy ready (its status simulator) → the upstream aggregate shows all ready;
 * - converge: first create → the last copy present everywhere.
 * Anchor: Karmada distribution p99 1.3 s (push) at 100 clusters.
 *
 * Run: npx tsc -p . && node dist/test/bench/sync-processes.bench.js [N M ...pairs] [--rate R]   (default 100 4, burst)
 * Rows: propagation p99 (goal ≤ 1.5 s at 100 × 4; baseline: a direct create on a cluster), all
 * converged (baseline: the same copies created directly), upstream writes per copy (tmc-server's
 * PATCHes of deployments ÷ copies; goal ≤ 1) and tmc-server CPU per copy.
 * Progress goes to stderr; BENCH_DEBUG=1 logs every create and landing, BENCH_REQUESTS=1 tmc-server's
 * request counts by verb and resource at the end.
 */
import { readFileSync } from 'node:fs';
import { CLUSTER_REGISTRATIONS, WORKLOAD_PLACEMENTS } from '../../src/apis/tmc/gvr.js';
import { KubeClient } from '../../src/client/kube-client.js';
import { httpTransportFromKubeConfig } from '../../src/client/kubeconfig-transport.js';
import type { KubeObject, WatchHandle } from '../../src/client/types.js';
import { spawnServer, type SpawnedServer } from '../helpers/tmc.js';
import { pct } from './fixtures/stats.js';
import type { BenchOutput, BenchRow } from './report.js';
import { DEPLOYMENTS, NAMESPACES, SECRETS, bind, createWorkspace, deployment } from '../syncer/harness.js';
import { waitFor } from '../helpers/wait.js';

const EVENTS = { group: '', version: 'v1', resource: 'events' } as const;

const REPLICAS = 2;
const progress = (msg: string): void => { process.stderr.write(`[sync-processes ${new Date().toISOString().slice(11, 19)}] ${msg}\n`); };

/** user+system CPU a child process used so far (Linux /proc; NaN elsewhere). */
function cpuSeconds(s: SpawnedServer): number {
  try {
    const fields = readFileSync(`/proc/${s.child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** tmc-server's apiserver_request_total, summed by verb and resource, largest first. */
async function requestCounts(root: KubeClient): Promise<string> {
  const res = await root.transport.request({ method: 'GET', path: '/metrics', headers: {} });
  const counts = new Map<string, number>();
  for (const line of res.body.toString().split('\n')) {
    const m = /^apiserver_request_total\{verb="([^"]*)",resource="([^"]*)",code="([^"]*)"\} (\d+)/.exec(line);
    if (m) counts.set(`${m[1]} ${m[2]} ${m[3]}`, (counts.get(`${m[1]} ${m[2]} ${m[3]}`) ?? 0) + Number(m[4]));
  }
  const failures = res.body.toString().split('\n').filter((l) => l.startsWith('tmc_sync_failures_total{')).map((l) => l.replace('tmc_sync_failures_total', '')).join(', ');
  return `${[...counts].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([k, v]) => `${k}=${v}`).join(', ')}; sync failures: ${failures || 'none'}`;
}

/** tmc-server's successful PATCHes of deployments: every one is a write by TMC (status, aggregate, placement). */
async function deploymentPatches(root: KubeClient): Promise<number> {
  const res = await root.transport.request({ method: 'GET', path: '/metrics', headers: {} });
  let n = 0;
  for (const line of res.body.toString().split('\n')) {
    const m = /^apiserver_request_total\{verb="PATCH",resource="deployments",code="2\d\d"\} (\d+)/.exec(line);
    if (m) n += Number(m[1]);
  }
  return n;
}

/**
 * The baseline: the same copies created directly on the cluster processes over HTTPS (a namespace
 * per cluster, 20 creates in flight, as the TMC burst): per-create latency and the whole time.
 */
async function directCreates(clusters: KubeClient[], n: number): Promise<{ p99Ms: number; allMs: number }> {
  await Promise.all(clusters.map((c) => c.create(NAMESPACES, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'raw-bench' } })));
  const work = clusters.flatMap((c) => Array.from({ length: n }, (_, i) => () => c.create(DEPLOYMENTS, 'raw-bench', deployment(`app-${i}`, {}, { replicas: REPLICAS }))));
  const latencies: number[] = [];
  const start = Date.now();
  for (let i = 0; i < work.length; i += 20) {
    await Promise.all(work.slice(i, i + 20).map(async (f) => { const t0 = Date.now(); await f(); latencies.push(Date.now() - t0); }));
  }
  return { p99Ms: pct(latencies, 99), allMs: Date.now() - start };
}

/** Events in the workload namespace by reason (what the POST events above were). */
async function eventReasons(ws: KubeClient): Promise<string> {
  const counts = new Map<string, number>();
  for (const e of (await ws.list(EVENTS, { namespace: 'default' })).items as Array<{ reason?: string; count?: number }>) {
    counts.set(e.reason ?? '', (counts.get(e.reason ?? '') ?? 0) + (e.count ?? 1));
  }
  return [...counts].map(([k, v]) => `${k}=${v}`).join(', ');
}

const clientOf = (s: SpawnedServer): KubeClient => new KubeClient(httpTransportFromKubeConfig({ file: s.kubeconfigPath, basePath: '' }));
const ready = (o: KubeObject): number | undefined => (o as { status?: { readyReplicas?: number } }).status?.readyReplicas;

function watchDeployments(kube: KubeClient, namespace: string | undefined, onObj: (o: KubeObject) => void): WatchHandle {
  return kube.watch(DEPLOYMENTS, { namespace }, (e) => { if (e.type === 'ADDED' || e.type === 'MODIFIED') onObj(e.object); },
    (err) => progress(`a watch ended${err ? `: ${err.message}` : ''}; figures from here on may be incomplete`));
}

async function runOne(n: number, m: number, rate: number): Promise<Record<string, number>> {
  const teardowns: Array<() => unknown> = [];
  const t = { teardown: (f: () => unknown) => { teardowns.push(f); } };
  try {
    // Enough simulated nodes that every replica fits: a pod without requests counts 100m CPU and a
    // node has 4 CPUs (40 pods), so 30 a node leaves headroom.
    const nodes = String(Math.max(3, Math.ceil(((n + 1) * REPLICAS) / 30)));
    const [server, ...clusters] = await Promise.all([
      // e.g. BENCH_SERVER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile tmc-server (BENCH_CLUSTER_NODE_ARGS: the clusters)
      spawnServer(t, [], { nodeArgs: process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) }),
      ...Array.from({ length: m }, () => spawnServer(t, ['--mode', 'cluster', '--nodes', nodes, '--ready-delay', '500'],
        { nodeArgs: process.env.BENCH_CLUSTER_NODE_ARGS?.split(' ').filter(Boolean) })),
    ]);
    progress('servers up');
    const root = clientOf(server);
    const workspace = 'root:bench';
    const ws = await createWorkspace(root, workspace);
    await bind(ws, 'kubernetes', 'root:compute', 'kubernetes');
    await bind(ws, 'tmc', 'root:tmc', 'tmc.kcp.io');
    await waitFor('bindings', () => Promise.all([ws.list(DEPLOYMENTS, { namespace: 'default' }), ws.list(CLUSTER_REGISTRATIONS)]).then(() => true), { timeoutMs: 30_000 });
    for (const [i, c] of clusters.entries()) {
      const name = `cluster-${i + 1}`;
      await ws.create(SECRETS, 'default', { apiVersion: 'v1', kind: 'Secret', metadata: { name: `${name}-kubeconfig` }, data: { kubeconfig: readFileSync(c.kubeconfigPath).toString('base64') } });
      await ws.create(CLUSTER_REGISTRATIONS, undefined, {
        apiVersion: 'tmc.kcp.io/v1alpha1', kind: 'ClusterRegistration', metadata: { name },
        spec: { syncMode: 'Push', clusterEndpoint: { serverURL: c.url, secretRef: { namespace: 'default', name: `${name}-kubeconfig` } } },
      });
    }
    await waitFor('clusters Ready', async () => (await ws.list(CLUSTER_REGISTRATIONS)).items
      .filter((r) => (r.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length === m, { timeoutMs: 60_000, everyMs: 200 });
    progress('clusters Ready');
    await ws.create(WORKLOAD_PLACEMENTS, 'default', {
      apiVersion: 'tmc.kcp.io/v1alpha1', kind: 'WorkloadPlacement', metadata: { name: 'bench' },
      spec: { workloadSelector: { workloadTypes: [{ group: 'apps', kind: 'Deployment' }], labelSelector: { matchLabels: { bench: 'yes' } } }, numberOfClusters: m, replicaScheduling: { type: 'Duplicated' } },
    });
    // A placement decides once it selects a workload; one warm-up Deployment gets it there, so the
    // measured ones are labelled at admission (as every workload after the first is in practice).
    await ws.create(DEPLOYMENTS, 'default', deployment('warmup', { bench: 'yes' }, { replicas: REPLICAS }));
    let placement: { status?: { phase?: string; decisions?: unknown[] } } = {};
    await waitFor('placement scheduled', async () => {
      placement = await ws.get(WORKLOAD_PLACEMENTS, 'default', 'bench') as typeof placement;
      return placement.status?.phase === 'Scheduled' && placement.status.decisions?.length === m;
    }, { timeoutMs: 60_000, everyMs: 200 }).catch((e) => { throw new Error(`${(e as Error).message}: ${JSON.stringify(placement.status)}`); });

    // Syncers start once the manager has discovered the new workspace (a periodic walk, up to
    // 10 s): the warm-up landing everywhere means every cluster's syncer runs, so what follows is
    // steady-state sync, as Karmada's figure (clusters joined long before) is.
    await waitFor('warm-up synced everywhere', async () => {
      const copies = await Promise.all(clusters.map((c) => clientOf(c).list(DEPLOYMENTS, { fieldSelector: 'metadata.name=warmup' })));
      return copies.every((l) => l.items.length === 1);
    }, { timeoutMs: 60_000, everyMs: 200 });
    progress('placement scheduled, syncers running');
    const created = new Map<string, number>();
    const landed: number[] = [];
    const seen = new Set<string>();
    const readyOn = new Map<string, number>();
    const allReadyAt = new Map<string, number>();
    let lastLanded = 0;
    const handles = clusters.map((c, i) => watchDeployments(clientOf(c), undefined, (o) => {
      const name = o.metadata?.name ?? '';
      const id = `${i}/${name}`;
      if (!seen.has(id)) {
        seen.add(id);
        const t0 = created.get(name);
        if (t0 !== undefined) { landed.push(Date.now() - t0); lastLanded = Date.now(); }
        if (process.env.BENCH_DEBUG) progress(`${name} landed on ${i} +${t0 === undefined ? '?' : Date.now() - t0} ms`);
      }
      if (ready(o) === REPLICAS && created.has(name) && !seen.has(`ready:${id}`)) {
        seen.add(`ready:${id}`);
        const count = (readyOn.get(name) ?? 0) + 1;
        readyOn.set(name, count);
        if (count === m) allReadyAt.set(name, Date.now());
      }
    }));
    const statusLatency: number[] = [];
    const done = new Set<string>();
    const upstreamReady = (o: KubeObject) => {
      const name = o.metadata?.name ?? '';
      const t0 = allReadyAt.get(name);
      if (t0 === undefined || done.has(name) || ready(o) !== REPLICAS * m) return;
      done.add(name);
      statusLatency.push(Date.now() - t0);
    };
    handles.push(watchDeployments(ws, 'default', upstreamReady));

    const start = Date.now();
    const serverCpuAtStart = cpuSeconds(server);
    const patchesAtStart = await deploymentPatches(root);
    const names = Array.from({ length: n }, (_, i) => `app-${i}`);
    // Paced at `rate` creates/s (latency under a load the system keeps up with), or as fast as 20
    // requests in flight allow (a burst, as `kubectl apply -f dir/`: latency is then time in the backlog).
    for (let i = 0; i < n; i += 20) {
      await Promise.all(names.slice(i, i + 20).map(async (name, j) => {
        if (rate > 0) await new Promise((r) => setTimeout(r, Math.max(0, start + ((i + j) * 1000) / rate - Date.now())));
        // from the request, not its answer: under load the copy can land before the answer does
        created.set(name, Date.now());
        const upstreamObj = await ws.create(DEPLOYMENTS, 'default', deployment(name, { bench: 'yes' }, { replicas: REPLICAS }));
        if (process.env.BENCH_DEBUG) progress(`${name} created +${Date.now() - created.get(name)!} ms labels ${JSON.stringify(upstreamObj.metadata?.labels)}`);
      }));
    }
    progress('all created');
    const createdMs = Date.now() - start;
    let lastReport = Date.now();
    await waitFor('all propagated', async () => {
      if (Date.now() - lastReport > 10_000) { lastReport = Date.now(); progress(`${landed.length} of ${n * m} copies landed (${seen.size} seen)`); }
      return landed.length >= n * m;
    }, { timeoutMs: 600_000, everyMs: 200 }).catch((e) => {
      throw new Error(`${(e as Error).message}: ${landed.length} of ${n * m} copies`);
    });
    const convergeMs = lastLanded - start;
    // An aggregate that landed before this process saw the last cluster ready is checked once by GET.
    await waitFor('all statuses aggregated', async () => {
      if (Date.now() - lastReport > 10_000) { lastReport = Date.now(); progress(`${allReadyAt.size} of ${n} ready on every cluster, ${done.size} aggregated upstream`); }
      if (allReadyAt.size < n) return false;
      for (const name of names.filter((x) => !done.has(x))) upstreamReady(await ws.get(DEPLOYMENTS, 'default', name));
      return done.size === n;
    }, { timeoutMs: 600_000, everyMs: 500 }).catch((e) => { throw new Error(`${(e as Error).message}: ${allReadyAt.size} ready everywhere, ${done.size} aggregated`); });
    const statusConvergeMs = Date.now() - start;
    const serverCpuMsPerCopy = Math.round(((cpuSeconds(server) - serverCpuAtStart) * 1000) / (n * m) * 10) / 10;
    // late aggregate writes still count
    await new Promise((r) => setTimeout(r, 1_000));
    const writesPerCopy = Math.round(((await deploymentPatches(root)) - patchesAtStart) / (n * m) * 100) / 100;
    for (const h of handles) h.stop();
    const raw = await directCreates(clusters.map(clientOf), n);
    if (process.env.BENCH_REQUESTS) progress(`tmc-server requests: ${await requestCounts(root)}; events: ${await eventReasons(ws)}`);
    const cpu = { tmcServerCpuS: cpuSeconds(server), clustersCpuS: clusters.reduce((a, c) => a + cpuSeconds(c), 0), benchCpuS: process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6 };
    // a graceful stop, so NODE_OPTIONS=--cpu-prof leaves each server's profile behind
    await Promise.all([server, ...clusters].map((x) => x.kill('SIGTERM')));
    return {
      deployments: n, clusters: m, ratePerS: rate, createMs: createdMs,
      copiesPerS: Math.round((n * m * 1000) / Math.max(1, convergeMs)),
      propagationP50Ms: pct(landed, 50), propagationP99Ms: pct(landed, 99), propagationMaxMs: pct(landed, 100), convergeMs,
      statusP50Ms: pct(statusLatency, 50), statusP99Ms: pct(statusLatency, 99), allReadyUpstreamMs: statusConvergeMs,
      writesPerCopy, serverCpuMsPerCopy, rawCreateP99Ms: raw.p99Ms, rawAllMs: raw.allMs,
      ...Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, Math.round(v * 10) / 10])),
    };
  } finally {
    for (const f of teardowns.reverse()) await f();
  }
}

export async function run(sizes: Array<[number, number]> = [[100, 4]], rate = 0): Promise<BenchOutput> {
  const results: Record<string, Record<string, number>> = {};
  const rows: BenchRow[] = [];
  for (const [n, m] of sizes) {
    const r = await runOne(n, m, rate);
    results[`${n}x${m}${rate ? `@${rate}/s` : ''}`] = r;
    process.stdout.write(`${n} deployments × ${m} clusters (separate processes, ${rate ? `${rate} creates/s` : 'burst'}): created in ${r.createMs} ms; propagation p50 ${r.propagationP50Ms} ms p99 ${r.propagationP99Ms} ms, all converged in ${r.convergeMs} ms (${r.copiesPerS} copies/s); status p50 ${r.statusP50Ms} ms p99 ${r.statusP99Ms} ms; all ready upstream at ${r.allReadyUpstreamMs} ms; upstream writes per copy ${r.writesPerCopy}; CPU s: tmc-server ${r.tmcServerCpuS} (${r.serverCpuMsPerCopy} ms per copy), clusters ${r.clustersCpuS}, bench ${r.benchCpuS}; the same copies created directly: p99 ${r.rawCreateP99Ms} ms, all in ${r.rawAllMs} ms\n`);
    const size = `${n}×${m}${rate ? ` @${rate}/s` : ''}`;
    const primary = n === 100 && m === 4 && !rate;
    rows.push(
      { metric: `sync burst ${size}, separate processes: propagation p99`, unit: 'ms', measured: r.propagationP99Ms, baseline: r.rawCreateP99Ms,
        baselineName: 'a direct create on the cluster, p99', ...(primary ? { goal: { op: '<=', value: 1500 } } : {}) },
      { metric: `sync burst ${size}, separate processes: all converged`, unit: 's', measured: r.convergeMs / 1000, baseline: r.rawAllMs / 1000, baselineName: 'the same copies created directly' },
      { metric: `sync burst ${size}, separate processes: upstream writes per copy`, unit: '', measured: r.writesPerCopy, goal: { op: '<=', value: 1 } },
      { metric: `sync burst ${size}, separate processes: tmc-server CPU per copy`, unit: 'ms', measured: r.serverCpuMsPerCopy },
    );
  }
  return { rows, details: results };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const argv = process.argv.slice(2);
  const rateAt = argv.indexOf('--rate');
  const rate = rateAt >= 0 ? Number(argv.splice(rateAt, 2)[1]) : 0;
  const args = argv.map(Number);
  const sizes: Array<[number, number]> = [];
  for (let i = 0; i + 1 < args.length; i += 2) sizes.push([args[i], args[i + 1]]);
  run(sizes.length ? sizes : undefined, rate).then((r) => { process.stdout.write(`${JSON.stringify(r, null, 2)}\n`); process.exit(0); },
    (e) => { process.stderr.write(`${(e as Error).stack}\n`); process.exit(1); });
}

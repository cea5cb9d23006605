/**
 * Sync engine latency: N Deployments over M clusters, push mode in-process (one tmc-server, M
 * cluster-mode servers, the SyncerManager), all in this process on the same cores.
 * - propagation: upstream create → the Deployment exists downstream (per cluster, from a watch);
 * - status: downstream status written (ready) → the upstream aggregate shows every cluster ready;
 * - converge: first create → the last object present everywhere.
 * Anchor: Karmada distribution p99 1.3 s (push). Sizes scaled down from 1 000 × 10 to fit ~60 s.
 *
 * Run: npx tsc -p . && node dist/test/bench/sync.bench.js [N M ...pairs]
 */
import { stateLabel, syncerFinalizer } from '../../src/apis/contract.js';
import type { KubeClient } from '../../src/client/kube-client.js';
import type { KubeObject, WatchHandle } from '../../src/client/types.js';
import { SyncerManager } from '../../src/syncer/manager/syncer-manager.js';
import { pct } from './fixtures/stats.js';
import { DEPLOYMENTS, deployment, startTopology } from '../syncer/harness.js';
import { waitFor } from '../helpers/wait.js';

function watchAll(client: KubeClient, namespace: string | undefined, onObj: (o: KubeObject) => void): WatchHandle {
  return client.watch(DEPLOYMENTS, { namespace, labelSelector: undefined }, (e) => { if (e.type === 'ADDED' || e.type === 'MODIFIED') onObj(e.object); }, () => {});
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
    const handles = topo.clusters.map((c) => watchAll(c.client, undefined, (o) => {
      const id = `${c.key}/${o.metadata?.name}`;
      if (seen.has(id)) return;
      seen.add(id);
      const t0 = created.get(o.metadata?.name ?? '');
      if (t0 !== undefined) { landed.push(Date.now() - t0); lastLanded = Date.now(); }
    }));
    // Status: from the moment the last cluster's copy is ready (the cluster's status simulator, or
    // our own /status write when no simulator runs) to the upstream aggregate showing all ready.
    const readyOn = new Map<string, Set<string>>();
    const allReadyAt = new Map<string, number>();
    const statusLatency: number[] = [];
    const readyHandles = topo.clusters.map((c) => watchAll(c.client, undefined, (o) => {
      const name = o.metadata?.name ?? '';
      if ((o as { status?: { readyReplicas?: number } }).status?.readyReplicas !== 2) return;
      const set = readyOn.get(name) ?? new Set<string>();
      readyOn.set(name, set);
      set.add(c.key);
      if (set.size === m && !allReadyAt.has(name)) allReadyAt.set(name, Date.now());
    }));
    const done = new Set<string>();
    const upHandle = watchAll(topo.ws, 'default', (o) => {
      const name = o.metadata?.name ?? '';
      const t0 = allReadyAt.get(name);
      if (t0 === undefined || done.has(name)) return;
      if ((o as { status?: { readyReplicas?: number } }).status?.readyReplicas === 2 * m) { done.add(name); statusLatency.push(Date.now() - t0); }
    });
    const labels = Object.fromEntries(topo.clusters.map((c) => [stateLabel(c.key), 'Sync']));
    // What admission writes when a placement selects the workload: each cluster's label with its syncer's finalizer.
    const finalizers = topo.clusters.map((c) => syncerFinalizer(c.key));
    const start = Date.now();
    const cpuAtStart = process.cpuUsage();
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
    await waitFor('all propagated', async () => landed.length === n * m, { timeoutMs: 120_000, everyMs: 100 });
    const convergeMs = lastLanded - start;
    const cpu = process.cpuUsage(cpuAtStart);
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
    }, { timeoutMs: 120_000, everyMs: 200 }).catch(async (err) => {
      const missing = names.filter((x) => !done.has(x));
      const u = await topo.ws.get(DEPLOYMENTS, 'default', missing[0]);
      const perCluster = Object.entries(u.metadata?.annotations ?? {}).filter(([k]) => k.startsWith('status.tmc.kcp.io/')).map(([k, v]) => `${k}=${JSON.parse(v).readyReplicas}`);
      const down = await Promise.all(topo.clusters.map(async (c) => (await c.client.list(DEPLOYMENTS, { labelSelector: `tmc.kcp.io/cluster-key=${c.key}`, fieldSelector: `metadata.name=${missing[0]}` })).items[0] as { status?: { readyReplicas?: number } }));
      throw new Error(`${(err as Error).message}; ${missing.length} missing, e.g. ${missing[0]}: upstream ready ${(u as { status?: { readyReplicas?: number } }).status?.readyReplicas}, annotations ${perCluster.join(' ')}, downstream ready ${down.map((d) => d?.status?.readyReplicas).join(',')}, rv ${u.metadata?.resourceVersion}`);
    });
    const statusConvergeMs = Date.now() - statusBegin;
    for (const h of readyHandles) h.stop();
    for (const h of [...handles, upHandle]) h.stop();
    return {
      deployments: n, clusters: m,
      propagationP50Ms: pct(landed, 50), propagationP99Ms: pct(landed, 99), propagationMaxMs: pct(landed, 100), convergeMs, cpuMsPerCopy,
      statusP50Ms: pct(statusLatency, 50), statusP99Ms: pct(statusLatency, 99), statusConvergeMs,
    };
  } finally {
    await manager.stop();
    for (const f of teardowns.reverse()) await f();
  }
}

export async function run(sizes: Array<[number, number]> = [[50, 2], [200, 4]]): Promise<Record<string, unknown>> {
  const results: Record<string, unknown> = {};
  for (const [n, m] of sizes) {
    const r = await runOne(n, m);
    results[`${n}x${m}`] = r;
    process.stdout.write(`${n} deployments × ${m} clusters: propagation p50 ${r.propagationP50Ms} ms p99 ${r.propagationP99Ms} ms, all converged in ${r.convergeMs} ms (CPU ${r.cpuMsPerCopy} ms per copy); status p50 ${r.statusP50Ms} ms p99 ${r.statusP99Ms} ms (all in ${r.statusConvergeMs} ms)\n`);
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2).map(Number);
  const sizes: Array<[number, number]> = [];
  for (let i = 0; i + 1 < args.length; i += 2) sizes.push([args[i], args[i + 1]]);
  run(sizes.length ? sizes : undefined).then((r) => { process.stdout.write(`${JSON.stringify(r, null, 2)}\n`); process.exit(0); },
    (e) => { process.stderr.write(`${(e as Error).stack}\n`); process.exit(1); });
}

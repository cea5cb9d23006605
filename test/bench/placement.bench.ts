/**
 * Placement engine latency: one schedule() decision over 100, 1 000 and 5 000 clusters (p50/p99
 * over repeated runs), beside the floor: evaluating the placement's CEL clusterSelector
 * expression alone over the same clusters (compiled once). Anchor: Karmada's cluster_schedule
 * p99 32 ms at 100 clusters (karmada.io test report, 2022).
 *
 * The placement exercises everything at once: CEL selector + rule, label selector, tolerations,
 * region spread (maxSkew 1, minGroups 3), numberOfClusters 10, Divided with dynamic weights,
 * previous decision (steady), default prioritizers.
 *
 * Run: npx tsc -p . && node dist/test/bench/placement.bench.js
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Environment } from '@marcbachmann/cel-js';
import { ClusterSnapshot, schedule } from '../../src/placement/index.js';
import { schedule as previousEngine } from '../placement/oracle/index.js';
import type { CelCompiler, ClusterRegistration } from '../../src/placement/types.js';
import type { ScheduleInput } from '../../src/placement/schedule-input.js';
import { alternate, type BenchOutput, type BenchRow } from './report.js';

const env = new Environment({ unlistedVariablesAreDyn: true });
const celCompiler: CelCompiler = (e) => {
  const p = env.parse(e);
  return (vars) => p(vars) === true;
};

const SELECTOR = "cluster.metadata.labels['tier'] != 'dev' && cluster.spec.location != 'quarantine'";
const REGIONS = ['eu-west', 'eu-central', 'us-east', 'us-west', 'ap-south', 'ap-east'];
const NOW = Date.parse('2026-01-01T12:00:00Z');

export function fleet(n: number): ClusterRegistration[] {
  const out: ClusterRegistration[] = [];
  for (let i = 0; i < n; i++) {
    const region = REGIONS[i % REGIONS.length];
    out.push({
      metadata: {
        name: `cluster-${String(i).padStart(5, '0')}`,
        labels: { 'topology.kubernetes.io/region': region, 'topology.kubernetes.io/zone': `${region}-${i % 3}`, 'tmc.kcp.io/provider': i % 2 ? 'aws' : 'gcp', tier: i % 7 === 0 ? 'dev' : 'prod', env: 'prod' },
      },
      spec: {
        location: `${region}-dc${i % 4}`,
        taints: i % 11 === 0 ? [{ key: 'spot', effect: 'PreferNoSchedule' }] : i % 13 === 0 ? [{ key: 'maint', effect: 'NoSchedule' }] : [],
        unschedulable: i % 29 === 0,
      },
      status: {
        conditions: [{ type: 'Ready', status: i % 17 === 0 ? 'False' : 'True', lastTransitionTime: '2026-01-01T10:00:00Z' }],
        allocatable: { cpu: `${32 + (i % 5) * 16}`, memory: `${128 + (i % 4) * 64}Gi`, pods: '1100' },
        allocated: { cpu: `${(i * 7) % 30}`, memory: `${(i * 13) % 100}Gi`, pods: `${(i * 31) % 900}` },
        syncedResources: ['deployments.apps', 'services', 'configmaps'],
        clusterKey: `k${i}`,
      },
    });
  }
  return out;
}

export function input(clusters: ClusterRegistration[]): ScheduleInput {
  return {
    placement: {
      spec: {
        clusterSelector: { labelSelector: { matchLabels: { env: 'prod' } }, expression: SELECTOR },
        rules: [{ expression: "cluster.status.syncedResources.exists(r, r == 'deployments.apps')", message: 'needs deployments' }],
        numberOfClusters: 10,
        spreadConstraints: [{ topologyKey: 'topology.kubernetes.io/region', maxSkew: 1, minGroups: 3 }],
        replicaScheduling: { type: 'Divided', weights: { dynamic: 'AvailableReplicas' } },
        tolerations: [{ key: 'spot', operator: 'Exists' }],
      },
    },
    workload: {
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default', uid: 'u-1' },
      spec: { replicas: 40, template: { spec: { containers: [{ name: 'main', resources: { requests: { cpu: '500m', memory: '1Gi' } } }] } } },
    },
    clusters,
    previous: { clusters: [{ clusterName: clusters[1].metadata.name, replicas: 20 }, { clusterName: clusters[2].metadata.name, replicas: 20 }] },
    placementCounts: Object.fromEntries(clusters.map((c, i) => [c.metadata.name, i % 9])),
    now: NOW,
    options: { celCompiler },
  };
}

/**
 * A full collection before each timed slice, so the garbage one side left (the previous engine
 * allocates ~20× more) is not collected during the other side's slice. Fair to both sides.
 */
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * Wall-clock p50/p99/mean, plus mean CPU time per run: on a shared 2-core machine the wall clock
 * includes time the process was preempted, CPU time does not.
 */
interface Timing { p50: number; p99: number; mean: number; cpuMean: number; gcMsPerRun: number; gcMaxMs: number; samples?: number[] }

/**
 * Garbage-collection pauses (start, duration) as the runtime reports them: what a decision's p99
 * is made of once its CPU time is small. Delivered asynchronously, so read after a slice.
 */
const gcPauses: Array<[number, number]> = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcPauses.push([e.startTime, e.duration]);
}).observe({ entryTypes: ['gc'] });

async function gcDuring(from: number, to: number): Promise<{ total: number; max: number }> {
  // the runtime queues the entries on a timer of its own
  await new Promise((r) => setTimeout(r, 10));
  let total = 0;
  let max = 0;
  for (const [at, d] of gcPauses) {
    if (at < from || at > to) continue;
    total += d;
    if (d > max) max = d;
  }
  return { total, max };
}

async function time(fn: () => unknown, runs: number): Promise<Timing> {
  for (let i = 0; i < Math.min(5, runs); i++) fn(); // warm-up
  collectGarbage();
  // the collector's helper threads finish sweeping before CPU time is read (it counts every thread)
  await new Promise((r) => setTimeout(r, 20));
  const ms: number[] = [];
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  const cpu = process.cpuUsage(cpu0);
  const gc = await gcDuring(started, performance.now());
  ms.sort((a, b) => a - b);
  const round = (x: number) => Number(x.toFixed(3));
  return {
    gcMsPerRun: round(gc.total / runs),
    gcMaxMs: round(gc.max),
    p50: round(percentile(ms, 50)),
    p99: round(percentile(ms, 99)),
    mean: round(ms.reduce((s, x) => s + x, 0) / ms.length),
    cpuMean: round((cpu.user + cpu.system) / 1000 / runs),
    samples: ms,
  };
}

export async function run(): Promise<BenchOutput> {
  const results: Record<string, unknown> = {};
  const rows: BenchRow[] = [];
  const goals: Record<number, number> = { 1000: 2, 5000: 10 };
  // enough runs that p99 is not just the slowest one or two (the previous engine's share dominates the time)
  for (const [n, runs] of [[100, 800], [1000, 400], [5000, 100]] as const) {
    const clusters = fleet(n);
    const inp = input(clusters);
    // as the controller runs it: one snapshot over the informer's objects, shared by every decision
    const withSnapshot: ScheduleInput = { ...inp, options: { ...inp.options, snapshot: new ClusterSnapshot() } };
    const d = schedule(withSnapshot);
    // engine and previous engine take turns in slices, so load swings hit both alike
    const slices = await alternate(8, {
      engine: () => time(() => schedule(withSnapshot), Math.ceil(runs / 8)),
      // the decision plus its per-cluster table (every filter verdict and score), which the
      // engine builds only when read (a reconcile reads it once to record the evaluation)
      explained: () => time(() => schedule(withSnapshot).candidates.length, Math.ceil(runs / 8)),
      previous: () => time(() => previousEngine(inp as never), Math.ceil(runs / 8)),
    });
    const decision = merge(slices.engine);
    const explained = merge(slices.explained);
    const previous = merge(slices.previous);
    // The floor: the selector expression alone, compiled once, over the same clusters.
    const program = env.parse(SELECTOR);
    const { samples: _s, ...celOnly } = await time(() => {
      let k = 0;
      for (const c of clusters) if (program({ cluster: c }) === true) k++;
      return k;
    }, runs);
    results[`clusters_${n}`] = {
      runs,
      decisionMs: decision,
      withCandidateTableMs: explained,
      previousEngineMs: previous,
      celSelectorOnlyMs: celOnly,
      status: d.status,
      chosen: d.clusters.length,
      replicas: d.clusters.reduce((s, c) => s + (c.replicas ?? 0), 0),
    };
    const steady = await steadyP99(n, runs);
    results[`clusters_${n}`] = { ...(results[`clusters_${n}`] as object), steadyMs: steady };
    const goal = goals[n] ? { op: '<=' as const, value: goals[n] } : undefined;
    rows.push({ metric: `one decision over ${n} clusters, p99 (steady: own thread, no forced GC)`, goal, measured: steady.engine.p99, baseline: steady.previous.p99, baselineName: 'previous engine', unit: 'ms', note: `p50 ${steady.engine.p50} ms (previous ${steady.previous.p50})` });
    rows.push({ metric: `one decision over ${n} clusters, p99 (after a forced full GC per slice)`, measured: decision.p99, baseline: previous.p99, baselineName: 'previous engine', unit: 'ms' });
    rows.push({ metric: `one decision over ${n} clusters, CPU per decision`, measured: decision.cpuMean, baseline: previous.cpuMean, baselineName: 'previous engine', unit: 'ms', note: `CEL selector alone: ${celOnly.cpuMean} ms` });
    rows.push({ metric: `one decision over ${n} clusters, GC pause per decision`, measured: decision.gcMsPerRun, baseline: previous.gcMsPerRun, baselineName: 'previous engine', unit: 'ms', note: `longest pause ${decision.gcMaxMs} ms (previous engine ${previous.gcMaxMs} ms)` });
    rows.push({ metric: `one decision over ${n} clusters with its per-cluster table read, p99`, measured: explained.p99, baseline: previous.p99, baselineName: 'previous engine', unit: 'ms', note: `CPU ${explained.cpuMean} ms` });
  }
  results.anchor = 'Karmada cluster_schedule p99 32 ms at 100 clusters';
  console.log(JSON.stringify({ bench: 'placement', ...results }, null, 2));
  return { rows, details: results };
}

/**
 * p50/p99 as a running controller sees them: each engine decides in its own worker thread (its own
 * heap, so neither collects the other's garbage, and nothing forces a collection), warmed up, slices
 * alternating between the two. The in-process rows above force a full GC before each slice to be
 * fair within one heap; V8 then runs the engine cold for a while (p50 roughly doubles), which is
 * what their p99 mostly shows.
 */
async function steadyP99(clusters: number, runs: number): Promise<Record<'engine' | 'previous', { p50: number; p99: number }>> {
  const url = new URL('./fixtures/placement-steady.js', import.meta.url);
  const start = (engine: string) => new Promise<Worker>((resolve, reject) => {
    const w = new Worker(url, { workerData: { engine, clusters, warmUp: engine === 'engine' ? 200 : 20 } });
    w.once('message', () => resolve(w));
    w.once('error', reject);
  });
  const workers = { engine: await start('engine'), previous: await start('previous') };
  const slice = (w: Worker, n: number) => new Promise<number[]>((resolve) => {
    w.once('message', (m: { samples: number[] }) => resolve(m.samples));
    w.postMessage({ runs: n });
  });
  try {
    const per = Math.ceil(runs / 8);
    const slices = await alternate(8, { engine: () => slice(workers.engine, per), previous: () => slice(workers.previous, per) });
    const summary = (xs: number[][]) => {
      const all = xs.flat().sort((a, b) => a - b);
      return { p50: Number(percentile(all, 50).toFixed(3)), p99: Number(percentile(all, 99).toFixed(3)) };
    };
    return { engine: summary(slices.engine), previous: summary(slices.previous) };
  } finally {
    await Promise.all([workers.engine.terminate(), workers.previous.terminate()]);
  }
}

/** Slices of one measurement joined: percentiles over every sample, CPU averaged. */
function merge(xs: Timing[]): Timing {
  const all = xs.flatMap((x) => x.samples ?? []).sort((a, b) => a - b);
  const round = (x: number) => Number(x.toFixed(3));
  return {
    p50: round(percentile(all, 50)),
    p99: round(percentile(all, 99)),
    mean: round(all.reduce((a, b) => a + b, 0) / all.length),
    cpuMean: round(xs.reduce((a, x) => a + x.cpuMean, 0) / xs.length),
    gcMsPerRun: round(xs.reduce((a, x) => a + x.gcMsPerRun, 0) / xs.length),
    gcMaxMs: round(Math.max(...xs.map((x) => x.gcMaxMs))),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) await run();

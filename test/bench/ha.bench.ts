/**
 * Replicas on etcd (docs/ha.md), 1 against 3 tmc-server replicas (child processes, leader election
 * and sharded syncers on) on one etcd member with 3 simulated clusters, side by side in one run:
 * - reads: GET one ConfigMap with autocannon against every replica at once, summed req/s and p99;
 * - API burst: 200 ConfigMap creates through the first replica (10 in flight) until a watch on the
 *   last replica has seen all 200, i.e. cross-replica propagation under load;
 * - sync burst: 100 Deployments placed on all 3 clusters, created through the replicas in turn
 *   (10 in flight), until every copy exists on every cluster: with 3 replicas each syncs one cluster.
 * The 1-replica figures are the baseline column. Needs etcd on the PATH (apt-get install etcd-server).
 */
import autocannon from 'autocannon';
import { openWatch, request, type Creds } from '../helpers/http.js';
import { startHaTopology, type HaTopology } from '../helpers/ha-topology.js';
import { resolveKubeConfig } from '../../src/client/kubeconfig.js';
import { DEPLOYMENTS, deployment } from '../syncer/harness.js';
import type { BenchOutput, BenchRow } from './report.js';
import { waitFor } from '../helpers/wait.js';

const DURATION = Number(process.env.BENCH_SECONDS ?? 4);
const BURST = 200;
const DEPLOYS = 100;
const CM = '/clusters/root/api/v1/namespaces/default/configmaps';
const progress = (msg: string): void => { process.stderr.write(`[ha ${new Date().toISOString().slice(11, 19)}] ${msg}\n`); };

interface Figures { readRps: number; readP99ms: number; burstAckedMs: number; burstSeenOnLastReplicaMs: number; syncAllCopiesMs: number; owners: string }

async function inFlight(n: number, count: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < count) await fn(next++);
  }));
}

/** Every replica owns its share of the clusters (the bench measures steady state, not a handover). */
async function balanced(ha: HaTopology): Promise<string> {
  return waitFor('syncers spread over the replicas', async () => {
    const m = await ha.owners();
    const cap = Math.ceil(ha.clusters.length / ha.replicas.length);
    const per = ha.replicas.map((r) => [...m.values()].filter((o) => o === r.id).length);
    return [...m.values()].every(Boolean) && per.every((n) => n <= cap) ? [...m].map(([c, r]) => `${c}→${r}`).join(' ') : undefined;
  }, { timeoutMs: 60_000, everyMs: 250 });
}

async function measure(replicas: number): Promise<Figures> {
  const teardowns: Array<() => unknown> = [];
  const t = { teardown: (fn: () => unknown) => { teardowns.push(fn); } };
  try {
    const ha = await startHaTopology(t, {
      etcdMembers: 1, replicas: Array.from({ length: replicas }, (_, i) => `replica-${i}`), clusters: 3, leaseMs: 3_000, workspace: 'root:bench',
      replicaArgs: ['--log-level', 'error'],
    });
    const owners = await balanced(ha);
    progress(`${replicas} replica(s) up; ${owners}`);
    const servers = ha.replicas.map((r) => r.srv);
    const kc = resolveKubeConfig({ file: servers[0].kubeconfigPath });
    const creds: Creds = { caPem: String(kc.ca), certPem: String(kc.cert), keyPem: String(kc.key) };

    await request(servers[0].url, creds, 'POST', CM, { metadata: { name: 'one' }, data: { a: 'b' } });
    const runs = await Promise.all(servers.map((s) => autocannon({
      url: `${s.url}${CM}/one`, connections: 10, duration: DURATION,
      tlsOptions: { ca: creds.caPem, cert: creds.certPem, key: creds.keyPem },
    } as autocannon.Options)));
    const readRps = Math.round(runs.reduce((n, r) => n + r.requests.average, 0));

    const rv = (await request(servers[0].url, creds, 'GET', CM)).json.metadata.resourceVersion;
    const watch = openWatch(servers[servers.length - 1].url, creds, `${CM}?watch=true&resourceVersion=${rv}`);
    let started = Date.now();
    await inFlight(10, BURST, (i) => request(servers[0].url, creds, 'POST', CM, { metadata: { name: `burst-${i}` }, data: { i: String(i) } }));
    const burstAckedMs = Date.now() - started;
    while (watch.events.length < BURST) await new Promise((r) => setTimeout(r, 5));
    const burstSeenOnLastReplicaMs = Date.now() - started;
    watch.stop();

    // the sync burst: copies counted by listing each cluster (a watch that ends under load would
    // stop the count; a list cannot miss one)
    const copies = async (): Promise<number> => (await Promise.all(ha.clusters.map((c) => c.client.list(DEPLOYMENTS))))
      .reduce((n, l) => n + l.items.filter((o) => o.metadata?.name?.startsWith('app-')).length, 0);
    started = Date.now();
    await inFlight(10, DEPLOYS, (i) => ha.ws().create(DEPLOYMENTS, 'default', deployment(`app-${i}`, { ha: 'yes' }, { replicas: 1 })));
    await waitFor('every copy on every cluster', async () => (await copies()) >= DEPLOYS * ha.clusters.length, { timeoutMs: 600_000, everyMs: 200 });
    const syncAllCopiesMs = Date.now() - started;
    return { readRps, readP99ms: Math.max(...runs.map((r) => r.latency.p99)), burstAckedMs, burstSeenOnLastReplicaMs, syncAllCopiesMs, owners };
  } finally {
    for (const fn of teardowns.reverse()) await fn();
  }
}

export async function run(): Promise<BenchOutput> {
  const one = await measure(1);
  const three = await measure(3);
  const row = (metric: string, k: keyof Figures, unit: string, note?: string): BenchRow =>
    ({ metric, measured: three[k] as number, baseline: one[k] as number, baselineName: '1 replica', unit, note });
  const rows = [
    row('HA, 3 replicas: GET one ConfigMap, req/s summed over replicas', 'readRps', 'req/s', 'every replica on the same 2 cores'),
    row('HA, 3 replicas: GET one ConfigMap, p99', 'readP99ms', 'ms'),
    row(`HA, 3 replicas: ${BURST} creates acknowledged`, 'burstAckedMs', 'ms'),
    row(`HA, 3 replicas: ${BURST} creates seen by a watch on the last replica`, 'burstSeenOnLastReplicaMs', 'ms'),
    row(`HA, 3 replicas: ${DEPLOYS} Deployments × 3 clusters, all copies landed`, 'syncAllCopiesMs', 'ms', 'syncers sharded: one cluster per replica'),
  ];
  return { rows, details: { one, three } };
}

/**
 * Replicas on etcd (docs/ha.md): API read throughput and burst propagation with 1 and with 3
 * tmc-server replicas (child processes) on one etcd member, side by side in one run.
 * - reads: GET one ConfigMap with autocannon against every replica at once, summed req/s;
 * - burst: 200 creates through the first replica (10 at a time), until a watch on the last
 *   replica has seen all 200 (ms), i.e. cross-replica propagation under load.
 * Needs etcd on the PATH (apt-get install etcd-server).
 */
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { startEtcdCluster } from '../helpers/etcd.js';
import { openWatch, request, type Creds } from '../helpers/http.js';
import { spawnServer, tempDir, type SpawnedServer } from '../helpers/tmc.js';

const DURATION = Number(process.env.BENCH_SECONDS ?? 4);
const BURST = 200;
const CM = '/clusters/root/api/v1/namespaces/default/configmaps';

async function measure(replicas: number): Promise<Record<string, unknown>> {
  const teardowns: Array<() => unknown> = [];
  const t = { teardown: (fn: () => unknown) => { teardowns.push(fn); } };
  try {
    const etcd = await startEtcdCluster(t, 1);
    const servers: SpawnedServer[] = [];
    const first = tempDir(t, 'tmc-bench-ha-');
    for (let i = 0; i < replicas; i++) {
      const dataDir = i === 0 ? first : tempDir(t, 'tmc-bench-ha-');
      if (i > 0) cpSync(join(first, 'pki'), join(dataDir, 'pki'), { recursive: true });
      servers.push(await spawnServer(t, ['--storage', 'etcd', '--etcd-servers', etcd.clientURLs.join(','), '--log-level', 'error'], { dataDir }));
    }
    const pem = (f: string) => readFileSync(join(first, 'pki', f), 'utf8');
    const creds: Creds = { caPem: pem('ca.crt'), certPem: pem('admin.crt'), keyPem: pem('admin.key') };
    await request(servers[0].url, creds, 'POST', CM, { metadata: { name: 'one' }, data: { a: 'b' } });
    const runs = await Promise.all(servers.map((s) => autocannon({
      url: `${s.url}${CM}/one`, connections: 10, duration: DURATION,
      tlsOptions: { ca: creds.caPem, cert: creds.certPem, key: creds.keyPem },
    } as autocannon.Options)));
    const readRps = Math.round(runs.reduce((n, r) => n + r.requests.average, 0));

    const rv = (await request(servers[0].url, creds, 'GET', CM)).json.metadata.resourceVersion;
    const watch = openWatch(servers[servers.length - 1].url, creds, `${CM}?watch=true&resourceVersion=${rv}`);
    const started = Date.now();
    let next = 0;
    await Promise.all(Array.from({ length: 10 }, async () => {
      while (next < BURST) {
        const i = next++;
        await request(servers[0].url, creds, 'POST', CM, { metadata: { name: `burst-${i}` }, data: { i: String(i) } });
      }
    }));
    const acked = Date.now() - started;
    while (watch.events.length < BURST) await new Promise((r) => setTimeout(r, 5));
    const seen = Date.now() - started;
    watch.stop();
    return { replicas, readRps, readP99ms: Math.max(...runs.map((r) => r.latency.p99)), burstAckedMs: acked, burstSeenOnLastReplicaMs: seen };
  } finally {
    for (const fn of teardowns.reverse()) await fn();
  }
}

export async function run(): Promise<Record<string, unknown>> {
  const one = await measure(1);
  const three = await measure(3);
  const out = { one, three, readRatio: Number(((three.readRps as number) / (one.readRps as number)).toFixed(2)) };
  process.stdout.write(`${JSON.stringify(out)}\n`);
  return out;
}

/**
 * LeaseShards against a real API server (Leases over HTTPS), several "replicas" in this process
 * with short timings: shards spread evenly, a replica cut off from the server loses its shards
 * to the others and takes its share back when it returns, a graceful stop hands over at once,
 * and no shard ever has two owners at any instant (sampled throughout).
 */
import t from 'tap';
import { HttpTransport } from '../../src/client/http-transport.js';
import { KubeClient } from '../../src/client/kube-client.js';
import type { Transport } from '../../src/client/transport.js';
import { LeaseShards } from '../../src/controllers/lease-shards.js';

import { startServer } from '../helpers/tmc.js';
import { waitFor } from '../helpers/wait.js';

const SHARDS = ['s0', 's1', 's2', 's3', 's4', 's5'];

t.test('shards spread, move on failure, come back, never two owners', async (t) => {
  const srv = await startServer(t, { leaderElect: 'false' });
  const violations: string[] = [];
  const replicas = new Map<string, { shards: LeaseShards; cut: { on: boolean }; events: string[] }>();

  const startReplica = async (id: string) => {
    const http = new HttpTransport({ server: srv.url, ca: srv.pki.ca.certPem, cert: srv.pki.admin.certPem, key: srv.pki.admin.keyPem, requestTimeoutMs: 1_000 });
    t.teardown(() => http.close());
    const cut = { on: false };
    // A partition: every call fails as if the server were unreachable.
    const partitionable: Transport = {
      request: (req) => (cut.on ? Promise.reject(new Error('partitioned')) : http.request(req)),
      stream: (req, o) => (cut.on ? Promise.reject(new Error('partitioned')) : http.stream(req, o)),
      close: () => http.close(),
    };
    const events: string[] = [];
    const shards = new LeaseShards({
      leaseClient: new KubeClient(partitionable).forCluster('root'), namespace: 'default', identity: id,
      memberLease: `tmc-replica-${id}`, memberLeasePrefix: 'tmc-replica-',
      shardLease: (s) => `tmc-syncer-${s}`, shardLeasePrefix: 'tmc-syncer-',
      leaseDurationMs: 1_500, renewDeadlineMs: 1_000, retryPeriodMs: 200,
      logger: process.env.DBG ? (await import('pino')).pino({ level: 'info' }).child({ id }) : undefined,
      onAcquired: (s) => events.push(`+${s}`),
      onLost: (s) => { events.push(`-${s}`); },
    });
    shards.start();
    for (const s of SHARDS) shards.want(s);
    replicas.set(id, { shards, cut, events });
    return shards;
  };
  const owners = (s: string) => [...replicas].filter(([, r]) => r.shards.owns(s)).map(([id]) => id);
  const counts = () => [...replicas].map(([id, r]) => `${id}=${r.shards.owned().length}`).join(' ');
  const sampler = setInterval(() => {
    for (const s of SHARDS) if (owners(s).length > 1) violations.push(`${s}: ${owners(s).join(',')}`);
  }, 10);
  t.teardown(() => clearInterval(sampler));

  const a = await startReplica('a');
  await waitFor('a alone takes every shard', () => a.owned().length === 6, { timeoutMs: 15_000 });
  const b = await startReplica('b');
  const c = await startReplica('c');
  await waitFor('two shards each', () => [a, b, c].every((r) => r.owned().length === 2), { timeoutMs: 30_000 });
  t.pass(`balanced: ${counts()}`);

  replicas.get('c')!.cut.on = true;
  await waitFor('the cut-off replica stops owning once its renew deadline passed', () => c.owned().length === 0, { timeoutMs: 10_000 });
  await waitFor(`its shards move to the others`, () => a.owned().length === 3 && b.owned().length === 3, { timeoutMs: 30_000 });
  t.pass(`after the partition: ${counts()}`);

  replicas.get('c')!.cut.on = false;
  await waitFor(`the returning replica takes its share`, () => [a, b, c].every((r) => r.owned().length === 2), { timeoutMs: 30_000 });
  t.pass(`after it returned: ${counts()}`);

  await b.stop();
  replicas.delete('b');
  await waitFor(`a stopped replica's shards are taken`, () => a.owned().length === 3 && c.owned().length === 3, { timeoutMs: 30_000 });

  t.same(violations, [], 'no shard had two owners at any sampled instant');
  await a.stop();
  await c.stop();
  for (const [id, r] of replicas) {
    const started = r.events.filter((e) => e.startsWith('+')).length;
    t.equal(r.events.filter((e) => e.startsWith('-')).length >= started, true, `${id}: every shard's work it started was stopped`);
  }
});

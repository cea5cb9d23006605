/**
 * Leader election across tmc-server processes on one etcd: exactly one replica runs the
 * controllers (and one the status aggregator); SIGKILL of the leader hands over within the lease duration;
 * a SIGSTOPped leader is replaced, and once resumed it stops leading at once (its renew deadline
 * passed while frozen) instead of running beside the new leader. Handover times are printed.
 */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { findEtcd, startEtcdCluster } from '../helpers/etcd.js';
import { kubectl, spawnServer, tempDir, type SpawnedServer } from '../helpers/tmc.js';
import { waitFor } from '../helpers/wait.js';

const LEASE_MS = 3_000;
const TIMINGS = ['--leader-elect', 'true', '--leader-elect-lease-duration', '3s', '--leader-elect-renew-deadline', '2s', '--leader-elect-retry-period', '500ms'];

if (!findEtcd()) {
  t.plan(0, 'no etcd binary on PATH (apt-get install etcd-server to run the HA tests)');
} else {
  const etcd = await startEtcdCluster(t, 1);
  const first = tempDir(t);
  const replicas = new Map<string, SpawnedServer>();
  const start = async (id: string): Promise<SpawnedServer> => {
    const dataDir = replicas.size === 0 ? first : tempDir(t);
    if (dataDir !== first) cpSync(join(first, 'pki'), join(dataDir, 'pki'), { recursive: true });
    const srv = await spawnServer(t, ['--storage', 'etcd', '--etcd-servers', etcd.clientURLs.join(','), '--replica-id', id, ...TIMINGS], { dataDir });
    replicas.set(id, srv);
    return srv;
  };
  const kc = () => join(first, 'admin.kubeconfig');
  /** Asks a live replica (the kubeconfig's server is the first one; --server picks another). */
  const holder = async (lease: string, via: SpawnedServer): Promise<string | undefined> => {
    const r = await kubectl(kc(), ['get', 'lease', lease, '-n', 'default', '-o', 'jsonpath={.spec.holderIdentity}'], { server: `${via.url}/clusters/root`, timeoutMs: 5_000 });
    return r.code === 0 && r.stdout ? r.stdout : undefined;
  };
  const isLeader = async (srv: SpawnedServer, lease: string): Promise<number | undefined> => {
    const r = await kubectl(kc(), ['get', '--raw', '/metrics'], { server: srv.url, timeoutMs: 5_000 });
    const m = new RegExp(`tmc_leader_election_is_leader\\{lease="${lease}"\\} (\\d)`).exec(r.stdout);
    return m ? Number(m[1]) : undefined;
  };

  t.test('one leader; SIGKILL and SIGSTOP hand over within the lease duration', async (t) => {
    const a = await start('replica-a');
    const b = await start('replica-b');
    const leader = await waitFor('a controllers leader', () => holder('tmc-controllers', b), { timeoutMs: 60_000 });
    t.ok(['replica-a', 'replica-b'].includes(leader), `leader is ${leader}`);
    await waitFor('the status aggregator lease is held', () => holder('tmc-status-aggregator', b), { timeoutMs: 60_000 });
    const [lead, other] = leader === 'replica-a' ? [a, b] : [b, a];
    t.equal(await waitFor('leader metric', () => isLeader(lead, 'tmc-controllers'), { timeoutMs: 60_000 }), 1, 'the leader reports is_leader 1');
    t.equal(await waitFor('follower metric', () => isLeader(other, 'tmc-controllers'), { timeoutMs: 60_000 }), 0, 'the other reports 0');

    // SIGKILL: nobody releases the lease; the other replica must wait it out, and no longer.
    const killedAt = Date.now();
    await lead.kill('SIGKILL');
    const otherId = leader === 'replica-a' ? 'replica-b' : 'replica-a';
    await waitFor('takeover after SIGKILL', async () => ((await holder('tmc-controllers', other)) === otherId ? true : undefined), { timeoutMs: 60_000 });
    const killHandover = Date.now() - killedAt;
    t.comment(`handover after SIGKILL of the controllers leader: ${killHandover} ms (lease duration ${LEASE_MS} ms)`);
    t.equal(await waitFor('new leader metric', () => isLeader(other, 'tmc-controllers').then((v) => (v === 1 ? v : undefined)), { timeoutMs: 60_000 }), 1);

    // A fresh replica joins as follower, then the leader is frozen.
    const c = await start('replica-c');
    t.equal(await waitFor('c follows', () => isLeader(c, 'tmc-controllers'), { timeoutMs: 60_000 }), 0, 'a new replica does not take over a live lease');
    const stoppedAt = Date.now();
    other.child.kill('SIGSTOP');
    await waitFor('takeover after SIGSTOP', async () => ((await holder('tmc-controllers', c)) === 'replica-c' ? true : undefined), { timeoutMs: 60_000 });
    t.comment(`handover after SIGSTOP of the controllers leader: ${Date.now() - stoppedAt} ms`);
    other.child.kill('SIGCONT');
    // Resumed past its renew deadline it stops leading by itself: never two leaders.
    t.equal(await waitFor('resumed replica steps down', () => isLeader(other, 'tmc-controllers').then((v) => (v === 0 ? v : undefined)), { timeoutMs: 60_000 }), 0,
      'the resumed old leader reports is_leader 0');
    t.equal(await isLeader(c, 'tmc-controllers'), 1, 'and the new one still leads');
    t.equal(await holder('tmc-controllers', c), 'replica-c');
  });
}

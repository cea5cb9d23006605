/**
 * tmcctl replicas: the HA Leases and who holds them (docs/ha.md). With leader election on, the
 * one replica holds both leases and announces itself; without it, the command says there are none.
 */
import t from 'tap';
import { startServer } from '../helpers/tmc.js';
import { tmcctl } from './cli-harness.js';
import { waitFor } from '../helpers/wait.js';

t.test('with leader election: both leases and their holder', async (t) => {
  const srv = await startServer(t, { leaderElect: 'true', replicaId: 'replica-x' });
  let out = '';
  await waitFor('both leases held by replica-x', async () => {
    out = (await tmcctl(srv.kubeconfigPath, ['replicas'])).stdout;
    return /tmc-controllers.*replica-x/.test(out) && /tmc-status-aggregator.*replica-x/.test(out) && /replica-x\s+live/.test(out);
  });
  t.match(out, /LEASE\s+RUNS\s+HOLDER\s+RENEWED\s+TRANSITIONS/);
  const json = JSON.parse((await tmcctl(srv.kubeconfigPath, ['replicas', '-o', 'json'])).stdout);
  t.same(json.leases.map((l: { lease: string; holder: string }) => [l.lease, l.holder]), [['tmc-controllers', 'replica-x'], ['tmc-status-aggregator', 'replica-x']]);
  t.match(json.replicas, [{ replica: 'replica-x', live: true, clusters: 0 }]);
});

t.test('without leader election: no leases, said plainly', async (t) => {
  const srv = await startServer(t, { leaderElect: 'false' });
  const r = await tmcctl(srv.kubeconfigPath, ['replicas']);
  t.equal(r.code, 0);
  t.match(r.stderr, /No HA Leases/);
});

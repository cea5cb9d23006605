/**
 * What an operator and a client see while etcd has no quorum, over HTTPS: /readyz answers 503 with
 * the reason (and no etcd internals), API reads and writes answer 503 Status with a clear message
 * within the etcd request bound instead of hanging, and both recover by themselves once quorum
 * returns.
 */
import t from 'tap';
import { request, type Creds, type RawResponse } from '../helpers/http.js';
import { findEtcd, startEtcdCluster } from '../helpers/etcd.js';
import { startServer } from '../helpers/tmc.js';
import { waitFor } from '../helpers/wait.js';

const CM = '/clusters/root/api/v1/namespaces/default/configmaps';

if (!findEtcd()) {
  t.plan(0, 'no etcd binary on PATH (apt-get install etcd-server to run the HA tests)');
} else {
  t.test('/readyz and the API during quorum loss and after', async (t) => {
    const etcd = await startEtcdCluster(t, 3);
    const srv = await startServer(t, { storage: 'etcd', etcdServers: etcd.clientURLs, etcdRequestTimeoutMs: 1_500, leaderElect: 'false' }, { components: [] });
    const admin: Creds = { caPem: srv.pki.ca.certPem, certPem: srv.pki.admin.certPem, keyPem: srv.pki.admin.keyPem };
    const call = (method: string, path: string, body?: unknown): Promise<RawResponse> => request(srv.url, admin, method, path, body);
    const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { k: 'v' } });

    t.equal((await call('GET', '/readyz')).status, 200, 'ready with quorum');
    t.equal((await call('POST', CM, cm('before'))).status, 201);

    await etcd.members[1].kill('SIGKILL');
    await etcd.members[2].kill('SIGKILL');
    let ready: RawResponse | undefined;
    await waitFor('/readyz 503 without quorum', async () => (ready = await call('GET', '/readyz')).status === 503, { timeoutMs: 30_000 });
    t.match(ready!.text, /\[-\]storage failed: storage is unavailable: etcd did not answer in time \(a majority of etcd members must be up and reachable\)/,
      '/readyz says which check failed and why');
    t.notMatch(ready!.text, /127\.0\.0\.1|http:/, 'no etcd member addresses in the public answer');
    const one = await call('GET', '/readyz/storage');
    t.equal(one.status, 503);
    t.match(one.text, /^service unavailable: storage is unavailable/);

    for (const [method, path, body] of [['GET', `${CM}/before`], ['GET', CM], ['POST', CM, cm('during')]] as const) {
      const r = await call(method, path, body);
      t.equal(r.status, 503, `${method} ${path}: 503, not a hang`);
      t.match(r.json, { kind: 'Status', status: 'Failure', reason: 'ServiceUnavailable', code: 503 });
      t.match(r.json?.message, /storage unavailable: .*a majority of etcd members must be up and reachable/, 'the message says what is wrong');
    }

    await etcd.members[1].restart();
    await etcd.members[2].restart();
    await waitFor('/readyz 200 again', async () => (await call('GET', '/readyz')).status === 200, { timeoutMs: 60_000 });
    t.pass('ready again once quorum returned');
    let after: RawResponse | undefined;
    await waitFor('writes succeed again', async () => [201, 409].includes((after = await call('POST', CM, cm('after'))).status), { timeoutMs: 30_000 });
    t.equal((await call('GET', `${CM}/before`)).status, 200, 'the write from before the outage is there');
    t.equal((await call('GET', `${CM}/after`)).status, 200, `a write after it lands (first answer ${after?.status})`);
  });
}

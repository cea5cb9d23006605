/**
 * Several tmc-server replicas on one etcd serve as one API: a write through one is watched through
 * every other in the same order with the same resourceVersions; optimistic concurrency and 410 do
 * not depend on the replica asked; workspaces, CRDs and APIBindings created through one replica are
 * served by the others (their in-memory registries follow the store, not in-process writes).
 */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { Etcd3 } from 'etcd3';
import t from 'tap';
import { openWatch, request, type Creds } from '../helpers/http.js';
import { findEtcd, startEtcdCluster } from '../helpers/etcd.js';
import { startServer, tempDir, type RunningServer } from '../helpers/tmc.js';
import { waitFor } from '../helpers/wait.js';

const CM = '/clusters/root/api/v1/namespaces/default/configmaps';

if (!findEtcd()) {
  t.plan(0, 'no etcd binary on PATH (apt-get install etcd-server to run the HA tests)');
} else {
  const etcd = await startEtcdCluster(t, 1);
  /** Replicas share the PKI (one CA, one serving cert), as behind one address; each its own data dir. */
  const pkiFrom = tempDir(t);
  const replica = async (): Promise<RunningServer> => {
    const dataDir = tempDir(t);
    cpSync(join(pkiFrom, 'pki'), join(dataDir, 'pki'), { recursive: true });
    return startServer(t, { storage: 'etcd', etcdServers: etcd.clientURLs, dataDir, leaderElect: 'false', watchCacheSize: 40 }, { components: [] });
  };
  const a = await startServer(t, { storage: 'etcd', etcdServers: etcd.clientURLs, dataDir: pkiFrom, leaderElect: 'false', watchCacheSize: 40 }, { components: [] });
  const b = await replica();
  const admin: Creds = { caPem: a.pki.ca.certPem, certPem: a.pki.admin.certPem, keyPem: a.pki.admin.keyPem };
  const on = (srv: RunningServer) => (method: string, path: string, body?: unknown) => request(srv.url, admin, method, path, body);
  const [apiA, apiB] = [on(a), on(b)];

  t.test('a watch on either replica sees every write through both, in one order, no gap', async (t) => {
    const rv0 = (await apiA('GET', CM)).json.metadata.resourceVersion;
    const wa = openWatch(a.url, admin, `${CM}?watch=true&resourceVersion=${rv0}`);
    const wb = openWatch(b.url, admin, `${CM}?watch=true&resourceVersion=${rv0}`);
    t.teardown(() => { wa.stop(); wb.stop(); });
    t.equal(await wa.status, 200);
    t.equal(await wb.status, 200);
    const writes: string[] = [];
    for (let i = 0; i < 12; i++) {
      const api = i % 2 ? apiB : apiA;
      const r = await api('POST', CM, { metadata: { name: `w-${i}` }, data: { i: String(i) } });
      t.equal(r.status, 201);
      writes.push(`ADDED w-${i} ${r.json.metadata.resourceVersion}`);
      if (i % 3 === 0) {
        const d = await (i % 2 ? apiA : apiB)('DELETE', `${CM}/w-${i}`);
        t.equal(d.status, 200);
        writes.push(`DELETED w-${i}`);
      }
    }
    const lines = (w: typeof wa) => w.events.map((e) => (e.type === 'DELETED' ? `DELETED ${e.object.metadata.name}` : `${e.type} ${e.object.metadata.name} ${e.object.metadata.resourceVersion}`));
    await waitFor('both watches caught up', () => wa.events.length >= writes.length && wb.events.length >= writes.length, { timeoutMs: 15_000 });
    t.same(lines(wa), writes, 'replica A streamed every write in order with the writer\'s resourceVersion');
    t.same(lines(wb), lines(wa), 'replica B streamed exactly the same');
  });

  t.test('resourceVersion and 409 do not depend on the replica', async (t) => {
    const created = await apiA('POST', CM, { metadata: { name: 'occ' }, data: { v: '1' } });
    t.equal(created.status, 201);
    const onB = await apiB('GET', `${CM}/occ`);
    t.equal(onB.json.metadata.resourceVersion, created.json.metadata.resourceVersion, 'same object, same version on B');
    const updated = await apiB('PUT', `${CM}/occ`, { ...created.json, data: { v: '2' } });
    t.equal(updated.status, 200);
    const stale = await apiA('PUT', `${CM}/occ`, { ...created.json, data: { v: '3' } });
    t.equal(stale.status, 409, 'A refuses a write based on the version B replaced');
    t.equal(stale.json.reason, 'Conflict');
    t.same((await apiA('GET', `${CM}/occ`)).json.data, { v: '2' });
  });

  t.test('old revisions: served alike by every replica from etcd history, then 410 from both once compacted', async (t) => {
    const rv0 = (await apiA('POST', CM, { metadata: { name: 'h-0' } })).json.metadata.resourceVersion;
    // More writes than either replica's watch cache holds (--watch-cache-size 40): rv0 is now
    // outside both caches, wherever each one started.
    for (let i = 1; i <= 60; i++) t.equal((await (i % 2 ? apiA : apiB)('POST', CM, { metadata: { name: `h-${i}` } })).status, 201);
    const replay = async (srv: RunningServer) => {
      const w = openWatch(srv.url, admin, `${CM}?watch=true&resourceVersion=${rv0}`);
      t.teardown(() => w.stop());
      await waitFor('replayed from etcd history', () => w.events.length >= 60, { timeoutMs: 15_000 });
      w.stop();
      return w.events.map((e) => `${e.type} ${e.object.metadata.name} ${e.object.metadata.resourceVersion}`);
    };
    const fromA = await replay(a);
    t.equal(fromA.length, 60);
    t.same(await replay(b), fromA, 'both replicas replay the same events');

    const etcdClient = new Etcd3({ hosts: etcd.clientURLs });
    t.teardown(() => etcdClient.close());
    const now = (await apiA('GET', CM)).json.metadata.resourceVersion;
    await etcdClient.kv.compact({ revision: now, physical: true });
    for (const srv of [a, b]) {
      const w = openWatch(srv.url, admin, `${CM}?watch=true&resourceVersion=${rv0}`);
      t.teardown(() => w.stop());
      await waitFor('an ERROR event', () => w.events.length >= 1, { timeoutMs: 15_000 });
      t.equal(w.events[0]?.type, 'ERROR', `${srv === a ? 'A' : 'B'}: an ERROR event`);
      t.equal(w.events[0]?.object?.code, 410);
      t.equal(w.events[0]?.object?.reason, 'Expired');
    }
  });

  t.test('workspaces, CRDs and APIBindings made through A are served by B', async (t) => {
    const ws = await apiA('POST', '/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces', { apiVersion: 'tenancy.kcp.io/v1alpha1', kind: 'Workspace', metadata: { name: 'team' } });
    t.equal(ws.status, 201);
    await waitFor('B serves the new workspace', async () => (await apiB('GET', '/clusters/root:team/api/v1/namespaces/default')).status === 200, { timeoutMs: 15_000 });

    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com', scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
      },
    };
    t.equal((await apiA('POST', '/clusters/root:team/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd)).status, 201);
    const widgets = '/clusters/root:team/apis/example.com/v1/namespaces/default/widgets';
    await waitFor('B serves the CRD', async () => (await apiB('POST', widgets, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1' } })).status === 201, { timeoutMs: 15_000 });
    t.equal((await apiA('GET', `${widgets}/w1`)).status, 200, 'and A reads what B stored');

    const binding = { apiVersion: 'apis.kcp.io/v1alpha1', kind: 'APIBinding', metadata: { name: 'kubernetes' }, spec: { reference: { export: { path: 'root:compute', name: 'kubernetes' } } } };
    t.equal((await apiA('POST', '/clusters/root:team/apis/apis.kcp.io/v1alpha1/apibindings', binding)).status, 201);
    const deployments = '/clusters/root:team/apis/apps/v1/namespaces/default/deployments';
    await waitFor('B serves the bound deployments', async () => (await apiB('GET', deployments)).status === 200);
  });

  t.test('/readyz on every replica reports storage', async (t) => {
    for (const srv of [a, b]) {
      const r = await request(srv.url, admin, 'GET', '/readyz?verbose');
      t.equal(r.status, 200);
      t.match(r.text, /storage ok/);
    }
  });
}

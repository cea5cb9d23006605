/**
 * deletecollection and per-object deletes with dryRun cost a bounded number of store operations per
 * object (once seen taking 6-9 s for ~90 objects): one list, at most a couple of reads per object,
 * and no write at all. Counted through a store wrapper for 60 and 180 ConfigMaps and CRD objects
 * held by a finalizer, over real HTTPS and with kubectl's `delete --all --dry-run=server`.
 */
import t from 'tap';
import { request, type Creds } from '../helpers/http.js';
import { startServer, kubectlOK } from '../helpers/tmc.js';
import { countingStore, type CountingStore } from '../helpers/counting-store.js';
import { waitFor } from '../helpers/wait.js';

const NS = 'dc';
const WIDGETS_CRD = {
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com', scope: 'Namespaced', names: { plural: 'widgets', kind: 'Widget' },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: {
      spec: { type: 'object', properties: { size: { type: 'integer' } }, 'x-kubernetes-validations': [{ rule: 'self.size >= 0' }] },
    } } } }],
  },
};

t.test('dryRun deletes are linear in the number of objects and write nothing', async (t) => {
  let store!: CountingStore;
  const srv = await startServer(t, { storage: 'sqlite' }, { wrapStore: (s) => (store = countingStore(s, NS)) });
  const admin: Creds = { caPem: srv.pki.ca.certPem, certPem: srv.pki.admin.certPem, keyPem: srv.pki.admin.keyPem };
  const send = (method: string, path: string, body?: unknown) => request(srv.url, admin, method, path, body);
  t.equal((await send('POST', '/clusters/root/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } })).status, 201);
  t.equal((await send('POST', '/clusters/root/apis/apiextensions.k8s.io/v1/customresourcedefinitions', WIDGETS_CRD)).status, 201);
  const CMS = `/clusters/root/api/v1/namespaces/${NS}/configmaps`;
  const WIDGETS = `/clusters/root/apis/example.com/v1/namespaces/${NS}/widgets`;
  await waitFor('widgets served', async () => (await send('GET', WIDGETS)).status === 200, { timeoutMs: 15_000 });

  const kinds = [
    { what: 'configmaps', path: CMS, resource: 'cm', make: (i: number) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `o${i}` }, data: { i: String(i) } }) },
    { what: 'CRD objects with a finalizer', path: WIDGETS, resource: 'widgets.example.com', make: (i: number) => ({
      apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: `o${i}`, finalizers: ['example.com/hold'] }, spec: { size: i },
    }) },
  ];
  let have = 0;
  for (const n of [60, 180]) {
    for (const k of kinds) {
      let failed = 0;
      for (let i = have; i < n; i++) if ((await send('POST', k.path, k.make(i))).status !== 201) failed++;
      t.equal(failed, 0, `${n - have} ${k.what} created`);
    }
    have = n;
    for (const k of kinds) {
      store.reset();
      const r = await send('DELETE', `${k.path}?dryRun=All`);
      t.equal(r.status, 200, `${k.what}: dry-run deletecollection answers 200`);
      t.equal(r.json.items.length, n, `${k.what}: every object in the dry-run answer`);
      const c = store.counts();
      t.equal(c.write, 0, `${k.what}: a dry-run deletecollection of ${n} writes nothing`);
      t.ok(c.list <= 1, `${k.what}: one list for ${n} objects (got ${c.list})`);
      t.ok(c.get <= 2 * n, `${k.what}: at most two reads per object for ${n} objects (got ${c.get})`);

      store.reset();
      const out = await kubectlOK(srv.kubeconfigPath, ['delete', k.resource, '--all', '-n', NS, '--dry-run=server'], { server: `${srv.url}/clusters/root` });
      t.equal(out.trim().split('\n').length, n, `${k.what}: kubectl reports ${n} deletions`);
      const kc = store.counts();
      t.equal(kc.write, 0, `${k.what}: kubectl delete --all --dry-run=server writes nothing`);
      t.ok(kc.list <= 2, `${k.what}: kubectl's listing costs at most two lists (got ${kc.list})`);
      t.ok(kc.get <= 3 * n, `${k.what}: kubectl's per-object deletes cost at most three reads each for ${n} objects (got ${kc.get})`);
    }
  }
  const left = await send('GET', CMS);
  t.equal(left.json.items.length, have, 'every configmap is still there');
});

/**
 * Query parameters parsed as kube's parameter codec does (Go booleans and integers), DeleteOptions
 * typed, and Status bodies written as kube-apiserver writes them — over real HTTPS.
 */
import t from 'tap';
import { openWatch, request, type Creds } from '../helpers/http.js';
import { startServer } from '../helpers/tmc.js';
import { waitFor } from '../helpers/wait.js';

const CM = '/api/v1/namespaces/default/configmaps';
const SVC = '/api/v1/namespaces/default/services';

t.test('wire parameters and Status bodies', async (t) => {
  const srv = await startServer(t, { mode: 'cluster', readyDelayMs: 50 });
  const admin: Creds = { caPem: srv.pki.ca.certPem, certPem: srv.pki.admin.certPem, keyPem: srv.pki.admin.keyPem };
  const api = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    request(srv.url, admin, method, path, body, headers);
  const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { k: 'v' } });

  await t.test('watch=True (the Python client) watches', async (t) => {
    t.equal((await api('POST', CM, cm('w0'))).status, 201);
    for (const v of ['True', 'TRUE', '1', 't', '']) {
      const w = openWatch(srv.url, admin, `${CM}?watch=${v}&timeoutSeconds=5`);
      t.equal(await w.status, 200);
      await waitFor(`watch=${v} sends ADDED`, () => w.events.some((e) => e.object?.metadata?.name === 'w0'), { timeoutMs: 10_000 });
      t.equal(w.events[0].type, 'ADDED', `watch=${v} is a watch, not a list`);
      w.stop();
    }
    const list = await api('GET', `${CM}?watch=False`);
    t.equal(list.json.kind, 'ConfigMapList', 'watch=False lists');
    const zero = await api('GET', `${CM}?watch=0`);
    t.equal(zero.json.kind, 'ConfigMapList', 'watch=0 lists');
  });

  await t.test('force=True takes over a conflicting field', async (t) => {
    const apply = (manager: string, value: string, force?: string) => api('PATCH',
      `${CM}/forced?fieldManager=${manager}${force ? `&force=${force}` : ''}`,
      JSON.stringify({ ...cm('forced'), data: { k: value } }), { 'Content-Type': 'application/apply-patch+yaml' });
    t.equal((await apply('alice', 'a')).status, 201);
    t.equal((await apply('bob', 'b')).status, 409);
    const forced = await apply('bob', 'b', 'True');
    t.equal(forced.status, 200, forced.text);
    t.equal(forced.json.data.k, 'b');
  });

  await t.test('a bad gracePeriodSeconds is a 400 and deletes nothing', async (t) => {
    t.equal((await api('POST', CM, cm('keep'))).status, 201);
    const q = await api('DELETE', `${CM}/keep?gracePeriodSeconds=abc`);
    t.equal(q.status, 400);
    t.equal(q.json.reason, 'BadRequest');
    t.match(q.json.message, 'strconv.ParseInt: parsing "abc": invalid syntax');
    const b = await api('DELETE', `${CM}/keep`, { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 'abc' });
    t.equal(b.status, 400, b.text);
    t.match(b.json.message, 'cannot unmarshal string into Go struct field DeleteOptions.gracePeriodSeconds of type int64');
    const both = await api('DELETE', `${CM}/keep?orphanDependents=true&propagationPolicy=Background`);
    t.equal(both.status, 422);
    t.equal((await api('GET', `${CM}/keep`)).status, 200, 'still there');
    const limit = await api('GET', `${CM}?limit=ten`);
    t.equal(limit.status, 400);
    const ok = await api('DELETE', `${CM}/keep?gracePeriodSeconds=0`);
    t.equal(ok.status, 200);
  });

  await t.test('Status bodies in kube field order, no empty group, trailing newline', async (t) => {
    const nf = await api('GET', `${CM}/missing`);
    t.equal(nf.status, 404);
    t.equal(nf.text, '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"configmaps \\"missing\\" not found","reason":"NotFound","details":{"name":"missing","kind":"configmaps"},"code":404}\n');
    const gone = await api('POST', CM, cm('bye'));
    const del = await api('DELETE', `${CM}/bye`);
    t.equal(del.text, `{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Success","details":{"name":"bye","kind":"configmaps","uid":"${gone.json.metadata.uid}"}}\n`);
  });

  await t.test('a Service DELETE returns the deleted Service', async (t) => {
    const created = await api('POST', SVC, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 80 }] } });
    t.equal(created.status, 201, created.text);
    const del = await api('DELETE', `${SVC}/web`);
    t.equal(del.status, 200);
    t.equal(del.json.kind, 'Service');
    t.equal(del.json.metadata.uid, created.json.metadata.uid);
    t.equal((await api('GET', `${SVC}/web`)).status, 404);
  });
});

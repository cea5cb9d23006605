/**
 * API semantics over real HTTPS: optimistic concurrency, pagination, watch resume and expiry,
 * bad input (each a 4xx Status that changes nothing), and authentication.
 */
import t from 'tap';
import { openWatch, request, type Creds } from '../helpers/http.js';
import { startServer } from '../helpers/tmc.js';
import { waitFor } from '../helpers/wait.js';

const CM = '/clusters/root/api/v1/namespaces/default/configmaps';

t.test('API semantics', async (t) => {
  const srv = await startServer(t);
  const admin: Creds = { caPem: srv.pki.ca.certPem, certPem: srv.pki.admin.certPem, keyPem: srv.pki.admin.keyPem };
  const api = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    request(srv.url, admin, method, path, body, headers);

  await t.test('optimistic concurrency: a stale resourceVersion gets 409 Conflict', async (t) => {
    const created = await api('POST', CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'occ' }, data: { v: '1' } });
    t.equal(created.status, 201);
    const rv = created.json.metadata.resourceVersion;
    const first = await api('PUT', `${CM}/occ`, { ...created.json, data: { v: '2' } });
    t.equal(first.status, 200);
    t.not(first.json.metadata.resourceVersion, rv);
    const stale = await api('PUT', `${CM}/occ`, { ...created.json, data: { v: '3' } });
    t.equal(stale.status, 409);
    t.equal(stale.json.reason, 'Conflict');
    t.match(stale.json.message, /Operation cannot be fulfilled on configmaps "occ": the object has been modified/);
    const now = await api('GET', `${CM}/occ`);
    t.same(now.json.data, { v: '2' }, 'the stale write changed nothing');
  });

  await t.test('pagination returns every object exactly once', async (t) => {
    for (let i = 0; i < 25; i++) {
      const r = await api('POST', '/clusters/root/api/v1/namespaces/default/secrets', { metadata: { name: `s-${String(i).padStart(2, '0')}` }, stringData: undefined, data: { k: Buffer.from(String(i)).toString('base64') } });
      t.equal(r.status, 201, `create s-${i}`);
    }
    const seen: string[] = [];
    let cont = '';
    let pages = 0;
    do {
      const r = await api('GET', `/clusters/root/api/v1/namespaces/default/secrets?limit=10${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`);
      t.equal(r.status, 200);
      pages++;
      for (const it of r.json.items) seen.push(it.metadata.name);
      cont = r.json.metadata.continue ?? '';
      if (cont) t.ok(r.json.metadata.remainingItemCount >= 0);
    } while (cont);
    t.equal(pages, 3);
    t.equal(seen.length, 25);
    t.equal(new Set(seen).size, 25);
  });

  await t.test('watch resumes from a resourceVersion with no gap', async (t) => {
    const list = await api('GET', CM);
    const rv0 = list.json.metadata.resourceVersion;
    for (const n of ['w-a', 'w-b', 'w-c']) await api('POST', CM, { metadata: { name: n } });
    const w = openWatch(srv.url, admin, `${CM}?watch=true&resourceVersion=${rv0}`);
    t.equal(await w.status, 200);
    await waitFor('three replayed events', () => w.events.length >= 3, { timeoutMs: 10_000 });
    t.same(w.events.slice(0, 3).map((e) => [e.type, e.object.metadata.name]), [['ADDED', 'w-a'], ['ADDED', 'w-b'], ['ADDED', 'w-c']]);
    await api('DELETE', `${CM}/w-b`);
    await waitFor('live delete event', () => w.events.length >= 4, { timeoutMs: 10_000 });
    t.equal(w.events[3].type, 'DELETED');
    t.equal(w.events[3].object.metadata.name, 'w-b');
    w.stop();
  });

  await t.test('a too-old resourceVersion gets 410 Expired as an ERROR event', async (t) => {
    const small = await startServer(t, { watchCacheSize: 5 });
    const creds: Creds = { caPem: small.pki.ca.certPem, certPem: small.pki.admin.certPem, keyPem: small.pki.admin.keyPem };
    const first = await request(small.url, creds, 'POST', CM, { metadata: { name: 'old-0' } });
    const oldRV = first.json.metadata.resourceVersion;
    for (let i = 1; i < 12; i++) await request(small.url, creds, 'POST', CM, { metadata: { name: `old-${i}` } });
    const w = openWatch(small.url, creds, `${CM}?watch=true&resourceVersion=${oldRV}`);
    t.equal(await w.status, 200);
    await w.ended;
    t.equal(w.events.length, 1);
    t.equal(w.events[0].type, 'ERROR');
    t.equal(w.events[0].object.code, 410);
    t.equal(w.events[0].object.reason, 'Expired');
    const r = await request(small.url, creds, 'GET', `${CM}?resourceVersion=${oldRV}&resourceVersionMatch=Exact&limit=5`);
    t.equal(r.status, 410);
    t.equal(r.json.reason, 'Expired');
  });

  await t.test('bad input: each a 4xx Status, nothing stored changes', async (t) => {
    const before = await api('GET', CM);
    const cases: Array<[string, () => Promise<{ status: number; json: any }>, number, string]> = [
      ['malformed JSON', () => api('POST', CM, '{"metadata": {', { 'Content-Type': 'application/json' }), 400, 'BadRequest'],
      ['malformed YAML apply', () => api('PATCH', `${CM}/occ?fieldManager=x`, 'a: [', { 'Content-Type': 'application/apply-patch+yaml' }), 400, 'BadRequest'],
      ['wrong apiVersion', () => api('POST', CM, { apiVersion: 'apps/v1', kind: 'ConfigMap', metadata: { name: 'x1' } }), 400, 'BadRequest'],
      ['wrong kind', () => api('POST', CM, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x2' } }), 400, 'BadRequest'],
      ['invalid name', () => api('POST', CM, { metadata: { name: 'Not_Valid' } }), 422, 'Invalid'],
      ['bad label selector', () => api('GET', `${CM}?labelSelector=${encodeURIComponent('a in (b')}`), 400, 'BadRequest'],
      ['unsupported field selector', () => api('GET', `${CM}?fieldSelector=spec.foo%3Dbar`), 400, 'BadRequest'],
      ['bad json patch', () => api('PATCH', `${CM}/occ`, '[{"op":"replace","path":"/nope/x","value":1}]', { 'Content-Type': 'application/json-patch+json' }), 422, 'Invalid'],
      ['not a patch', () => api('PATCH', `${CM}/occ`, '{"a":', { 'Content-Type': 'application/merge-patch+json' }), 400, 'BadRequest'],
      ['unknown patch type', () => api('PATCH', `${CM}/occ`, '{}', { 'Content-Type': 'text/plain' }), 415, 'UnsupportedMediaType'],
      ['oversized body', () => api('POST', CM, { metadata: { name: 'big' }, data: { x: 'a'.repeat(4 * 1024 * 1024) } }), 413, 'RequestEntityTooLarge'],
      ['unknown field (strict)', () => api('POST', `${CM}?fieldValidation=Strict`, { metadata: { name: 'x3' }, bogus: 1 }), 400, 'BadRequest'],
      ['missing namespace', () => api('POST', '/clusters/root/api/v1/namespaces/none/configmaps', { metadata: { name: 'x4' } }), 404, 'NotFound'],
      ['unknown resource', () => api('GET', '/clusters/root/api/v1/widgets'), 404, 'NotFound'],
    ];
    for (const [name, fn, code, reason] of cases) {
      const r = await fn();
      t.equal(r.status, code, `${name}: status`);
      t.equal(r.json?.kind, 'Status', `${name}: a Status body`);
      t.equal(r.json?.reason, reason, `${name}: reason`);
      t.ok(typeof r.json?.message === 'string' && r.json.message.length > 10, `${name}: a message`);
    }
    const after = await api('GET', CM);
    t.equal(after.json.metadata.resourceVersion, before.json.metadata.resourceVersion, 'no write happened');
    const health = await api('GET', '/readyz');
    t.equal(health.status, 200, 'server still up');
  });

  await t.test('no client certificate → 401', async (t) => {
    const r = await request(srv.url, { caPem: srv.pki.ca.certPem }, 'GET', CM);
    t.equal(r.status, 401);
    t.equal(r.json.reason, 'Unauthorized');
    const bad = await request(srv.url, { caPem: srv.pki.ca.certPem, token: 'nope' }, 'GET', CM);
    t.equal(bad.status, 401);
  });
});

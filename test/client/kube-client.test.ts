import t from 'tap';
import { isConflict, isNotFound, StatusError } from '../../src/errors/status.js';
import { HttpTransport } from '../../src/client/http-transport.js';
import { KubeClient } from '../../src/client/kube-client.js';
import type { WatchEvent } from '../../src/client/types.js';
import { FakeApiServer, sendJson, statusBody } from './fake-api-server.js';

const configmaps = { group: '', version: 'v1', resource: 'configmaps' };
const widgets = { group: 'example.com', version: 'v1', resource: 'widgets' };

const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns1' } });

async function setup(t: { teardown(fn: () => Promise<void>): void }, respond: FakeApiServer['respond']) {
  const server = new FakeApiServer(respond);
  const url = await server.start();
  const transport = new HttpTransport({ server: `${url}/clusters/root`, headers: { Authorization: 'Bearer tkn' } });
  t.teardown(async () => { transport.close(); await server.close(); });
  return { server, kubeClient: new KubeClient(transport) };
}

t.test('paths: core vs group, namespaced vs cluster-scoped, server path and cluster prefix', async (t) => {
  const { server, kubeClient } = await setup(t, (_req, res) => sendJson(res, 200, cm('a')));
  await kubeClient.get(configmaps, 'ns1', 'a');
  await kubeClient.get(widgets, undefined, 'w 1');
  await kubeClient.forCluster('root:org').get(widgets, 'ns', 'w', 'status');
  await kubeClient.withPrefix('/services/apiexport/root:tmc/tmc.kcp.io').forCluster('*').list(widgets);
  t.same(server.requests.map((r) => `${r.method} ${r.path}`), [
    'GET /clusters/root/api/v1/namespaces/ns1/configmaps/a',
    'GET /clusters/root/apis/example.com/v1/widgets/w%201',
    'GET /clusters/root/clusters/root:org/apis/example.com/v1/namespaces/ns/widgets/w/status',
    'GET /clusters/root/services/apiexport/root:tmc/tmc.kcp.io/clusters/*/apis/example.com/v1/widgets',
  ]);
  t.equal(server.requests[0].headers.authorization, 'Bearer tkn');
  t.equal(server.requests[0].headers.accept, 'application/json');
});

t.test('list sends selectors, limit, continue and resourceVersion; listAll follows continue', async (t) => {
  const { server, kubeClient } = await setup(t, (req, res) => {
    const page2 = req.query.get('continue') === 'tok';
    sendJson(res, 200, {
      kind: 'ConfigMapList', apiVersion: 'v1',
      metadata: page2 ? { resourceVersion: '9' } : { resourceVersion: '7', continue: 'tok' },
      items: [cm(page2 ? 'b' : 'a')],
    });
  });
  const page = await kubeClient.list(configmaps, {
    namespace: 'ns1', labelSelector: 'app=x,tier!=db', fieldSelector: 'metadata.name=a', limit: 1, resourceVersion: '0',
  });
  t.equal(page.metadata.continue, 'tok');
  const q = server.requests[0].query;
  t.equal(server.requests[0].path, '/clusters/root/api/v1/namespaces/ns1/configmaps');
  t.equal(q.get('labelSelector'), 'app=x,tier!=db');
  t.equal(q.get('fieldSelector'), 'metadata.name=a');
  t.equal(q.get('limit'), '1');
  t.equal(q.get('resourceVersion'), '0');
  t.notOk(q.has('continue'), 'no empty continue sent');

  const all = await kubeClient.listAll(configmaps, { limit: 1 });
  t.same(all.items.map((i) => i.metadata.name), ['a', 'b']);
  t.equal(all.metadata.resourceVersion, '7', 'the first page\'s RV is the list RV');
  t.equal(server.requests[2].query.get('continue'), 'tok');
});

t.test('create/update/updateStatus: methods, bodies, write options', async (t) => {
  const { server, kubeClient } = await setup(t, (req, res) => sendJson(res, req.method === 'POST' ? 201 : 200, JSON.parse(req.body)));
  const created = await kubeClient.create(configmaps, 'ns1', cm('a'), { fieldManager: 'tmc', dryRun: 'All' });
  t.equal(created.metadata.name, 'a');
  await kubeClient.update(widgets, 'ns1', { metadata: { name: 'w', resourceVersion: '3' } });
  await kubeClient.updateStatus(widgets, 'ns1', { metadata: { name: 'w' }, status: { ok: true } });
  const [c, u, s] = server.requests;
  t.equal(`${c.method} ${c.path}`, 'POST /clusters/root/api/v1/namespaces/ns1/configmaps');
  t.equal(c.query.get('fieldManager'), 'tmc');
  t.equal(c.query.get('dryRun'), 'All');
  t.equal(c.headers['content-type'], 'application/json');
  t.equal(`${u.method} ${u.path}`, 'PUT /clusters/root/apis/example.com/v1/namespaces/ns1/widgets/w');
  t.same(JSON.parse(u.body).metadata.resourceVersion, '3');
  t.equal(`${s.method} ${s.path}`, 'PUT /clusters/root/apis/example.com/v1/namespaces/ns1/widgets/w/status');
  await t.rejects(kubeClient.update(widgets, 'ns1', { metadata: {} }), /no metadata.name/);
});

t.test('patch content types per patch type; apply needs fieldManager and sends force', async (t) => {
  const { server, kubeClient } = await setup(t, (_req, res) => sendJson(res, 200, cm('a')));
  await kubeClient.patch(configmaps, 'ns1', 'a', { data: { k: 'v' } }, { type: 'merge' });
  await kubeClient.patch(configmaps, 'ns1', 'a', [{ op: 'add', path: '/data/k', value: 'v' }], { type: 'json' });
  await kubeClient.patch(configmaps, 'ns1', 'a', { data: { k: 'v' } }, { type: 'strategic' });
  await kubeClient.patch(configmaps, 'ns1', 'a', cm('a'), { type: 'apply', fieldManager: 'tmc', force: true });
  await kubeClient.patch(widgets, 'ns1', 'w', { status: {} }, { type: 'merge', subresource: 'status', force: true });
  t.same(server.requests.map((r) => r.headers['content-type']), [
    'application/merge-patch+json', 'application/json-patch+json', 'application/strategic-merge-patch+json',
    'application/apply-patch+yaml', 'application/merge-patch+json',
  ]);
  t.ok(server.requests.every((r) => r.method === 'PATCH'));
  t.same(JSON.parse(server.requests[1].body), [{ op: 'add', path: '/data/k', value: 'v' }]);
  t.equal(server.requests[3].query.get('fieldManager'), 'tmc');
  t.equal(server.requests[3].query.get('force'), 'true');
  t.equal(server.requests[4].path, '/clusters/root/apis/example.com/v1/namespaces/ns1/widgets/w/status');
  t.notOk(server.requests[4].query.has('force'), 'force is only sent for apply');
  await t.rejects(kubeClient.patch(configmaps, 'ns1', 'a', {}, { type: 'apply' }), /fieldManager/);
});

t.test('delete sends DeleteOptions as a JSON body', async (t) => {
  const { server, kubeClient } = await setup(t, (_req, res) => sendJson(res, 200, cm('a')));
  await kubeClient.delete(configmaps, 'ns1', 'a', { propagationPolicy: 'Foreground', preconditions: { resourceVersion: '5' } });
  const d = server.requests[0];
  t.equal(`${d.method} ${d.path}`, 'DELETE /clusters/root/api/v1/namespaces/ns1/configmaps/a');
  t.same(JSON.parse(d.body), {
    kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Foreground', preconditions: { resourceVersion: '5' },
  });
});

t.test('non-2xx Status bodies become StatusErrors; unparseable bodies get the code\'s reason', async (t) => {
  const { kubeClient } = await setup(t, (req, res) => {
    if (req.path.endsWith('/missing')) return sendJson(res, 404, statusBody(404, 'NotFound', 'configmaps "missing" not found', { name: 'missing', kind: 'configmaps' }));
    if (req.path.endsWith('/stale')) return sendJson(res, 409, statusBody(409, 'Conflict', 'the object has been modified'));
    if (req.path.endsWith('/bad')) return sendJson(res, 422, statusBody(422, 'Invalid', 'x is invalid', { causes: [{ field: 'spec.x', reason: 'FieldValueInvalid' }] }));
    res.writeHead(502, { 'content-type': 'text/html' });
    res.end('<html>bad gateway</html>');
  });
  const notFound = await kubeClient.get(configmaps, 'ns1', 'missing').catch((e: unknown) => e);
  t.ok(isNotFound(notFound));
  t.equal((notFound as StatusError).message, 'configmaps "missing" not found');
  t.same((notFound as StatusError).details, { name: 'missing', kind: 'configmaps' });
  t.ok(isConflict(await kubeClient.get(configmaps, 'ns1', 'stale').catch((e: unknown) => e)));
  const invalid = await kubeClient.get(configmaps, 'ns1', 'bad').catch((e: unknown) => e) as StatusError;
  t.equal(invalid.reason, 'Invalid');
  t.equal(invalid.code, 422);
  t.same(invalid.details?.causes, [{ field: 'spec.x', reason: 'FieldValueInvalid' }]);
  const gateway = await kubeClient.get(configmaps, 'ns1', 'html').catch((e: unknown) => e) as StatusError;
  t.ok(gateway instanceof StatusError);
  t.equal(gateway.code, 502);
  t.equal(gateway.reason, 'InternalError');
  t.match(gateway.message, /502: <html>bad gateway/);
});

t.test('connection refused rejects with the socket error', async (t) => {
  const server = new FakeApiServer((_q, res) => sendJson(res, 200, {}));
  const url = await server.start();
  await server.close();
  const kubeClient = new KubeClient(new HttpTransport({ server: url }));
  await t.rejects(kubeClient.get(configmaps, 'ns1', 'a'), { code: 'ECONNREFUSED' });
});

t.test('watch: query, events split across chunks, ERROR events, normal end, non-2xx, stop', async (t) => {
  const { server, kubeClient } = await setup(t, (req, res) => {
    if (req.query.get('resourceVersion') === 'old') return sendJson(res, 410, statusBody(410, 'Expired', 'too old'));
    res.writeHead(200, { 'content-type': 'application/json' });
    const e1 = JSON.stringify({ type: 'ADDED', object: cm('a') });
    res.write(e1.slice(0, 10));
    res.write(e1.slice(10) + '\nnot json\n' + JSON.stringify({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '12' } } }) + '\n');
    if (req.query.get('resourceVersion') === 'hold') return; // stays open until stopped
    res.end(JSON.stringify({ type: 'ERROR', object: statusBody(410, 'Expired', 'too old resource version') }) + '\n');
  });
  const events: WatchEvent[] = [];
  const done = await new Promise<Error | null>((resolve) => {
    kubeClient.watch(configmaps, { namespace: 'ns1', resourceVersion: '10', allowWatchBookmarks: true, timeoutSeconds: 300, labelSelector: 'a=b' },
      (e) => events.push(e), resolve);
  });
  t.equal(done, null, 'normal end reports null');
  t.same(events.map((e) => e.type), ['ADDED', 'BOOKMARK', 'ERROR']);
  t.equal(events[0].object.metadata.name, 'a');
  const q = server.requests[0].query;
  t.same(Object.fromEntries(q), { watch: 'true', labelSelector: 'a=b', resourceVersion: '10', allowWatchBookmarks: 'true', timeoutSeconds: '300' });

  const gone = await new Promise<Error | null>((resolve) => kubeClient.watch(configmaps, { resourceVersion: 'old' }, () => {}, resolve));
  t.ok(gone instanceof StatusError && gone.code === 410 && gone.reason === 'Expired');

  let doneCalled = false;
  const held: WatchEvent[] = [];
  await new Promise<void>((resolve) => {
    const handle = kubeClient.watch(configmaps, { resourceVersion: 'hold' }, (e) => {
      held.push(e);
      if (e.type === 'BOOKMARK') { handle.stop(); resolve(); }
    }, () => { doneCalled = true; });
  });
  t.same(held.map((e) => e.type), ['ADDED', 'BOOKMARK']);
  t.notOk(doneCalled, 'a stop the caller asked for does not call onDone');
});

t.test('discover folds subresources and reads /version', async (t) => {
  const { kubeClient } = await setup(t, (req, res) => {
    switch (req.path) {
      case '/clusters/root/api': return sendJson(res, 200, { kind: 'APIVersions', versions: ['v1'] });
      case '/clusters/root/apis': return sendJson(res, 200, { kind: 'APIGroupList', groups: [
        { name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { version: 'v1' } },
      ] });
      case '/clusters/root/api/v1': return sendJson(res, 200, { resources: [
        { name: 'configmaps', kind: 'ConfigMap', namespaced: true, verbs: ['get', 'list'] },
        { name: 'nodes', kind: 'Node', namespaced: false, verbs: ['get'] },
      ] });
      case '/clusters/root/apis/apps/v1': return sendJson(res, 200, { resources: [
        { name: 'deployments', kind: 'Deployment', namespaced: true, verbs: ['get'], shortNames: ['deploy'] },
        { name: 'deployments/status', kind: 'Deployment', namespaced: true, verbs: ['get', 'patch'] },
        { name: 'deployments/scale', kind: 'Scale', namespaced: true, verbs: ['get'] },
      ] });
      case '/clusters/root/version': return sendJson(res, 200, { major: '1', minor: '32', gitVersion: 'v1.32.4' });
      default: return sendJson(res, 404, statusBody(404, 'NotFound', 'nope'));
    }
  });
  const found = await kubeClient.discover();
  t.same(found.groups.map((g) => g.group), ['', 'apps']);
  const deployments = found.resources.find((r) => r.resource === 'deployments');
  t.same(deployments, {
    group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespaced: true, verbs: ['get'],
    shortNames: ['deploy'], subresources: ['status', 'scale'], preferred: true,
  });
  t.equal(found.resources.find((r) => r.resource === 'nodes')?.namespaced, false);
  t.equal(found.resources.length, 3);
  t.equal((await kubeClient.version()).gitVersion, 'v1.32.4');
});

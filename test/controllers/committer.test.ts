import t from 'tap';
import { HttpTransport } from '../../src/client/http-transport.js';
import { KubeClient } from '../../src/client/kube-client.js';
import type { KubeObject } from '../../src/client/types.js';
import { committerForClient } from '../../src/controllers/client-committer.js';
import { newCommitter } from '../../src/controllers/committer.js';
import { createMergePatch } from '../../src/controllers/merge-patch.js';
import { FakeApiServer, sendJson } from '../client/fake-api-server.js';

function placement(): KubeObject {
  return {
    apiVersion: 'tmc.kcp.io/v1alpha1', kind: 'WorkloadPlacement',
    metadata: { name: 'p', namespace: 'ns', resourceVersion: '42', uid: 'u1', labels: { a: '1' }, annotations: { 'kcp.io/cluster': 'root:org' } },
    spec: { numberOfClusters: 2, clusterSelector: { locations: ['eu', 'us'] } },
    status: { phase: 'Pending', decisions: [] },
  };
}

function recording() {
  const calls: Array<{ fn: string; name: unknown; patch: unknown }> = [];
  const commit = newCommitter({
    patch: async (obj, patch) => { calls.push({ fn: 'patch', name: obj.metadata.name, patch }); },
    patchStatus: async (obj, patch) => { calls.push({ fn: 'patchStatus', name: obj.metadata.name, patch }); },
  });
  return { calls, commit };
}

t.test('spec and metadata changes → one merge patch on the object, with RV and uid', async (t) => {
  const { calls, commit } = recording();
  const old = placement();
  const updated = structuredClone(old);
  updated.spec.numberOfClusters = 3;
  updated.spec.clusterSelector.locations = ['eu'];
  delete updated.metadata.labels;
  updated.metadata.finalizers = ['tmc.kcp.io/x'];
  await commit(old, updated);
  t.same(calls, [{
    fn: 'patch', name: 'p',
    patch: {
      metadata: { labels: null, finalizers: ['tmc.kcp.io/x'], resourceVersion: '42', uid: 'u1' },
      spec: { numberOfClusters: 3, clusterSelector: { locations: ['eu'] } },
    },
  }]);
});

t.test('status changes only → one merge patch on the status subresource', async (t) => {
  const { calls, commit } = recording();
  const old = placement();
  const updated = structuredClone(old);
  updated.status.phase = 'Scheduled';
  updated.status.decisions = [{ clusterName: 'c1', replicas: 2 }];
  await commit(old, updated);
  t.same(calls, [{
    fn: 'patchStatus', name: 'p',
    patch: { status: { phase: 'Scheduled', decisions: [{ clusterName: 'c1', replicas: 2 }] }, metadata: { resourceVersion: '42', uid: 'u1' } },
  }]);
});

t.test('a status appearing for the first time is patched whole', async (t) => {
  const { calls, commit } = recording();
  const old = placement();
  delete old.status;
  const updated = { ...structuredClone(old), status: { phase: 'Pending' } };
  await commit(old, updated);
  t.same(calls[0].patch, { status: { phase: 'Pending' }, metadata: { resourceVersion: '42', uid: 'u1' } });
});

t.test('both changed in one pass → programmer error and no call', async (t) => {
  const { calls, commit } = recording();
  const old = placement();
  const updated = structuredClone(old);
  updated.spec.numberOfClusters = 1;
  updated.status.phase = 'Scheduled';
  await t.rejects(commit(old, updated), /programmer error/);
  t.same(calls, []);
});

t.test('no change → no call', async (t) => {
  const { calls, commit } = recording();
  await commit(placement(), placement());
  t.same(calls, []);
});

t.test('createMergePatch: nested nulls, arrays replaced whole, equal → undefined', async (t) => {
  t.same(createMergePatch({ a: { b: 1, c: 2 }, l: [1, 2] }, { a: { b: 1 }, l: [1, 2, 3], n: null }),
    { a: { c: null }, l: [1, 2, 3], n: null });
  t.equal(createMergePatch({ a: [1, { x: 1 }] }, { a: [1, { x: 1 }] }), undefined);
});

t.test('committerForClient sends merge patches to the object\'s workspace; status to /status', async (t) => {
  const server = new FakeApiServer((req, res) => sendJson(res, 200, JSON.parse(req.body)));
  const url = await server.start();
  const transport = new HttpTransport({ server: url });
  t.teardown(async () => { transport.close(); await server.close(); });
  const commit = committerForClient(new KubeClient(transport), { group: 'tmc.kcp.io', version: 'v1alpha1', resource: 'workloadplacements' });
  const old = placement();
  const updated = structuredClone(old);
  updated.status.phase = 'Failed';
  await commit(old, updated);
  const [req] = server.requests;
  t.equal(`${req.method} ${req.path}`, 'PATCH /clusters/root:org/apis/tmc.kcp.io/v1alpha1/namespaces/ns/workloadplacements/p/status');
  t.equal(req.headers['content-type'], 'application/merge-patch+json');
  t.same(JSON.parse(req.body), { status: { phase: 'Failed' }, metadata: { resourceVersion: '42', uid: 'u1' } });
});

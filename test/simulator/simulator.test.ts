/**
 * The simulator end to end, in-process: a cluster-mode server with the simulator component and
 * admission, driven over raw HTTPS as the syncer would drive a physical cluster.
 */
import t from 'tap';
import { KUBELET_VERSION } from '../../src/simulator/nodes.js';
import { cond, deployment, DEPLOYMENTS, startSimCluster } from './helpers.js';

t.test('nodes are registered with capacity, readiness, version and zones', async (t) => {
  const c = await startSimCluster(t, { nodes: 3, nodeCpu: '2', nodeMemory: '8Gi', nodePods: 50 });
  const list = await c.until('/api/v1/nodes', (l) => l.items.length === 3 && l.items.every((n: any) => n.status?.allocatable), 'three nodes with status');
  t.same(list.items.map((n: any) => n.metadata.name).sort(), ['node-1', 'node-2', 'node-3']);
  for (const n of list.items) {
    t.same(n.status.capacity, { cpu: '2', memory: '8Gi', pods: '50' });
    t.same(n.status.allocatable, n.status.capacity);
    t.equal(n.status.nodeInfo.kubeletVersion, KUBELET_VERSION);
    t.equal(cond(n, 'Ready')?.status, 'True');
    t.equal(n.metadata.labels['kubernetes.io/hostname'], n.metadata.name);
    t.notOk(n.metadata.annotations?.['kcp.io/cluster'], 'a plain cluster: no kcp annotation');
  }
  t.same(new Set(list.items.map((n: any) => n.metadata.labels['topology.kubernetes.io/zone'])).size, 3, 'spread over zones');
});

t.test('deployments become ready, are bounded by capacity, and follow scaling', async (t) => {
  const c = await startSimCluster(t);
  const created = await c.send('POST', DEPLOYMENTS, deployment('web', 3, { cpu: '100m', memory: '64Mi' }));
  t.equal(created.status, 201);
  const web = await c.until(`${DEPLOYMENTS}/web`, (d) => d.status?.readyReplicas === 3, 'web ready 3/3');
  t.match(web.status, { observedGeneration: 1, replicas: 3, updatedReplicas: 3, availableReplicas: 3 });
  t.equal(cond(web, 'Available')?.status, 'True');
  t.equal(cond(web, 'Progressing')?.reason, 'NewReplicaSetAvailable');

  // 10 × 1 cpu on 2 × 2 cpu nodes already holding web's 3 × 100m (1.8 and 1.9 cpu free): one pod per node fits
  t.equal((await c.send('POST', DEPLOYMENTS, deployment('big', 10, { cpu: '1' }))).status, 201);
  const big = await c.until(`${DEPLOYMENTS}/big`, (d) => d.status?.readyReplicas === 2, 'big partly ready');
  t.match(big.status, { replicas: 10, readyReplicas: 2, availableReplicas: 2, unavailableReplicas: 8 });
  t.match(cond(big, 'Available'), { status: 'False', reason: 'MinimumReplicasUnavailable' });
  const webAfter = await c.get(`${DEPLOYMENTS}/web`);
  t.equal(webAfter.status.readyReplicas, 3, 'the older deployment keeps its pods');

  // scale web down: the new generation converges to the new spec
  const scaled = await c.send('PATCH', `${DEPLOYMENTS}/web`, { spec: { replicas: 1 } }, { 'Content-Type': 'application/merge-patch+json' });
  t.equal(scaled.status, 200);
  t.equal(scaled.json.metadata.generation, 2);
  const web2 = await c.until(`${DEPLOYMENTS}/web`, (d) => d.status?.observedGeneration === 2 && d.status?.readyReplicas === 1
    && d.status?.replicas === 1, 'web scaled to 1');
  t.equal(cond(web2, 'Available')?.status, 'True');

  // with web gone, 4 × 1 cpu fit exactly on the two nodes
  t.equal((await c.send('DELETE', `${DEPLOYMENTS}/web`)).status, 200);
  t.equal((await c.send('PATCH', `${DEPLOYMENTS}/big`, { spec: { replicas: 4 } }, { 'Content-Type': 'application/merge-patch+json' })).status, 200);
  const big2 = await c.until(`${DEPLOYMENTS}/big`, (d) => d.status?.observedGeneration === 2 && d.status?.readyReplicas === 4, 'big 4/4 once web is gone');
  t.match(cond(big2, 'Available'), { status: 'True', reason: 'MinimumReplicasAvailable' });
  t.notOk(big2.status.unavailableReplicas);
});

t.test('a new generation restarts the ready delay', async (t) => {
  const c = await startSimCluster(t, { readyDelayMs: 2500 });
  await c.send('POST', DEPLOYMENTS, deployment('slow', 2));
  await c.until(`${DEPLOYMENTS}/slow`, (d) => d.status?.readyReplicas === 2, 'slow ready');
  await c.send('PATCH', `${DEPLOYMENTS}/slow`, { spec: { replicas: 3 } }, { 'Content-Type': 'application/merge-patch+json' });
  const mid = await c.until(`${DEPLOYMENTS}/slow`, (d) => d.status?.observedGeneration === 2, 'generation 2 observed');
  t.equal(mid.status.readyReplicas, 2, 'the third pod is not ready before the delay (2.5 s) passes');
  t.equal(mid.status.replicas, 3);
  await c.until(`${DEPLOYMENTS}/slow`, (d) => d.status?.readyReplicas === 3, 'slow 3/3');
});

t.test('statefulsets, daemonsets, jobs and services', async (t) => {
  const c = await startSimCluster(t);
  const tmpl = (app: string) => ({ selector: { matchLabels: { app } }, template: { metadata: { labels: { app } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } });
  const ns = '/apis/apps/v1/namespaces/default';
  t.equal((await c.send('POST', `${ns}/statefulsets`, { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db' }, spec: { replicas: 2, serviceName: 'db', ...tmpl('db') } })).status, 201);
  t.equal((await c.send('POST', `${ns}/daemonsets`, { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent' }, spec: tmpl('agent') })).status, 201);
  t.equal((await c.send('POST', '/apis/batch/v1/namespaces/default/jobs', {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'once' },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
  })).status, 201);
  const svc = await c.send('POST', '/api/v1/namespaces/default/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'front' }, spec: { type: 'LoadBalancer', selector: { app: 'db' }, ports: [{ port: 80 }] } });
  t.equal(svc.status, 201);
  t.match(svc.json.spec.clusterIP, /^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/, 'clusterIP assigned at create, from 10.96.0.0/12');

  const db = await c.until(`${ns}/statefulsets/db`, (s) => s.status?.readyReplicas === 2, 'db 2/2');
  t.match(db.status, { replicas: 2, availableReplicas: 2, observedGeneration: 1 });
  const agent = await c.until(`${ns}/daemonsets/agent`, (d) => d.status?.numberReady === 2, 'agent on both nodes');
  t.match(agent.status, { desiredNumberScheduled: 2, currentNumberScheduled: 2, numberAvailable: 2 });
  const job = await c.until('/apis/batch/v1/namespaces/default/jobs/once', (j) => cond(j, 'Complete')?.status === 'True', 'job complete');
  t.equal(job.status.succeeded, 1);
  t.ok(job.status.completionTime);
  t.ok(job.status.startTime);
  const lb = await c.until('/api/v1/namespaces/default/services/front', (s) => s.status?.loadBalancer?.ingress?.length === 1, 'LB address');
  t.match(lb.status.loadBalancer.ingress[0].ip, /^172\.18\.255\.\d+$/);
});

t.test('--refuse-writes makes writes to the named resources fail with 503', async (t) => {
  const c = await startSimCluster(t, { refuseWrites: ['deployments', 'configmaps'] });
  const r = await c.send('POST', DEPLOYMENTS, deployment('x', 1));
  t.equal(r.status, 503);
  t.match(r.json, { kind: 'Status', reason: 'ServiceUnavailable', code: 503, message: 'the simulated cluster refuses writes to deployments (--refuse-writes)' });
  const cm = await c.send('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
  t.equal(cm.status, 503);
  t.equal(cm.json.message, 'the simulated cluster refuses writes to configmaps (--refuse-writes)');
  t.equal((await c.send('GET', DEPLOYMENTS)).status, 200, 'reads still work');
  const secret = await c.send('POST', '/api/v1/namespaces/default/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } });
  t.equal(secret.status, 201, 'other resources are writable');
  t.equal((await c.send('DELETE', '/api/v1/namespaces/default/secrets/s')).status, 200);
});

t.test('cordoning a node takes its capacity out of the model', async (t) => {
  const c = await startSimCluster(t, { nodes: 2, nodeCpu: '2' });
  await c.send('POST', DEPLOYMENTS, deployment('fill', 4, { cpu: '1' }));
  await c.until(`${DEPLOYMENTS}/fill`, (d) => d.status?.readyReplicas === 4, 'fill 4/4');
  const cordon = await c.send('PATCH', '/api/v1/nodes/node-2', { spec: { unschedulable: true } }, { 'Content-Type': 'application/merge-patch+json' });
  t.equal(cordon.status, 200);
  const after = await c.until(`${DEPLOYMENTS}/fill`, (d) => d.status?.readyReplicas === 2, 'fill down to what node-1 holds');
  t.match(after.status, { replicas: 4, unavailableReplicas: 2 });
  t.match(cond(after, 'Available'), { status: 'False', reason: 'MinimumReplicasUnavailable' });
});

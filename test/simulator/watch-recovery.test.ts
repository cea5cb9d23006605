/**
 * The simulator's status loop follows the shared store informers' recovery: a Deployment deleted
 * while the store's watches were closed (and the history compacted, so they relist after a 410)
 * frees its pods once they recover, so a Deployment that did not fit becomes ready; and a handler
 * throwing on every Deployment and Node event does not stop statuses from being written.
 */
import t from 'tap';
import { simulatorAdmission, simulatorComponent } from '../../src/simulator/index.js';
import { request } from '../helpers/http.js';
import { startRecoveryServer, whileWatchesDown } from '../helpers/watch-recovery.js';
import { waitFor } from '../helpers/wait.js';

t.test('a Deployment deleted while the watch was down frees its pods after recovery', async (t) => {
  const { srv, store, admin, thrown } = await startRecoveryServer(t, {
    overrides: { mode: 'cluster', nodes: 1, nodePods: 2, readyDelayMs: 50 },
    components: [simulatorComponent], hooks: { admission: simulatorAdmission },
    throwingOn: ['apps/deployments', 'nodes'],
  });
  const deployments = '/apis/apps/v1/namespaces/default/deployments';
  const deployment = (name: string, replicas: number) => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  });
  const ready = async (name: string) => (await request(srv.url, admin, 'GET', `${deployments}/${name}`)).json?.status?.readyReplicas ?? 0;
  const create = async (name: string, replicas: number) => t.equal((await request(srv.url, admin, 'POST', deployments, deployment(name, replicas))).status, 201, `create ${name}`);

  await create('big', 2);
  await waitFor('big ready (fills the node)', async () => (await ready('big')) === 2);
  await create('waiting', 1);
  await waitFor('waiting has a status', async () => (await request(srv.url, admin, 'GET', `${deployments}/waiting`)).json?.status?.unavailableReplicas === 1);
  t.equal(await ready('waiting'), 0, 'no room for waiting');

  await whileWatchesDown(store, async () => {
    t.equal((await request(srv.url, admin, 'DELETE', `${deployments}/big`)).status, 200);
  }, { expired: true });
  await waitFor('waiting gets big\'s room', async () => (await ready('waiting')) === 1);
  await create('later', 1);
  await waitFor('a Deployment created after recovery gets its status', async () => (await ready('later')) === 1);
  t.ok(thrown() > 0, 'the throwing handlers threw');
});

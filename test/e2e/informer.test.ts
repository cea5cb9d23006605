/**
 * @kubernetes/client-node's informer against tmc-server: add/update/delete, and recovery after a
 * 410 (history exceeded while disconnected) by relisting.
 */
import t from 'tap';
import * as k8s from '@kubernetes/client-node';

import { startServer } from '../helpers/tmc.js';
import { waitFor } from '../helpers/wait.js';

t.test('client-node makeInformer', async (t) => {
  const srv = await startServer(t, { watchCacheSize: 20 });
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(srv.kubeconfigPath);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const informer = k8s.makeInformer(kc, '/api/v1/namespaces/default/configmaps',
    () => core.listNamespacedConfigMap({ namespace: 'default' }));
  const seen: string[] = [];
  informer.on('add', (o) => seen.push(`add:${o.metadata?.name}`));
  informer.on('update', (o) => seen.push(`update:${o.metadata?.name}:${o.data?.v}`));
  informer.on('delete', (o) => seen.push(`delete:${o.metadata?.name}`));
  const errors: unknown[] = [];
  let stopped = false;
  // client-node leaves restarting after an error to the caller; stop doing so once the test ends
  informer.on('error', (e) => { errors.push(e); if (!stopped) setTimeout(() => { if (!stopped) void informer.start(); }, 100); });
  await informer.start();
  t.teardown(async () => { stopped = true; await informer.stop(); });

  await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'inf-1' }, data: { v: '1' } } });
  await waitFor('add seen', () => seen.includes('add:inf-1'), { timeoutMs: 10_000 });
  await core.patchNamespacedConfigMap({ namespace: 'default', name: 'inf-1', body: { data: { v: '2' } } },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
  await waitFor('update seen', () => seen.includes('update:inf-1:2'), { timeoutMs: 10_000 });
  await core.deleteNamespacedConfigMap({ namespace: 'default', name: 'inf-1' });
  await waitFor('delete seen', () => seen.includes('delete:inf-1'), { timeoutMs: 10_000 });

  // disconnect, write more than the history holds, then let it reconnect: the watch gets 410 and
  // the informer must relist and still converge on the final state
  await informer.stop();
  for (let i = 0; i < 30; i++) {
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: `burst-${i}` } } });
  }
  await informer.start();
  await waitFor('relisted after 410', () => informer.list('default').length === 30, { timeoutMs: 15_000 });
  t.equal(informer.list('default').filter((c) => c.metadata?.name?.startsWith('burst-')).length, 30);
  t.ok(seen.includes('add:burst-29'));
});

/**
 * Namespace lifecycle over a real store and generic store, no server: a namespace gets its
 * `default` ServiceAccount (again, if it is deleted); a deleted namespace is emptied and removed,
 * and an object held by its own finalizer keeps it Terminating until that finalizer goes.
 */
import t, { type Test } from 'tap';
import { silentLogger } from '../../src/observability/logger.js';
import { serverModeDefs } from '../../src/registry/builtin-sets.js';
import { ResourceCatalog } from '../../src/registry/catalog.js';
import { GenericStore, type RequestScope } from '../../src/registry/generic-store.js';
import { NamespaceLifecycle } from '../../src/registry/namespace-lifecycle-controller.js';
import { namespaceStrategy } from '../../src/registry/namespace-strategy.js';
import type { ResourceDef } from '../../src/registry/types.js';
import { StoreInformers } from '../../src/storage/informers.js';
import { MemoryStore } from '../../src/storage/memory.js';
import { waitFor } from '../helpers/wait.js';

const CLUSTER = 'root:team';
const scope = (namespace = ''): RequestScope =>
  ({ cluster: CLUSTER, namespace, user: { name: 'admin', groups: ['system:masters'] }, dryRun: false, fieldValidation: 'Ignore', warnings: [] });

async function setup(t: Test) {
  const defs = serverModeDefs().map((d) => (d.group === '' && d.resource === 'namespaces' ? { ...d, strategy: namespaceStrategy(d.strategy) } : d));
  const def = (resource: string) => defs.find((d) => d.group === '' && d.resource === resource) as ResourceDef;
  const store = new MemoryStore();
  const generic = new GenericStore({ store, annotateCluster: true });
  const informers = new StoreInformers(store, { defaultCluster: 'root' });
  const lifecycle = new NamespaceLifecycle({ store, informers, generic, catalog: new ResourceCatalog(defs), log: silentLogger(), defaultCluster: 'root' });
  t.teardown(async () => { await lifecycle.stop(); informers.stop(); });
  await lifecycle.start({ all: () => [CLUSTER] });
  const exists = async (resource: string, namespace: string, name: string) =>
    (await store.get({ cluster: CLUSTER, resource, namespace: resource === 'namespaces' ? '' : namespace, name })) !== undefined;
  return { generic, def, exists };
}

t.test('every namespace gets its default ServiceAccount, again after it is deleted', async (t) => {
  const { generic, def, exists } = await setup(t);
  t.ok(await exists('namespaces', '', 'default'), 'the cluster got its default namespace');
  await generic.create(scope(), def('namespaces'), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } });
  await waitFor('default ServiceAccount', () => exists('serviceaccounts', 'apps', 'default'), { timeoutMs: 5000 });
  await generic.delete(scope('apps'), def('serviceaccounts'), 'default', {});
  await waitFor('default ServiceAccount recreated', () => exists('serviceaccounts', 'apps', 'default'), { timeoutMs: 5000 });
  t.pass();
});

t.test('a deleted namespace is emptied, waits for held objects, then goes', async (t) => {
  const { generic, def, exists } = await setup(t);
  await generic.create(scope(), def('namespaces'), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } });
  await generic.create(scope('doomed'), def('configmaps'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'plain' } });
  await generic.create(scope('doomed'), def('configmaps'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'held', finalizers: ['example.com/hold'] } });
  await generic.delete(scope(), def('namespaces'), 'doomed', {});
  await waitFor('contents deleted', async () => !(await exists('configmaps', 'doomed', 'plain')), { timeoutMs: 5000 });
  const ns = await generic.get(scope(), def('namespaces'), 'doomed');
  t.equal(ns.status?.phase, 'Terminating', 'held by the finalized object');
  const held = await generic.get(scope('doomed'), def('configmaps'), 'held');
  t.ok(held.metadata.deletionTimestamp, 'the held object is being deleted');
  await generic.update(scope('doomed'), def('configmaps'), 'held', { ...held, metadata: { ...held.metadata, finalizers: [] } }, '');
  await waitFor('namespace gone', async () => !(await exists('namespaces', '', 'doomed')), { timeoutMs: 5000 });
  t.pass('the namespace went once its last object did');
});

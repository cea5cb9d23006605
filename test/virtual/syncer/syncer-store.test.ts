/**
 * The syncer view's store over a real GenericStore: visibility by state label, status writes
 * landing in the per-cluster annotation, finalizer-only metadata writes, refused create/delete,
 * and DELETED for a watcher when the label goes.
 */
import t from 'tap';
import { stateLabel, statusAnnotation, syncerFinalizer } from '../../../src/apis/contract.js';
import { StatusError } from '../../../src/errors/status.js';
import { parseFieldSelector } from '../../../src/machinery/fields.js';
import { parseLabelSelector } from '../../../src/machinery/labels.js';
import { GenericStore, type RequestScope } from '../../../src/registry/generic-store.js';
import { workloadDefs } from '../../../src/registry/builtin/index.js';
import { MemoryStore } from '../../../src/storage/memory.js';
import type { KubeObject, WatchEvent } from '../../../src/storage/types.js';
import { clusterStatusView, syncerStore } from '../../../src/virtual/syncer/syncer-store.js';

const KEY = 'abc12345';
const def = workloadDefs().find((d) => d.resource === 'deployments')!;
const user = { name: 'system:tmc:syncer:root:c1:west', groups: ['system:tmc:syncers'] };
const scope = (cluster: string): RequestScope => ({ cluster, namespace: 'default', user, dryRun: false, fieldValidation: 'Ignore', warnings: [] });
const q = { labelSelector: parseLabelSelector(''), fieldSelector: parseFieldSelector('') };

function dep(name: string, labels: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default', labels: { app: name, ...labels } },
    spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  } as KubeObject;
}

async function setup() {
  const store = new MemoryStore();
  const generic = new GenericStore({ store, annotateCluster: true });
  for (const c of ['root:c1', 'root:c2']) {
    await store.create({ cluster: c, resource: 'namespaces', namespace: '', name: 'default' }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } } as KubeObject);
  }
  await generic.create(scope('root:c1'), def, dep('synced', { [stateLabel(KEY)]: 'Sync' }));
  await generic.create(scope('root:c2'), def, dep('synced-2', { [stateLabel(KEY)]: 'Sync' }));
  await generic.create(scope('root:c1'), def, dep('pending', { [stateLabel(KEY)]: 'Pending' }));
  await generic.create(scope('root:c1'), def, dep('plain'));
  await generic.create(scope('root:c1'), def, dep('other-cluster', { [stateLabel('zzz99999')]: 'Sync' }));
  return { store, generic, view: syncerStore(generic, KEY) };
}

const reason = (e: unknown) => (e instanceof StatusError ? `${e.code} ${e.reason}` : String(e));

t.test('reads show only objects labelled Sync for this cluster, across workspaces', async (t) => {
  const { view } = await setup();
  const all = await view.list({ ...scope('*'), namespace: '' }, def, q);
  t.same(all.items.map((o) => o.metadata.name).sort(), ['synced', 'synced-2']);
  t.equal((await view.get(scope('root:c1'), def, 'synced')).metadata.name, 'synced');
  await t.rejects(view.get(scope('root:c1'), def, 'plain'), { reason: 'NotFound' } as unknown as Error);
  await t.rejects(view.get(scope('root:c1'), def, 'pending'), { reason: 'NotFound' } as unknown as Error);
});

t.test('a status write becomes the per-cluster annotation; .status is untouched', async (t) => {
  const { generic, view } = await setup();
  const live = await view.get(scope('root:c1'), def, 'synced');
  await view.update(scope('root:c1'), def, 'synced', { ...live, status: { replicas: 1, readyReplicas: 1 } }, 'status');
  const up = await generic.get(scope('root:c1'), def, 'synced');
  t.same(JSON.parse(up.metadata.annotations![statusAnnotation(KEY)]), { replicas: 1, readyReplicas: 1 });
  t.equal(up.status, undefined);
  // a patch applies to this cluster's status (from the annotation), not to the aggregate
  await view.patch(scope('root:c1'), def, 'synced', 'status', async (cur) => {
    t.same(cur!.status, { replicas: 1, readyReplicas: 1 }, 'the producer sees the cluster\'s own status');
    return { object: { ...cur!, status: { ...cur!.status, availableReplicas: 1 } } };
  }, { allowCreate: false });
  const again = await generic.get(scope('root:c1'), def, 'synced');
  t.same(JSON.parse(again.metadata.annotations![statusAnnotation(KEY)]), { replicas: 1, readyReplicas: 1, availableReplicas: 1 });
  // optimistic concurrency survives the rewrite
  await t.rejects(view.update(scope('root:c1'), def, 'synced', { ...live, status: {} }, 'status'), { reason: 'Conflict' } as unknown as Error);
  await t.rejects(view.update(scope('root:c1'), def, 'plain', { ...dep('plain'), status: {} }, 'status'), { reason: 'NotFound' } as unknown as Error);
});

t.test('metadata writes: only the syncer finalizer', async (t) => {
  const { view } = await setup();
  const live = await view.get(scope('root:c1'), def, 'synced');
  const added = await view.update(scope('root:c1'), def, 'synced', { ...live, metadata: { ...live.metadata, finalizers: [syncerFinalizer(KEY)] } }, '');
  t.same(added.metadata.finalizers, [syncerFinalizer(KEY)]);
  const tries: Array<[string, KubeObject]> = [
    ['another finalizer', { ...added, metadata: { ...added.metadata, finalizers: [syncerFinalizer(KEY), 'example.com/x'] } }],
    ['spec', { ...added, spec: { ...added.spec, replicas: 9 } }],
    ['labels', { ...added, metadata: { ...added.metadata, labels: { hacked: 'yes' } } }],
  ];
  for (const [what, body] of tries) {
    const err = await view.update(scope('root:c1'), def, 'synced', body, '').then(() => undefined, (e) => e);
    t.equal(reason(err), '403 Forbidden', `changing ${what} is forbidden`);
  }
  const removed = await view.update(scope('root:c1'), def, 'synced', { ...added, metadata: { ...added.metadata, finalizers: [] } }, '');
  t.same(removed.metadata.finalizers ?? [], []);
});

t.test('create and delete are refused', async (t) => {
  const { view } = await setup();
  await t.rejects(view.create(scope('root:c1'), def, dep('new', { [stateLabel(KEY)]: 'Sync' })), { reason: 'Forbidden' } as unknown as Error);
  await t.rejects(view.delete(scope('root:c1'), def, 'synced', {}), { reason: 'Forbidden' } as unknown as Error);
  await t.rejects(view.deleteCollection(scope('root:c1'), def, q, {}), { reason: 'Forbidden' } as unknown as Error);
});

t.test('a watcher sees DELETED when the state label is removed', async (t) => {
  const { generic, view } = await setup();
  const list = await view.list({ ...scope('*'), namespace: '' }, def, q);
  const events: WatchEvent[] = [];
  const w = view.watch({ ...scope('*'), namespace: '' }, def, q, list.resourceVersion, { onEvent: (e) => events.push(e) });
  t.teardown(() => w.stop());
  await generic.patch(scope('root:c1'), def, 'plain', '', async (cur) => ({ object: { ...cur!, metadata: { ...cur!.metadata, labels: { app: 'plain', [stateLabel(KEY)]: 'Sync' } } } }), { allowCreate: false });
  await generic.patch(scope('root:c1'), def, 'synced', '', async (cur) => ({ object: { ...cur!, metadata: { ...cur!.metadata, labels: { app: 'synced' } } } }), { allowCreate: false });
  t.same(events.map((e) => `${e.type} ${e.object.metadata.name}`), ['ADDED plain', 'DELETED synced']);
});

t.test('clusterStatusView reads the annotation, tolerating garbage', async (t) => {
  const o = dep('x');
  o.status = { replicas: 7 };
  t.equal(clusterStatusView(o, KEY).status, undefined);
  o.metadata.annotations = { [statusAnnotation(KEY)]: '{"replicas":2}' };
  t.same(clusterStatusView(o, KEY).status, { replicas: 2 });
  o.metadata.annotations = { [statusAnnotation(KEY)]: '{not json' };
  t.equal(clusterStatusView(o, KEY).status, undefined);
  t.same(o.status, { replicas: 7 }, 'the input is not modified');
});

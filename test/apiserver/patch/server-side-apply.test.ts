import t from 'tap';
import { serverSideApply, validatePatchOptions } from '../../../src/apiserver/patch/server-side-apply.js';
import { updateManagedFields } from '../../../src/apiserver/patch/managed-fields.js';
import { StatusError } from '../../../src/errors/status.js';
import { deployment, deploymentSchema } from './fixtures.js';

const T0 = new Date('2024-05-01T10:00:00Z');
const T1 = new Date('2024-05-01T11:00:00Z');
const apply = (liveObj: any, appliedObj: any, manager: string, extra: Record<string, unknown> = {}) =>
  serverSideApply({ liveObj, appliedObj, manager, apiVersion: 'apps/v1', schema: deploymentSchema, now: T0, ...extra });

t.test('create through apply', async (t) => {
  const r = apply(undefined, deployment(), 'alice');
  t.equal(r.object.spec.replicas, 2);
  t.same(r.object.metadata.managedFields, r.managedFields);
  t.equal(r.managedFields.length, 1);
  t.match(r.managedFields[0], { manager: 'alice', operation: 'Apply', apiVersion: 'apps/v1', time: '2024-05-01T10:00:00Z', fieldsType: 'FieldsV1' });
  t.same((r.managedFields[0].fieldsV1 as any)['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"nginx"}']['f:image'], {});
  t.notOk((r.managedFields[0].fieldsV1 as any)['f:metadata']['f:name'], 'identity fields are not owned');
});

t.test('re-apply without a field removes it; the applier time moves only on change', async (t) => {
  const first = apply(undefined, deployment(), 'alice').object;
  const cfg = deployment();
  delete cfg.spec.replicas;
  cfg.spec.template.spec.containers.push({ name: 'side', image: 'busybox' });
  delete cfg.metadata.labels;
  const r = apply(first, cfg, 'alice', { now: T1 });
  t.notOk('replicas' in r.object.spec, 'replicas removed');
  t.notOk(r.object.metadata.labels?.app, 'label removed');
  t.same(r.object.spec.template.spec.containers.map((c: any) => c.name), ['nginx', 'side']);
  t.equal(r.managedFields[0].time, '2024-05-01T11:00:00Z');
  t.ok(r.changed);
  const again = apply(r.object, cfg, 'alice', { now: new Date('2031-01-01T00:00:00Z') });
  t.notOk(again.changed);
  t.equal(again.managedFields[0].time, '2024-05-01T11:00:00Z', 'no-op apply keeps the time');
  // Dropping a container from the configuration drops the container.
  const fewer = deployment();
  const r2 = apply(r.object, fewer, 'alice');
  t.same(r2.object.spec.template.spec.containers.map((c: any) => c.name), ['nginx']);
});

t.test('two appliers: conflict 409 with kube wording; same value is shared; force takes over', async (t) => {
  const live = apply(undefined, deployment(), 'alice').object;
  const bobCfg = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 3 } };
  const err = t.throws(() => apply(live, bobCfg, 'bob')) as unknown as StatusError;
  t.ok(err instanceof StatusError);
  t.equal(err.code, 409);
  t.equal(err.reason, 'Conflict');
  t.equal(err.message, 'Apply failed with 1 conflict: conflict with "alice": .spec.replicas');
  t.same(err.details?.causes, [{ reason: 'FieldManagerConflict', message: 'conflict with "alice"', field: '.spec.replicas' }]);

  const shared = apply(live, { ...bobCfg, spec: { replicas: 2 } }, 'bob');
  t.same(shared.managedFields.map((e) => e.manager), ['alice', 'bob'], 'same value: both own it');
  t.notOk(shared.changed);

  const forced = apply(live, bobCfg, 'bob', { force: true });
  t.equal(forced.object.spec.replicas, 3);
  const alice = forced.managedFields.find((e) => e.manager === 'alice')!;
  const bob = forced.managedFields.find((e) => e.manager === 'bob')!;
  t.notOk((alice.fieldsV1 as any)['f:spec']['f:replicas'], 'alice lost replicas');
  t.same(bob.fieldsV1, { 'f:spec': { 'f:replicas': {} } });
  // alice re-applying without replicas does not remove bob's field.
  const cfg = deployment();
  delete cfg.spec.replicas;
  t.equal(apply(forced.object, cfg, 'alice').object.spec.replicas, 3);
});

t.test('several conflicts are grouped by manager', async (t) => {
  const live = apply(undefined, deployment(), 'alice').object;
  const cfg = deployment();
  cfg.spec.replicas = 9;
  cfg.spec.template.spec.containers[0].image = 'nginx:2';
  const err = t.throws(() => apply(live, cfg, 'bob')) as unknown as StatusError;
  t.equal(err.message, 'Apply failed with 2 conflicts: conflicts with "alice":\n- .spec.replicas\n- .spec.template.spec.containers[name="nginx"].image');
  t.equal(err.details?.causes?.length, 2);
});

t.test('kubectl create/edit then server-side apply: Update owners conflict, named with their apiVersion', async (t) => {
  const created: any = deployment();
  created.metadata.managedFields = updateManagedFields({ newObj: created, manager: 'kubectl-client-side-apply', apiVersion: 'apps/v1', schema: deploymentSchema, now: T0 });
  const cfg = deployment();
  cfg.spec.replicas = 4;
  const err = t.throws(() => apply(created, cfg, 'kubectl')) as unknown as StatusError;
  t.equal(err.message, 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
  t.same(err.details?.causes, [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.replicas' }]);

  // Apply the same values (no conflict), then kubectl edit changes replicas: the edit owns it now.
  const applied = apply(created, deployment(), 'kubectl').object;
  const edited = structuredClone(applied);
  edited.spec.replicas = 7;
  edited.metadata.managedFields = <any>updateManagedFields({ oldObj: applied, newObj: edited, manager: 'kubectl-edit', apiVersion: 'apps/v1', schema: deploymentSchema, now: T1 });
  const again = t.throws(() => apply(edited, deployment(), 'kubectl')) as unknown as StatusError;
  t.same(again.details?.causes?.map((c) => c.message), ['conflict with "kubectl-edit" using apps/v1'], 'the edit took replicas from everyone');
  const forced = apply(edited, deployment(), 'kubectl', { force: true });
  t.equal(forced.object.spec.replicas, 2);
  t.notOk(forced.managedFields.some((e) => e.manager === 'kubectl-edit'), 'kubectl-edit owned only replicas and lost it');
});

t.test('live object without managedFields belongs to before-first-apply', async (t) => {
  const live: any = deployment();
  const cfg = deployment();
  cfg.spec.replicas = 5;
  const err = t.throws(() => apply(live, cfg, 'alice')) as unknown as StatusError;
  t.equal(err.message, 'Apply failed with 1 conflict: conflict with "before-first-apply" using apps/v1: .spec.replicas');
});

t.test('map lists merge by key, atomic lists replace, no-schema objects work', async (t) => {
  const live = apply(undefined, deployment(), 'alice').object;
  const bobCfg = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
    spec: { template: { spec: { containers: [{ name: 'side', image: 'b' }], tolerations: [{ key: 'x' }] } } } };
  const r = apply(live, bobCfg, 'bob');
  t.same(r.object.spec.template.spec.containers.map((c: any) => c.name), ['nginx', 'side']);
  const r2 = apply(r.object, { ...bobCfg, spec: { template: { spec: { containers: [{ name: 'side', image: 'b' }], tolerations: [{ key: 'y' }] } } } }, 'bob');
  t.same(r2.object.spec.template.spec.tolerations, [{ key: 'y' }]);

  const cr = { apiVersion: 'x.io/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { a: { b: 1 }, list: [1, 2] } };
  const c1 = serverSideApply({ appliedObj: cr as any, manager: 'm', apiVersion: 'x.io/v1', now: T0 });
  t.same(c1.managedFields[0].fieldsV1, { 'f:spec': { 'f:a': { 'f:b': {} }, 'f:list': {} } });
  const c2 = serverSideApply({ liveObj: c1.object, appliedObj: { ...cr, spec: { list: [3] } } as any, manager: 'm', apiVersion: 'x.io/v1', now: T0 });
  t.same(c2.object.spec, { list: [3] }, 'field a.b removed, and the map it emptied');
});

t.test('applied configuration checks and PatchOptions validation', async (t) => {
  t.match(t.throws(() => apply(undefined, { apiVersion: 'apps/v1', metadata: {} }, 'a')), { code: 400 });
  const withMF = deployment();
  (withMF.metadata as any).managedFields = [];
  t.match(t.throws(() => apply(undefined, withMF, 'a')), { code: 400, message: 'metadata.managedFields must be nil' });
  t.match(t.throws(() => validatePatchOptions({ patchType: 'apply' })), {
    code: 422, message: 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
  });
  t.match(t.throws(() => validatePatchOptions({ patchType: 'merge', force: true })), {
    code: 422, message: /force: Forbidden: may not be specified for non-apply patch/,
  });
  t.doesNotThrow(() => validatePatchOptions({ patchType: 'apply', fieldManager: 'kubectl', force: true }));
});

t.test('a parent recorded as owned (".": {}) is kept while anyone owns something below it', async (t) => {
  const live: any = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1', b: '2' } };
  // what kubectl's client-side → server-side migration writes: the CSA set, parents included
  live.metadata.managedFields = [{
    manager: 'alice', operation: 'Apply', apiVersion: 'v1', time: '2024-05-01T10:00:00Z', fieldsType: 'FieldsV1',
    fieldsV1: { 'f:data': { '.': {}, 'f:a': {}, 'f:b': {} } },
  }];
  const cfg = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } };
  const r = serverSideApply({ liveObj: live, appliedObj: cfg, manager: 'alice', apiVersion: 'v1', now: T1 });
  t.same(r.object.data, { a: '1' }, 'only the dropped key goes');
  const none = serverSideApply({ liveObj: live, appliedObj: { ...cfg, data: undefined }, manager: 'alice', apiVersion: 'v1', now: T1 });
  t.notOk('data' in none.object, 'unowned parent goes with its last child');
});

t.test('list-map keys with schema defaults match items that omit them; duplicates are named', async (t) => {
  const first = apply(undefined, deployment(), 'alice').object;
  const c = first.spec.template.spec.containers[0];
  c.ports = [{ containerPort: 80, protocol: 'TCP' }];
  const cfg = deployment();
  cfg.spec.template.spec.containers[0].ports = [{ containerPort: 80 }];
  const r = apply(first, cfg, 'alice');
  // one item, not two (alice's dropped opinion on protocol goes; defaulting brings it back)
  t.same(r.object.spec.template.spec.containers[0].ports, [{ containerPort: 80 }]);
  t.ok((r.managedFields[0].fieldsV1 as any)['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"nginx"}']['f:ports']['k:{"containerPort":80,"protocol":"TCP"}']);
  cfg.spec.template.spec.containers[0].ports = [{ containerPort: 80 }, { containerPort: 80, protocol: 'TCP' }];
  const err = t.throws(() => apply(first, cfg, 'alice')) as unknown as StatusError;
  t.equal(err.code, 400);
  t.match(err.message, '.spec.template.spec.containers[name="nginx"].ports: duplicate entries for key [containerPort=80,protocol="TCP"]');
});

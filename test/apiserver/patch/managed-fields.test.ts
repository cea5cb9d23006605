import t from 'tap';
import { updateManagedFields, defaultFieldManager, capUpdateManagers, decodeManagedFields, managerKey } from '../../../src/apiserver/patch/managed-fields.js';
import { FieldSet } from '../../../src/apiserver/patch/field-set.js';
import { deployment, deploymentSchema } from './fixtures.js';

const T0 = new Date('2024-05-01T10:00:00.123Z');
const T1 = new Date('2024-05-01T11:00:00Z');
const base = { apiVersion: 'apps/v1', schema: deploymentSchema };

t.test('create: the creator owns every field it set, stamped with the injected time', async (t) => {
  const mf = updateManagedFields({ ...base, newObj: deployment() as any, manager: 'kubectl-create', now: T0 });
  t.equal(mf.length, 1);
  t.match(mf[0], { manager: 'kubectl-create', operation: 'Update', apiVersion: 'apps/v1', time: '2024-05-01T10:00:00Z', fieldsType: 'FieldsV1' });
  t.notOk('subresource' in mf[0]);
  t.same(mf[0].fieldsV1['f:metadata'], { 'f:labels': { '.': {}, 'f:app': {} } });
  t.ok((mf[0].fieldsV1 as any)['f:spec']['f:replicas']);
});

t.test('update moves changed fields to the writer; removed fields leave everyone; empty entries drop', async (t) => {
  const v1 = deployment() as any;
  v1.metadata.managedFields = updateManagedFields({ ...base, newObj: v1, manager: 'creator', now: T0 });
  const v2 = structuredClone(v1);
  v2.spec.replicas = 5;
  const mf = updateManagedFields({ ...base, oldObj: v1, newObj: v2, manager: 'kubectl-edit', now: T1 });
  t.same(mf.map((e) => e.manager), ['creator', 'kubectl-edit']);
  t.same(mf[1].fieldsV1, { 'f:spec': { 'f:replicas': {} } });
  t.equal(mf[1].time, '2024-05-01T11:00:00Z');
  t.notOk((mf[0].fieldsV1 as any)['f:spec']['f:replicas'], 'creator lost replicas');
  // A no-op update does not touch times or add an entry.
  v2.metadata.managedFields = mf;
  const same = updateManagedFields({ ...base, oldObj: v2, newObj: structuredClone(v2), manager: 'other', now: new Date('2030-01-01T00:00:00Z') });
  t.same(same, mf);
  // Taking over every leaf leaves the creator owning only the maps it created, which still exist.
  const v3 = structuredClone(v2);
  v3.metadata.labels = { app: 'x' };
  v3.spec = { replicas: 5 };
  const taken = updateManagedFields({ ...base, oldObj: v2, newObj: v3, manager: 'kubectl-edit', now: T1 });
  t.same(taken.map((e) => e.manager), ['creator', 'kubectl-edit']);
  t.same(taken[0].fieldsV1, { 'f:metadata': { 'f:labels': {} }, 'f:spec': {} });
  // Deleting labels and spec removes every field anyone owned: no entries remain.
  const v4 = structuredClone(v3);
  v4.metadata.managedFields = taken;
  delete v4.metadata.labels;
  delete v4.spec;
  const gone = updateManagedFields({ ...base, oldObj: v3, newObj: v4, manager: 'kubectl-edit', now: T1 });
  t.same(gone, []);
});

t.test('managedFields in the request: [] resets, given entries are kept, absent keeps the live ones', async (t) => {
  const v1 = deployment() as any;
  v1.metadata.managedFields = updateManagedFields({ ...base, newObj: v1, manager: 'creator', now: T0 });
  const reset = structuredClone(v1);
  reset.metadata.managedFields = [];
  t.same(updateManagedFields({ ...base, oldObj: v1, newObj: reset, manager: 'x', now: T1 }), []);
  const omitted = structuredClone(v1);
  delete omitted.metadata.managedFields;
  t.same(updateManagedFields({ ...base, oldObj: v1, newObj: omitted, manager: 'x', now: T1 }), v1.metadata.managedFields);
});

t.test('subresource and reset fields', async (t) => {
  const v1 = deployment() as any;
  const v2 = structuredClone(v1);
  v2.status = { replicas: 2 };
  v2.spec.replicas = 9;
  const mf = updateManagedFields({ ...base, oldObj: v1, newObj: v2, manager: 'ctrl', subresource: 'status', resetFields: FieldSet.of(['f:spec']), now: T0 });
  t.same(mf, [{ manager: 'ctrl', operation: 'Update', apiVersion: 'apps/v1', time: '2024-05-01T10:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:status': { '.': {}, 'f:replicas': {} } }, subresource: 'status' }]);
});

t.test('at most 10 Update managers; the oldest fold into ancient-changes', async (t) => {
  const entries = Array.from({ length: 12 }, (_, i) => ({
    manager: `m${i}`, operation: 'Update', apiVersion: 'v1', time: `2024-01-01T00:00:${String(i).padStart(2, '0')}Z`,
    fieldsType: 'FieldsV1', fieldsV1: { [`f:k${i}`]: {} },
  }));
  const m = decodeManagedFields(entries);
  capUpdateManagers(m);
  t.equal(m.size, 10);
  const ancient = m.get(managerKey({ manager: 'ancient-changes', operation: 'Update', apiVersion: 'v1', subresource: '' }));
  t.same(ancient?.set.toFieldsV1(), { 'f:k0': {}, 'f:k1': {}, 'f:k2': {} });
});

t.test('default manager from the user agent', async (t) => {
  t.equal(defaultFieldManager('kubectl/v1.32.4 (linux/amd64) kubernetes/abc'), 'kubectl');
  t.equal(defaultFieldManager('node-fetch'), 'node-fetch');
});

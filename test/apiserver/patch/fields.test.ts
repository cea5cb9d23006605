import t from 'tap';
import { FieldSet, compare, removeItems, toFieldSet, STRIPPED_FIELDS, pathString } from '../../../src/apiserver/patch/fields.js';
import { deployment, deploymentSchema } from './fixtures.js';

t.test('fieldsV1 of a Deployment: granular maps, keyed list items, atomic selector', async (t) => {
  const set = toFieldSet(deployment(), deploymentSchema).difference(STRIPPED_FIELDS);
  t.same(set.toFieldsV1(), {
    'f:metadata': { 'f:labels': { 'f:app': {} } },
    'f:spec': {
      'f:replicas': {},
      'f:selector': {},
      'f:template': {
        'f:metadata': { 'f:labels': { 'f:app': {} } },
        'f:spec': {
          'f:containers': {
            'k:{"name":"nginx"}': {
              '.': {}, 'f:image': {}, 'f:name': {},
              'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {}, 'f:protocol': {} } },
            },
          },
        },
      },
    },
  });
});

t.test('sets: v: items, atomic lists, no schema', async (t) => {
  const obj = { metadata: { finalizers: ['a/b', 'c'] }, spec: { args: ['x'], free: { deep: [1, 2] } } };
  t.same(toFieldSet(obj, undefined).toFieldsV1(), {
    'f:metadata': { 'f:finalizers': { 'v:"a/b"': {}, 'v:"c"': {} } },
    'f:spec': { 'f:args': {}, 'f:free': { 'f:deep': {} } },
  });
});

t.test('fieldsV1 round trip and set operations', async (t) => {
  const a = FieldSet.of(['f:spec', 'f:replicas'], ['f:spec', 'f:paused'], ['f:metadata', 'f:labels'], ['f:metadata', 'f:labels', 'f:app']);
  const b = FieldSet.of(['f:spec', 'f:replicas'], ['f:status']);
  t.same(a.toFieldsV1(), { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } }, 'f:spec': { 'f:paused': {}, 'f:replicas': {} } });
  t.ok(FieldSet.fromFieldsV1(a.toFieldsV1()).equals(a), 'round trip');
  t.same(a.intersection(b).paths(), [['f:spec', 'f:replicas']]);
  t.same(a.union(b).paths().map(pathString), ['.metadata.labels', '.metadata.labels.app', '.spec.paused', '.spec.replicas', '.status']);
  t.same(a.difference(b).paths().map(pathString), ['.metadata.labels', '.metadata.labels.app', '.spec.paused']);
  t.same(a.difference(FieldSet.of(['f:metadata', 'f:labels'])).paths().map(pathString), ['.metadata.labels.app', '.spec.paused', '.spec.replicas'], 'difference keeps children');
  t.same(a.recursiveDifference(FieldSet.of(['f:metadata'])).paths().map(pathString), ['.spec.paused', '.spec.replicas']);
  t.ok(a.difference(a).isEmpty());
  t.throws(() => FieldSet.fromFieldsV1({ 'x:bad': {} }));
  t.equal(pathString(['f:spec', 'k:{"containerPort":80,"protocol":"TCP"}', 'f:name']), '.spec[containerPort=80,protocol="TCP"].name');
  t.equal(pathString(['f:finalizers', 'v:"x"']), '.finalizers[="x"]');
});

t.test('compare: added items carry membership, leaves modified/removed', async (t) => {
  const before = deployment();
  const after = deployment();
  after.spec.replicas = 3;
  after.metadata.annotations = { note: 'x' };
  delete after.metadata.labels;
  after.spec.template.spec.containers.push({ name: 'side', image: 'b' });
  const c = compare(before, after, deploymentSchema);
  t.same(c.modified.paths().map(pathString), ['.spec.replicas']);
  t.same(c.added.toFieldsV1(), {
    'f:metadata': { 'f:annotations': { '.': {}, 'f:note': {} } },
    'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"side"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } } },
  });
  t.same(c.removed.paths().map(pathString), ['.metadata.labels', '.metadata.labels.app']);
});

t.test('removeItems drops members with their subtree', async (t) => {
  const out = removeItems(deployment(), FieldSet.of(
    ['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"nginx"}'],
    ['f:metadata', 'f:labels', 'f:app'],
  ), deploymentSchema);
  t.same(out.spec.template.spec.containers, []);
  t.same(out.metadata.labels, {});
  t.equal(out.spec.replicas, 2);
});

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

t.test('a "__proto__" field is owned, compared and removed like any other field', async (t) => {
  const obj = JSON.parse('{"spec":{"__proto__":{"x":1},"b":2}}');
  const set = toFieldSet(obj, undefined);
  t.same(set.toFieldsV1(), { 'f:spec': { 'f:__proto__': { 'f:x': {} }, 'f:b': {} } });
  const changed = compare(obj, JSON.parse('{"spec":{"__proto__":{"x":2},"b":2}}'), undefined);
  t.same(changed.modified.toFieldsV1(), { 'f:spec': { 'f:__proto__': { 'f:x': {} } } });
  const fromOther = compare(JSON.parse('{"spec":{}}'), JSON.parse('{"spec":{"constructor":1}}'), undefined);
  t.same(fromOther.added.toFieldsV1(), { 'f:spec': { 'f:constructor': {} } }, 'an inherited name is not a present field');
  const kept = removeItems(obj, FieldSet.of(['f:spec', 'f:b']), undefined) as any;
  t.equal(Object.getPrototypeOf(kept.spec), Object.prototype);
  t.equal(kept.spec.x, undefined, 'nothing shows through as an inherited field');
  t.equal(JSON.stringify(kept), '{"spec":{"__proto__":{"x":1}}}');
});

t.test('field sets of a 10 000-level object: built, compared, encoded and removed without overflowing', async (t) => {
  const depth = 10_000;
  const nested = (n: number, leaf: unknown) => JSON.parse('{"a":'.repeat(n) + JSON.stringify(leaf) + '}'.repeat(n));
  const before = { spec: nested(depth, 1) };
  const after = { spec: nested(depth, 2) };
  const set = toFieldSet(after, undefined);
  const v1 = set.toFieldsV1();
  const back = FieldSet.fromFieldsV1(v1);
  t.ok(back.equals(set), 'fieldsV1 round trip');
  const cmp = compare(before, after, undefined);
  const leaf = ['f:spec', ...Array(depth).fill('f:a')];
  t.ok(cmp.modified.has(leaf), 'the deepest field is modified');
  t.ok(cmp.added.isEmpty() && cmp.removed.isEmpty());
  const created = compare(undefined, after, undefined);
  t.ok(created.added.has(leaf.slice(0, 5000)), 'on create every level is added');
  t.equal(set.union(created.added).intersection(set).difference(set).isEmpty(), true);
  t.equal(set.paths().length, 1);
  t.equal(set.recursiveDifference(FieldSet.of(['f:spec'])).isEmpty(), true);
  t.same(removeItems(after, FieldSet.of(leaf), undefined, true), {}, 'removing the only leaf empties every level');
  t.equal(cmp.modified.toString().length, '.spec'.length + depth * '.a'.length);
});

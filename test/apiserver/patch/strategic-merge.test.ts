import t from 'tap';
import { strategicMergePatch } from '../../../src/apiserver/patch/strategic-merge.js';
import { deployment, deploymentSchema } from './fixtures.js';

const smp = (patch: unknown, live = deployment()) => strategicMergePatch(live, patch, deploymentSchema) as any;
const containers = (o: any) => o.spec.template.spec.containers;

t.test('lists with a merge key merge by key', async (t) => {
  const out = smp({ spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.26' }, { name: 'side', image: 'busybox' }] } } } });
  t.same(containers(out), [
    { name: 'nginx', image: 'nginx:1.26', ports: [{ containerPort: 80, protocol: 'TCP' }] },
    { name: 'side', image: 'busybox' },
  ]);
  const nested = smp({ spec: { template: { spec: { containers: [{ name: 'nginx', ports: [{ containerPort: 443, protocol: 'TCP' }] }] } } } });
  t.same(containers(nested)[0].ports, [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443, protocol: 'TCP' }], 'nested merge');
});

t.test('$patch: delete removes a list item by key, or a map', async (t) => {
  const live = smp({ spec: { template: { spec: { containers: [{ name: 'side', image: 'busybox' }] } } } });
  const out = smp({ spec: { template: { spec: { containers: [{ name: 'nginx', $patch: 'delete' }] } } } }, live);
  t.same(containers(out).map((c: any) => c.name), ['side']);
  const noLabels = smp({ metadata: { labels: { $patch: 'delete' } } });
  t.notOk('labels' in noLabels.metadata);
});

t.test('$patch: replace replaces a map or a whole list', async (t) => {
  const out = smp({ metadata: { labels: { $patch: 'replace', only: 'this' } } });
  t.same(out.metadata.labels, { only: 'this' });
  const list = smp({ spec: { template: { spec: { containers: [{ $patch: 'replace' }, { name: 'solo', image: 'x' }] } } } });
  t.same(containers(list), [{ name: 'solo', image: 'x' }]);
});

t.test('primitive lists: merge strategy unions, otherwise replaced', async (t) => {
  const live = deployment();
  live.metadata.finalizers = ['a', 'b'];
  const out = smp({ metadata: { finalizers: ['b', 'c'] } }, live);
  t.same(out.metadata.finalizers, ['a', 'b', 'c'], 'finalizers have merge strategy');
  const del = smp({ metadata: { $deleteFromPrimitiveList: undefined, '$deleteFromPrimitiveList/finalizers': ['a'] } }, live);
  t.same(del.metadata.finalizers, ['b']);
  live.spec.template.spec.containers[0].args = ['-v', '-x'];
  const args = smp({ spec: { template: { spec: { containers: [{ name: 'nginx', args: ['-q'] }] } } } }, live);
  t.same(containers(args)[0].args, ['-q'], 'args has no strategy: replaced');
});

t.test('$retainKeys clears keys not listed', async (t) => {
  const live = deployment();
  live.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } };
  const out = smp({ spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } }, live);
  t.same(out.spec.strategy, { type: 'Recreate' });
  t.match(t.throws(() => smp({ spec: { strategy: { $retainKeys: ['type'], rollingUpdate: {} } } }, live)), { code: 422 });
  t.match(t.throws(() => smp({ spec: { strategy: { $retainKeys: 'type' } } }, live)), { code: 400, message: 'invalid patch format of retainKeys' });
});

t.test('$setElementOrder orders the merged list', async (t) => {
  const live = smp({ spec: { template: { spec: { containers: [{ name: 'b' }, { name: 'c' }] } } } });
  const out = smp({ spec: { template: { spec: {
    '$setElementOrder/containers': [{ name: 'c' }, { name: 'nginx' }, { name: 'b' }],
    containers: [{ name: 'c', image: 'cc' }],
  } } } }, live);
  t.same(containers(out).map((c: any) => c.name), ['c', 'nginx', 'b']);
  t.equal(containers(out)[0].image, 'cc');
});

t.test('unknown paths fall back to merge-patch semantics', async (t) => {
  const live = deployment();
  live.spec.template.spec.tolerations = [{ key: 'a' }];
  const out = smp({ spec: { paused: true, template: { spec: { tolerations: [{ key: 'b' }] } } }, status: { x: { y: 1 } }, metadata: { labels: { app: null } } }, live);
  t.equal(out.spec.paused, true);
  t.same(out.spec.template.spec.tolerations, [{ key: 'b' }], 'list without strategy replaced');
  t.same(out.status, { x: { y: 1 } });
  t.same(out.metadata.labels, {});
  t.same(live, (() => { const d = deployment(); d.spec.template.spec.tolerations = [{ key: 'a' }]; return d; })(), 'input not mutated');
});

t.test('bad directives are 400', async (t) => {
  t.match(t.throws(() => smp({ metadata: { labels: { $patch: 'explode' } } })), { code: 400, message: /Unknown patch type: explode/ });
  t.match(t.throws(() => smp([1])), { code: 400 });
  t.match(t.throws(() => smp({ spec: { template: { spec: { containers: [{ image: 'nokey' }] } } } })), { code: 400, message: /does not contain declared merge key/ });
});

t.test('a "__proto__" key is data: kept as an own key, never the prototype, never merged into Object.prototype', async (t) => {
  const patch = JSON.parse('{"metadata":{"labels":{"__proto__":{"polluted":"yes"}}},"spec":{"__proto__":{"replicas":99}},"__proto__":{"injected":true}}');
  const out = smp(patch);
  t.equal(Object.getPrototypeOf(out), Object.prototype, 'the result keeps its prototype');
  t.equal(Object.getPrototypeOf(out.spec), Object.prototype, 'nested objects keep theirs');
  t.equal(out.spec.replicas, 2, 'the live field, not one showing through from the patch');
  t.equal(out.injected, undefined);
  t.equal(({} as any).polluted, undefined, 'Object.prototype untouched');
  t.ok(Object.hasOwn(out.spec, '__proto__'), 'the key is an own key');
  t.equal(JSON.stringify(out.metadata.labels), '{"app":"web","__proto__":{"polluted":"yes"}}', 'and survives serialization');
  // merging into an existing own "__proto__" key merges like any other map
  const again = smp(JSON.parse('{"spec":{"__proto__":{"b":1}}}'), out);
  t.equal(JSON.stringify(again.spec.__proto__ === undefined ? null : Object.getOwnPropertyDescriptor(again.spec, '__proto__')!.value), '{"replicas":99,"b":1}');
});

t.test('a patch 10 000 levels deep merges without overflowing the stack, in linear time', async (t) => {
  const depth = 10_000;
  const nested = (n: number, leaf: unknown) => JSON.parse('{"a":'.repeat(n) + JSON.stringify(leaf) + '}'.repeat(n));
  const live = { ...deployment(), extra: nested(depth, 1) };
  const out = strategicMergePatch(live as any, { extra: nested(depth, 2) }, deploymentSchema) as any;
  let x = out.extra;
  for (let i = 0; i < depth - 1; i++) x = x.a;
  t.equal(x.a, 2, 'the deepest value is merged');
  let y = (live as any).extra;
  for (let i = 0; i < depth - 1; i++) y = y.a;
  t.equal(y.a, 1, 'the live object is not changed');
});

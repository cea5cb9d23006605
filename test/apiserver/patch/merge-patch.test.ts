import t from 'tap';
import fc from 'fast-check';
import { applyMergePatch, createMergePatch, mergePatch } from '../../../src/apiserver/patch/merge-patch.js';
import { deployment } from './fixtures.js';
import { jsonEqual } from '../../../src/storage/semantic-equal.js';
import { deepClone } from '../../../src/apiserver/patch/json-value.js';

t.test('RFC 7386 examples', async (t) => {
  // RFC 7386 appendix A, a selection.
  const cases: Array<[unknown, unknown, unknown]> = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], ['c', 'd']],
    [{ a: 'b' }, ['c'], ['c']],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  for (const [target, patch, want] of cases) t.same(mergePatch(target, patch), want, JSON.stringify(patch));
});

t.test('applyMergePatch on an object; arrays replaced, null deletes', async (t) => {
  const out = applyMergePatch(deployment(), {
    metadata: { labels: { app: null, tier: 'fe' } },
    spec: { template: { spec: { containers: [{ name: 'only' }] } } },
  });
  t.same(out.metadata.labels, { tier: 'fe' });
  t.same(out.spec.template.spec.containers, [{ name: 'only' }]);
  t.equal(out.spec.replicas, 2);
  t.match(t.throws(() => applyMergePatch(deployment(), [1])), { code: 400, message: 'Invalid JSON Patch' });
});

// JSON values without null inside objects (a merge patch cannot say "set to null").
const leaf = fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.boolean());
const { value: json } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('obj'), fc.array(fc.oneof(leaf, fc.constant(null)), { maxLength: 3 })),
  obj: fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), tie('value'), { maxKeys: 4 }),
}));
const obj = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd', 'e'), json, { maxKeys: 5 });

t.test('property: mergePatch(a, createMergePatch(a, b)) equals b', async (t) => {
  // fc.assert throws with the shrunk counterexample when the property fails.
  t.doesNotThrow(() => fc.assert(fc.property(obj, obj, (a, b) => jsonEqual(mergePatch(a, createMergePatch(a, b)), b)), { numRuns: 500 }));
  t.same(createMergePatch({ a: 1, b: { c: 1, d: 2 } }, { b: { c: 1, d: 3 } }), { a: null, b: { d: 3 } }, 'minimal patch');
});

t.test('deep documents: no depth overflows the merge or the copy (iterative walks)', async (t) => {
  const nested = (depth: number, leaf: unknown): Record<string, unknown> => {
    let v: unknown = leaf;
    for (let i = 0; i < depth; i++) v = { a: v };
    return v as Record<string, unknown>;
  };
  const depthOf = (v: unknown): number => {
    let d = 0;
    while (v && typeof v === 'object') { v = (v as Record<string, unknown>).a; d++; }
    return d;
  };
  const target = nested(20_000, 1);
  const merged = mergePatch(target, nested(20_000, 2));
  t.equal(depthOf(merged), 20_000, 'merged 20 000 levels deep');
  let leaf: unknown = merged;
  while (leaf && typeof leaf === 'object') leaf = (leaf as Record<string, unknown>).a;
  t.equal(leaf, 2, 'the patch value at the bottom');
  t.equal(depthOf(target), 20_000, 'the target is untouched');
  let bottom: unknown = target;
  while (bottom && typeof bottom === 'object') bottom = (bottom as Record<string, unknown>).a;
  t.equal(bottom, 1);
  t.same(mergePatch({ a: { b: 1, c: 2 } }, { a: { b: null, d: { e: null, f: 3 } } }), { a: { c: 2, d: { f: 3 } } }, 'nulls delete, also inside new objects');
  const arrays = { l: [[[{ x: [1, { y: 2 }] }]]] };
  const copied = mergePatch({}, arrays) as typeof arrays;
  t.same(copied, arrays);
  t.not(copied.l, arrays.l, 'arrays copied, not shared');
});

t.test('a "__proto__" key is data: kept as an own key, never the prototype', async (t) => {
  const patch = JSON.parse('{"spec":{"__proto__":{"replicas":99}},"__proto__":{"injected":true}}');
  const target = JSON.parse('{"spec":{"a":1}}');
  const out = mergePatch(target, patch) as Record<string, any>;
  t.equal(Object.getPrototypeOf(out), Object.prototype, 'the result keeps its prototype');
  t.equal(Object.getPrototypeOf(out.spec), Object.prototype, 'nested objects keep theirs');
  t.equal(out.spec.replicas, undefined, 'nothing shows through as an inherited field');
  t.equal(out.injected, undefined);
  t.equal(JSON.stringify(out), '{"spec":{"a":1,"__proto__":{"replicas":99}},"__proto__":{"injected":true}}', 'the key survives serialization');
  const cloned = deepClone(JSON.parse('{"__proto__":{"x":1}}')) as Record<string, any>;
  t.equal(cloned.x, undefined, 'deepClone: no inherited field');
  t.equal(JSON.stringify(cloned), '{"__proto__":{"x":1}}', 'deepClone: the key is kept');
});

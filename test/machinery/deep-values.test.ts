import t from 'tap';
import { canonicalJSON, stringifyIteratively, stringifyJSON } from '../../src/machinery/json-text.js';
import { runWalk, type Walk } from '../../src/machinery/deep-walk.js';
import { cloneValue, deepClone, deepCopy, deepEqual } from '../../src/machinery/objects.js';
import { jsonEqual } from '../../src/storage/semantic-equal.js';
import { goSyntax } from '../../src/errors/status.js';
import { toCelValue, fromCelValue } from '../../src/cel/values.js';
import { createMergePatch, applyMergePatch } from '../../src/controllers/merge-patch.js';
import { contains } from '../../src/syncer/transform/drift.js';

const DEPTH = 10_005;
const text = '{"a":'.repeat(DEPTH) + '[1,"x",null]' + '}'.repeat(DEPTH);
const deep = () => JSON.parse(text);

t.test('stringifyJSON: the native text for ordinary values, the same text past the native stack', async (t) => {
  const samples: unknown[] = [
    { a: 1, b: [1, 'two', null, true, undefined, () => 1], c: undefined, d: { e: new Date(0), f: NaN, g: -0, h: Infinity } },
    [undefined, { toJSON: (k: string) => `key ${k}` }], 'str"ing', 3, null, true, {}, [],
    JSON.parse('{"__proto__":{"x":1},"k\\u0000":"\\ud83d"}'),
  ];
  for (const v of samples) t.equal(stringifyIteratively(v), JSON.stringify(v), JSON.stringify(v));
  t.equal(stringifyIteratively(undefined), undefined);
  t.throws(() => stringifyIteratively({ a: 1n }), TypeError);
  t.throws(() => JSON.stringify(deep()), RangeError, 'the native serializer overflows here');
  t.equal(stringifyJSON(deep()), text, 'the fallback writes the whole document');
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  t.throws(() => stringifyJSON(cyclic), TypeError, 'a cycle is still an error');
});

t.test('canonicalJSON sorts keys at any depth', async (t) => {
  t.equal(canonicalJSON({ b: 1, a: { d: [2, { z: 1, y: undefined }], c: undefined } }), '{"a":{"d":[2,{"z":1}]},"b":1}');
  t.equal(canonicalJSON({ b: undefined }, { undefinedAsNull: true }), '{"b":null}');
  t.equal(canonicalJSON(deep()), text);
});

t.test('clones, equality and merge patches hold 10 000 levels', async (t) => {
  const a = deep();
  t.equal(stringifyJSON(deepClone(a)), text);
  t.equal(stringifyJSON(deepCopy(a)), text);
  t.equal(stringifyJSON(cloneValue(a)), text, 'structuredClone overflows; the fallback copies');
  t.ok(deepEqual(a, deep()) && jsonEqual(a, deep()));
  const b = deep();
  let x = b;
  for (let i = 0; i < DEPTH - 1; i++) x = x.a;
  x.a = [2];
  t.notOk(deepEqual(a, b) || jsonEqual(a, b));
  const patch = createMergePatch(a, b);
  t.ok(deepEqual(applyMergePatch(a, patch), b), 'controllers\' merge patch round trip');
  t.equal(createMergePatch(a, deep()), undefined, 'equal: no patch');
  t.ok(contains(a, deep()) && !contains(a, b), 'the syncer\'s containment check');
  t.ok(goSyntax(a).startsWith('map[string]interface {}{"a":map[string]interface {}{'));
  t.equal(goSyntax({ b: [1, 'x', null], a: {} }), 'map[string]interface {}{"a":map[string]interface {}{}, "b":[]interface {}{1, "x", interface {}(nil)}}');
  const cel = toCelValue(a) as any;
  let c = cel;
  for (let i = 0; i < DEPTH; i++) c = c.a;
  t.same(c, [1n, 'x', null], 'CEL values: integral numbers are ints at the bottom too');
  t.equal(stringifyJSON(fromCelValue(cel)), text);
});

t.test('runWalk: a sub-walk\'s result and its exception reach the caller like a call\'s', async (t) => {
  function* depthOf(v: unknown): Walk<number> {
    if (typeof v !== 'object' || v === null) return 0;
    let max = 0;
    for (const x of Object.values(v)) max = Math.max(max, yield depthOf(x));
    return max + 1;
  }
  t.equal(runWalk(depthOf(deep())), DEPTH + 1);
  function* failing(n: number): Walk<string> {
    if (n === 0) throw new Error('bottom');
    try {
      return yield failing(n - 1);
    } catch (e) {
      if (n === 5000) return `caught at ${n}: ${(e as Error).message}`;
      throw e;
    }
  }
  t.equal(runWalk(failing(DEPTH)), 'caught at 5000: bottom');
  t.throws(() => runWalk(failing(10)), /bottom/);
});

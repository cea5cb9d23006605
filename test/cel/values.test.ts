/** JSON → CEL conversion: schema-driven ints, escaping, formats; and back. */

import t from 'tap';
import { compileRule, celActivation } from '../../src/cel/rule.js';
import { escapePropertyName, fromCelValue, toCelValue, type CelSchema } from '../../src/cel/values.js';

const deploySchema: CelSchema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        replicas: { type: 'integer' },
        ratio: { type: 'number' },
        port: { 'x-kubernetes-int-or-string': true },
        'max-surge': { type: 'integer' },
        created: { type: 'string', format: 'date-time' },
        data: { type: 'string', format: 'byte' },
        tags: { type: 'array', items: { type: 'integer' } },
        limits: { type: 'object', additionalProperties: { type: 'integer' } },
      },
    },
  },
};

t.test('schema integers become CEL ints so arithmetic works', async (t) => {
  const rule = compileRule('self.spec.replicas + 1 == 4', { vars: ['self'], schemaFor: { self: deploySchema } });
  t.equal(rule.eval({ self: { spec: { replicas: 3 } } }).value, true);
  const div = compileRule('self.spec.replicas / 2', { vars: ['self'], schemaFor: { self: deploySchema } });
  t.equal(div.eval({ self: { spec: { replicas: 3 } } }).value, 1, 'integer division');
});

t.test('type number stays double even when integral', async (t) => {
  const v = toCelValue({ spec: { ratio: 2, replicas: 2 } }, deploySchema) as any;
  t.equal(v.spec.ratio, 2);
  t.equal(v.spec.replicas, 2n);
  const rule = compileRule('self.spec.ratio / 4.0 == 0.5', { vars: ['self'], schemaFor: { self: deploySchema } });
  t.equal(rule.eval({ self: { spec: { ratio: 2 } } }).value, true);
});

t.test('int-or-string, arrays, additionalProperties, formats', async (t) => {
  const v = toCelValue({ spec: { port: 80, tags: [1, 2], limits: { a: 5 }, created: '2024-01-02T03:04:05Z', data: 'aGk=' } }, deploySchema) as any;
  t.equal(v.spec.port, 80n);
  t.same(v.spec.tags, [1n, 2n]);
  t.equal(v.spec.limits.a, 5n);
  t.ok(v.spec.created instanceof Date);
  t.same(Array.from(v.spec.data), [104, 105]);
  t.equal((toCelValue({ spec: { port: 'http' } }, deploySchema) as any).spec.port, 'http');
  const rule = compileRule("self.spec.created < timestamp('2025-01-01T00:00:00Z')", { vars: ['self'], schemaFor: { self: deploySchema } });
  t.equal(rule.eval({ self: { spec: { created: '2024-01-02T03:04:05Z' } } }).value, true);
});

t.test('property names are escaped the kube way', async (t) => {
  t.equal(escapePropertyName('max-surge'), 'max__dash__surge');
  t.equal(escapePropertyName('a.b'), 'a__dot__b');
  t.equal(escapePropertyName('a/b'), 'a__slash__b');
  t.equal(escapePropertyName('a__b'), 'a__underscores__b');
  t.equal(escapePropertyName('namespace'), '__namespace__');
  t.equal(escapePropertyName('plain'), 'plain');
  t.equal(escapePropertyName('has space'), undefined);
  const rule = compileRule('self.spec.max__dash__surge == 2', { vars: ['self'], schemaFor: { self: deploySchema } });
  t.equal(rule.eval({ self: { spec: { 'max-surge': 2 } } }).value, true);
});

t.test('schemaless values: integral numbers are ints', async (t) => {
  t.same(toCelValue({ a: 1, b: 1.5, c: [2], d: null }), { a: 1n, b: 1.5, c: [2n], d: null });
  const rule = compileRule('params.max + 1 == 6', { vars: ['params'] });
  t.equal(rule.eval({ params: { max: 5 } }).value, true);
});

t.test('results convert back', async (t) => {
  t.equal(fromCelValue(5n), 5);
  t.equal(fromCelValue(2n ** 60n), 2n ** 60n, 'unsafe ints stay BigInt');
  t.same(fromCelValue(new Map([['a', [1n]]])), { a: [1] });
  const rule = compileRule('{"n": self.x * 2}', { vars: ['self'] });
  t.same(rule.eval({ self: { x: 21 } }).value, { n: 42 });
});

t.test('celActivation converts once and is reused as-is', async (t) => {
  const act = celActivation({ self: { spec: { replicas: 3 } } }, { self: deploySchema });
  const r1 = compileRule('self.spec.replicas * 2 == 6', { vars: ['self'] });
  const r2 = compileRule('self.spec.replicas - 1 == 2', { vars: ['self'] });
  t.equal(r1.eval(act).value, true);
  t.equal(r2.eval(act).value, true);
});

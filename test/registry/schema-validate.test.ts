import t from 'tap';
import { fieldErrorMessage } from '../../src/errors/status.js';
import type { JSONSchemaProps } from '../../src/registry/types.js';
import { validateObject } from '../../src/registry/schema/index.js';

const msgs = (s: JSONSchemaProps, o: unknown) => validateObject(s, o).map(fieldErrorMessage);
const spec = (props: Record<string, JSONSchemaProps>, extra: Partial<JSONSchemaProps> = {}): JSONSchemaProps =>
  ({ type: 'object', properties: { spec: { type: 'object', properties: props, ...extra } } });

t.test('type errors are worded like kube', async (t) => {
  t.same(msgs(spec({ size: { type: 'integer' } }), { spec: { size: 'big' } }),
    ['spec.size: Invalid value: "string": spec.size in body must be of type integer: "string"']);
  t.same(msgs(spec({ ratio: { type: 'number' } }), { spec: { ratio: 3 } }), [], 'integers are numbers');
  t.same(msgs(spec({ n: { type: 'integer' } }), { spec: { n: 1.5 } }),
    ['spec.n: Invalid value: "number": spec.n in body must be of type integer: "number"']);
  t.same(msgs(spec({ s: { type: 'string' } }), { spec: { s: null } }),
    ['spec.s: Invalid value: "null": spec.s in body must be of type string: "null"']);
  t.same(msgs(spec({ s: { type: 'string', nullable: true } }), { spec: { s: null } }), [], 'nullable');
});

t.test('required, enum, pattern, lengths, bounds', async (t) => {
  t.same(msgs(spec({ x: { type: 'string' } }, { required: ['x'] }), { spec: {} }), ['spec.x: Required value']);
  t.same(msgs(spec({ mode: { type: 'string', enum: ['a', 'b'] } }), { spec: { mode: 'x' } }),
    ['spec.mode: Unsupported value: "x": supported values: "a", "b"']);
  t.same(msgs(spec({ p: { type: 'string', pattern: '^[a-z]+$' } }), { spec: { p: 'A1' } }),
    ['spec.p: Invalid value: "A1": spec.p in body should match \'^[a-z]+$\'']);
  t.same(msgs(spec({ p: { type: 'string', maxLength: 3 } }), { spec: { p: 'abcd' } }),
    ['spec.p: Too long: may not be more than 3 bytes']);
  t.same(msgs(spec({ p: { type: 'string', minLength: 2 } }), { spec: { p: 'a' } }),
    ['spec.p: Invalid value: "a": spec.p in body should be at least 2 chars long']);
  t.same(msgs(spec({ r: { type: 'integer', minimum: 0 } }), { spec: { r: -1 } }),
    ['spec.r: Invalid value: -1: spec.r in body should be greater than or equal to 0']);
  t.same(msgs(spec({ r: { type: 'integer', maximum: 5, exclusiveMaximum: true } }), { spec: { r: 5 } }),
    ['spec.r: Invalid value: 5: spec.r in body should be less than 5']);
  t.same(msgs(spec({ r: { type: 'integer', multipleOf: 2 } }), { spec: { r: 3 } }),
    ['spec.r: Invalid value: 3: spec.r in body should be a multiple of 2']);
  t.same(msgs(spec({ l: { type: 'array', items: { type: 'string' }, maxItems: 1 } }), { spec: { l: ['a', 'b'] } }),
    ['spec.l: Too many: 2: must have at most 1 item']);
  t.same(msgs(spec({ l: { type: 'array', items: { type: 'string' }, minItems: 1 } }), { spec: { l: [] } }),
    ['spec.l: Invalid value: []interface {}{...}: spec.l in body should have at least 1 items']);
  t.same(msgs(spec({ m: { type: 'object', additionalProperties: { type: 'string' }, maxProperties: 1 } }), { spec: { m: { a: '1', b: '2' } } }),
    ['spec.m: Too many: 2: must have at most 1 item']);
});

t.test('formats', async (t) => {
  const s = spec({
    t: { type: 'string', format: 'date-time' }, b: { type: 'string', format: 'byte' },
    u: { type: 'string', format: 'uuid' }, i: { type: 'integer', format: 'int32' }, x: { type: 'string', format: 'unknown-format' },
  });
  t.same(msgs(s, { spec: { t: '2024-01-02T03:04:05Z', b: 'aGVsbG8=', u: '123e4567-e89b-12d3-a456-426614174000', i: 7, x: 'anything' } }), []);
  t.same(msgs(s, { spec: { t: 'yesterday' } }), ['spec.t: Invalid value: "yesterday": spec.t in body must be of type date-time: "yesterday"']);
  t.same(msgs(s, { spec: { b: 'not base64!' } }), ['spec.b: Invalid value: "not base64!": spec.b in body must be of type byte: "not base64!"']);
  t.same(msgs(s, { spec: { u: 'nope' } }).length, 1);
  t.same(msgs(s, { spec: { i: 2 ** 31 } }), ['spec.i: Invalid value: 2147483648: spec.i in body must be of type int32: "2147483648"']);
});

t.test('nested paths use [i] for list items and .key for map entries', async (t) => {
  const s = spec({
    containers: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } },
    m: { type: 'object', additionalProperties: { type: 'integer' } },
  });
  t.same(msgs(s, { spec: { containers: [{ name: 'a' }, {}], m: { k: 'x' } } }), [
    'spec.containers[1].name: Required value',
    'spec.m.k: Invalid value: "string": spec.m.k in body must be of type integer: "string"',
  ]);
});

t.test('int-or-string', async (t) => {
  const s = spec({ port: { 'x-kubernetes-int-or-string': true } });
  t.same(msgs(s, { spec: { port: 80 } }), []);
  t.same(msgs(s, { spec: { port: 'http' } }), []);
  t.equal(msgs(s, { spec: { port: true } }).length, 1);
});

t.test('list types: set and map duplicates', async (t) => {
  const s = spec({
    tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
    ports: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['port', 'protocol'],
      items: { type: 'object', properties: { port: { type: 'integer' }, protocol: { type: 'string' } } } },
  });
  const errs = validateObject(s, { spec: { tags: ['a', 'b', 'a'], ports: [{ port: 80, protocol: 'TCP' }, { port: 80, protocol: 'UDP' }, { port: 80, protocol: 'TCP' }] } });
  t.same(errs.map((e) => [e.type, e.field]), [['FieldValueDuplicate', 'spec.tags[2]'], ['FieldValueDuplicate', 'spec.ports[2]']]);
  t.equal(fieldErrorMessage(errs[0]), 'spec.tags[2]: Duplicate value: "a"');
  t.same(errs[1].value, { port: 80, protocol: 'TCP' });
});

t.test('embedded resources need apiVersion and kind', async (t) => {
  const s = spec({ obj: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true } });
  t.same(msgs(s, { spec: { obj: { metadata: {} } } }), [
    'spec.obj.apiVersion: Required value: must not be empty', 'spec.obj.kind: Required value: must not be empty',
  ]);
  t.same(msgs(s, { spec: { obj: { apiVersion: 'v1', kind: 'ConfigMap' } } }), []);
});

t.test('additionalProperties false and combinators', async (t) => {
  t.same(msgs(spec({}, { additionalProperties: false }), { spec: { x: 1 } }),
    ['spec.x: Invalid value: 1: spec.x in body is a forbidden property']);
  const any: JSONSchemaProps = spec({ v: { 'x-kubernetes-preserve-unknown-fields': true, anyOf: [{ type: 'number' }, { type: 'string' }] } });
  t.same(msgs(any, { spec: { v: '1Gi' } }), []);
  t.same(msgs(any, { spec: { v: [] } }).length, 1);
});

t.test('lengths count runes (a surrogate pair is one), int64 bounds', async (t) => {
  const s = spec({ p: { type: 'string', maxLength: 3, minLength: 2 } });
  t.same(msgs(s, { spec: { p: '😀😀😀' } }), [], 'three runes in six UTF-16 units fit maxLength 3');
  t.same(msgs(s, { spec: { p: '😀😀😀😀' } }), ['spec.p: Too long: may not be more than 3 bytes']);
  t.same(msgs(s, { spec: { p: '😀' } }), ['spec.p: Invalid value: "😀": spec.p in body should be at least 2 chars long'], 'one rune in two units is below minLength 2');
  t.same(msgs(s, { spec: { p: 'é€' } }), []);
  t.same(msgs(s, { spec: { p: '\ud800x' } }), [], 'a lone surrogate counts as one');
  const n = spec({ n: { type: 'integer', format: 'int64' } });
  t.same(msgs(n, { spec: { n: Number.MAX_SAFE_INTEGER } }), []);
  t.same(msgs(n, { spec: { n: -(2 ** 63) } }), [], 'the smallest int64');
  t.equal(msgs(n, { spec: { n: 2 ** 63 } }).length, 1, '2^63 is out of range');
  t.equal(msgs(n, { spec: { n: 1e300 } }).length, 1);
});

t.test('scalar list items: wrong ones are still reported at their index', async (t) => {
  const s = spec({
    names: { type: 'array', items: { type: 'string' } },
    scores: { type: 'array', items: { type: 'integer', format: 'int64' } },
    small: { type: 'array', items: { type: 'integer', format: 'int32' } },
    tags: { type: 'array', items: { type: 'string', maxLength: 2 } },
  });
  t.same(msgs(s, { spec: { names: ['a', 'b'], scores: [1, -2, 3], small: [1], tags: ['ok'] } }), []);
  t.same(msgs(s, { spec: { names: ['a', 7] } }), ['spec.names[1]: Invalid value: "integer": spec.names[1] in body must be of type string: "integer"']);
  t.same(msgs(s, { spec: { scores: [1, 2.5] } }), ['spec.scores[1]: Invalid value: "number": spec.scores[1] in body must be of type integer: "number"']);
  t.same(msgs(s, { spec: { small: [0, 2 ** 31] } }), ['spec.small[1]: Invalid value: 2147483648: spec.small[1] in body must be of type int32: "2147483648"']);
  t.same(msgs(s, { spec: { tags: ['ok', 'long'] } }), ['spec.tags[1]: Too long: may not be more than 2 bytes']);
  t.same(msgs(s, { spec: { names: [null] } }), ['spec.names[0]: Invalid value: "null": spec.names[0] in body must be of type string: "null"']);
});

/**
 * optionalOldSelf rules with ordering operators. oldSelf used to be declared `dyn`, and cel-js then
 * refused `oldSelf.value() >= self` at compile time (an operator overload ambiguity); it is now
 * declared `optional<T>` of the node's type. Table: type × operator × create/update.
 */
import t from 'tap';
import { createSchemaRuleValidator, validateSchemaRules } from '../../../src/admission/schema-rules/index.js';
import { fieldErrorMessage } from '../../../src/errors/status.js';
import type { JSONSchemaProps, ResourceDef } from '../../../src/registry/types.js';

function defWith(field: JSONSchemaProps): ResourceDef {
  return {
    group: 'example.com', version: 'v1', resource: 'widgets', kind: 'Widget', listKind: 'WidgetList', singular: 'widget',
    namespaced: true, verbs: [], subresources: {}, printerColumns: [], builtin: false, source: 'crd:test',
    schema: { type: 'object', properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' },
      spec: { type: 'object', properties: { v: field } } } },
  };
}
const obj = (v: unknown) => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: v === undefined ? {} : { v } });
const validate = createSchemaRuleValidator();

interface Row { type: JSONSchemaProps; rule: string; old?: unknown; next: unknown; ok: boolean }
const int: JSONSchemaProps = { type: 'integer' };
const num: JSONSchemaProps = { type: 'number' };
const str: JSONSchemaProps = { type: 'string' };
const rows: Row[] = [
  // the reported rule: never decrease
  { type: int, rule: 'oldSelf.value() <= self', old: 3, next: 4, ok: true },
  { type: int, rule: 'oldSelf.value() <= self', old: 3, next: 3, ok: true },
  { type: int, rule: 'oldSelf.value() <= self', old: 3, next: 2, ok: false },
  { type: int, rule: 'oldSelf.value() >= self', old: 3, next: 2, ok: true },
  { type: int, rule: 'oldSelf.value() >= self', old: 3, next: 4, ok: false },
  { type: int, rule: 'oldSelf.value() < self', old: 3, next: 4, ok: true },
  { type: int, rule: 'oldSelf.value() < self', old: 3, next: 3, ok: false },
  { type: int, rule: 'self > oldSelf.value()', old: 3, next: 3, ok: false },
  { type: int, rule: 'self > oldSelf.value()', old: 3, next: 9, ok: true },
  // guarded: runs on create too (no old value)
  { type: int, rule: '!oldSelf.hasValue() || oldSelf.value() <= self', next: 1, ok: true },
  { type: int, rule: '!oldSelf.hasValue() || oldSelf.value() <= self', old: 5, next: 1, ok: false },
  { type: int, rule: 'oldSelf.hasValue() ? oldSelf.value() < self : self >= 10', next: 9, ok: false },
  { type: int, rule: 'oldSelf.hasValue() ? oldSelf.value() < self : self >= 10', next: 10, ok: true },
  { type: int, rule: 'oldSelf.orValue(0) <= self', next: 0, ok: true },
  { type: int, rule: 'oldSelf.orValue(0) <= self', old: 2, next: 1, ok: false },
  // literals and mixed numeric comparisons
  { type: int, rule: 'oldSelf.value() >= 5 || self >= 5', old: 1, next: 1, ok: false },
  { type: int, rule: 'oldSelf.value() >= 5.0 || self >= 5', old: 6, next: 1, ok: true },
  { type: num, rule: 'oldSelf.value() <= self', old: 1.5, next: 1.25, ok: false },
  { type: num, rule: 'oldSelf.value() <= self', old: 1.5, next: 2.5, ok: true },
  { type: str, rule: 'oldSelf.value() <= self', old: 'b', next: 'a', ok: false },
  { type: str, rule: 'oldSelf.value() <= self', old: 'b', next: 'c', ok: true },
  { type: str, rule: '!oldSelf.hasValue() || oldSelf.value().size() >= self.size()', old: 'abc', next: 'abcd', ok: false },
  // formatted strings and int-or-string stay dyn
  { type: { type: 'string', format: 'date-time' }, rule: '!oldSelf.hasValue() || oldSelf.value() < self', old: '2024-01-01T00:00:00Z', next: '2023-01-01T00:00:00Z', ok: false },
  { type: { type: 'string', format: 'date-time' }, rule: '!oldSelf.hasValue() || oldSelf.value() < self', old: '2024-01-01T00:00:00Z', next: '2025-01-01T00:00:00Z', ok: true },
  { type: { 'x-kubernetes-int-or-string': true }, rule: '!oldSelf.hasValue() || oldSelf.value() == self', old: 1, next: 'a', ok: false },
];

t.test('optionalOldSelf ordering rules compile and evaluate', async (t) => {
  for (const r of rows) {
    const field: JSONSchemaProps = { ...r.type, 'x-kubernetes-validations': [{ rule: r.rule, optionalOldSelf: true, message: 'nope' }] };
    const def = defWith(field);
    const name = `${JSON.stringify(r.type)} ${r.rule} old=${JSON.stringify(r.old)} new=${JSON.stringify(r.next)}`;
    t.same(validateSchemaRules(def.schema), [], `${name}: compiles`);
    const errs = validate(def, obj(r.next), r.old === undefined ? undefined : obj(r.old)).map(fieldErrorMessage);
    if (r.ok) t.same(errs, [], `${name}: allowed`);
    else t.match(errs, [/^spec\.v: Invalid value: "\w*": nope$/], `${name}: refused`);
  }
});

t.test('object nodes: oldSelf is an optional map', async (t) => {
  const spec: JSONSchemaProps = { type: 'object', properties: { n: { type: 'integer' } },
    'x-kubernetes-validations': [{ rule: "!oldSelf.hasValue() || !('n' in oldSelf.value()) || oldSelf.value().n <= self.n", optionalOldSelf: true, message: 'n may not shrink' }] };
  const def: ResourceDef = { ...defWith(int), schema: { type: 'object', properties: { spec } } };
  t.same(validateSchemaRules(def.schema), []);
  t.same(validate(def, { spec: { n: 1 } } as never, undefined), []);
  t.same(validate(def, { spec: { n: 2 } } as never, { spec: { n: 1 } } as never), []);
  t.same(validate(def, { spec: { n: 0 } } as never, { spec: { n: 1 } } as never).map(fieldErrorMessage), ['spec: Invalid value: "object": n may not shrink']);
});

t.test('type errors are still refused at CRD time', async (t) => {
  const errs = validateSchemaRules({ type: 'object', properties: { v: { type: 'integer',
    'x-kubernetes-validations': [{ rule: 'oldSelf.value() >= "a"', optionalOldSelf: true }] } } });
  t.equal(errs.length, 1);
  t.match(errs[0].detail, /compilation failed: .*no such overload: int >= string/);
});

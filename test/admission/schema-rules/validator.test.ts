import t from 'tap';
import { createSchemaRuleValidator, validateSchemaRules, withRuleCompilation } from '../../../src/admission/schema-rules/index.js';
import { fieldErrorMessage } from '../../../src/errors/status.js';
import type { JSONSchemaProps, ResourceDef, ValidationRule } from '../../../src/registry/types.js';
import { customResourceDefinitionDef } from '../../../src/registry/builtin/apiextensions.js';

function defWith(spec: JSONSchemaProps, rootRules?: ValidationRule[]): ResourceDef {
  return {
    group: 'example.com', version: 'v1', resource: 'widgets', kind: 'Widget', listKind: 'WidgetList', singular: 'widget',
    namespaced: true, verbs: [], subresources: {}, printerColumns: [], builtin: false, source: 'crd:test',
    schema: { type: 'object', properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, spec },
      ...(rootRules ? { 'x-kubernetes-validations': rootRules } : {}) },
  };
}
const obj = (spec: unknown, name = 'w1') => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name, labels: { a: 'b' } }, spec });
const msgs = (errs: ReturnType<ReturnType<typeof createSchemaRuleValidator>>) => errs.map(fieldErrorMessage);
const validate = createSchemaRuleValidator();

t.test('int arithmetic on integer fields and the default message', async (t) => {
  const def = defWith({ type: 'object', properties: { replicas: { type: 'integer' } }, 'x-kubernetes-validations': [{ rule: 'self.replicas + 1 <= 10' }] });
  t.same(validate(def, obj({ replicas: 9 }), undefined), []);
  t.same(msgs(validate(def, obj({ replicas: 10 }), undefined)), ['spec: Invalid value: "object": failed rule: self.replicas + 1 <= 10']);
});

t.test('transition rules run only on update with an old value', async (t) => {
  const def = defWith({ type: 'object', properties: { mode: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'mode is immutable' }] } } });
  t.same(validate(def, obj({ mode: 'a' }), undefined), [], 'create: skipped');
  t.same(validate(def, obj({ mode: 'a' }), obj({ mode: 'a' })), []);
  t.same(msgs(validate(def, obj({ mode: 'b' }), obj({ mode: 'a' }))), ['spec.mode: Invalid value: "string": mode is immutable']);
  t.same(validate(def, obj({ mode: 'b' }), obj({})), [], 'no old value: skipped');
});

t.test('optionalOldSelf runs on create with oldSelf optional', async (t) => {
  const def = defWith({ type: 'object', properties: { size: { type: 'integer', 'x-kubernetes-validations': [
    { rule: '!oldSelf.hasValue() || oldSelf.value() == self', optionalOldSelf: true, message: 'frozen' },
    { rule: 'oldSelf.hasValue() || self < 100', optionalOldSelf: true, message: 'too big to start' },
  ] } } });
  t.same(msgs(validate(def, obj({ size: 200 }), undefined)), ['spec.size: Invalid value: "integer": too big to start']);
  t.same(validate(def, obj({ size: 200 }), obj({ size: 200 })), []);
  t.same(msgs(validate(def, obj({ size: 3 }), obj({ size: 2 }))), ['spec.size: Invalid value: "integer": frozen']);
});

t.test('messageExpression, reason and fieldPath', async (t) => {
  const def = defWith({ type: 'object', properties: { min: { type: 'integer' }, max: { type: 'integer' } }, 'x-kubernetes-validations': [
    { rule: 'self.min <= self.max', messageExpression: '"min " + string(self.min) + " exceeds max " + string(self.max)', fieldPath: '.min' },
    { rule: 'self.max < 100', reason: 'FieldValueForbidden', message: 'max too large' },
    { rule: 'has(self.min)', reason: 'FieldValueRequired', message: 'min is required' },
    { rule: 'self.max != 50', reason: 'FieldValueDuplicate' },
    { rule: 'false', messageExpression: '""', message: 'fallback used' },
  ] });
  const errs = validate(def, obj({ min: 60, max: 50 }), undefined);
  t.same(errs.map((e) => e.type), ['FieldValueInvalid', 'FieldValueDuplicate', 'FieldValueInvalid']);
  t.same(msgs(errs), ['spec.min: Invalid value: "object": min 60 exceeds max 50', 'spec: Duplicate value: "object"', 'spec: Invalid value: "object": fallback used']);
  const e2 = validate(def, obj({ max: 200 }), undefined);
  t.same(e2.map((e) => [e.type, e.field, e.detail]).slice(1, 3), [['FieldValueForbidden', 'spec', 'max too large'], ['FieldValueRequired', 'spec', 'min is required']]);
});

t.test('root rules see only name and generateName of metadata', async (t) => {
  const def = defWith({ type: 'object' }, [{ rule: "self.metadata.name.startsWith('w') && !has(self.metadata.labels)" }]);
  t.same(validate(def, obj({}, 'w1'), undefined), []);
  t.same(msgs(validate(def, obj({}, 'x1'), undefined)), [`<nil>: Invalid value: "object": failed rule: self.metadata.name.startsWith('w') && !has(self.metadata.labels)`]);
});

t.test('cost: per-call limit and per-object budget stop evaluation with kube wording', async (t) => {
  const def = defWith({ type: 'object', properties: { l: { type: 'array', items: { type: 'integer' } } }, 'x-kubernetes-validations': [
    { rule: 'self.l.all(x, self.l.all(y, x + y >= 0))' }, { rule: 'false' },
  ] });
  const big = obj({ l: Array.from({ length: 2000 }, (_, i) => i) });
  const errs = validate(def, big, undefined);
  t.equal(errs.length, 1, 'no further rules after a cost failure');
  t.match(errs[0].detail, /^'operation cancelled: actual cost limit exceeded': no further validation rules will be run due to call cost exceeds limit for rule: self.l.all/);
  const small = createSchemaRuleValidator({ perObjectBudget: 500 });
  const e2 = small(def, obj({ l: Array.from({ length: 40 }, (_, i) => i) }), undefined);
  t.match(e2.map((e) => e.detail), [/running out of cost budget/]);
});

t.test('runtime errors become field errors, never throws', async (t) => {
  const def = defWith({ type: 'object', properties: { x: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } }, 'x-kubernetes-validations': [{ rule: 'self.x.missing == 1' }] });
  const errs = validate(def, obj({ x: {} }), undefined);
  t.equal(errs.length, 1);
  t.match(errs[0].detail, /evaluating rule: self.x.missing == 1$/);
});

t.test('validateSchemaRules reports rules that do not compile', async (t) => {
  const schema: JSONSchemaProps = { type: 'object', properties: { spec: { type: 'object', properties: { n: { type: 'integer' } }, 'x-kubernetes-validations': [
    { rule: 'self.n + "a" > 1' }, { rule: '"not a bool"' }, { rule: 'self.n > 1', messageExpression: 'self.n +' }, { rule: 'self.n > 1', fieldPath: 'n' }, { rule: 'self.n > 0' },
  ] } } };
  const errs = validateSchemaRules(schema);
  t.same(errs.map((e) => e.field), [
    'openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule',
    'openAPIV3Schema.properties[spec].x-kubernetes-validations[1].rule',
    'openAPIV3Schema.properties[spec].x-kubernetes-validations[2].messageExpression',
    'openAPIV3Schema.properties[spec].x-kubernetes-validations[3].fieldPath',
  ]);
  t.match(errs[0].detail, /^compilation failed: ERROR: <input>:1:1: no such overload/);
  t.match(errs[1].detail, /must evaluate to a bool/);
});

t.test('validateSchemaRules walks a schema deeper than the call stack, in schema order', async (t) => {
  // the structural check alone measures depth (and refuses past 1 000 levels); this walk must not
  // overflow or skip on such a schema, and a deep broken rule is still named
  const DEPTH = 20_000;
  const leaf: JSONSchemaProps = { type: 'integer', 'x-kubernetes-validations': [{ rule: 'self + "a" > 1' }] };
  let schema: JSONSchemaProps = leaf;
  for (let i = 0; i < DEPTH; i++) schema = { type: 'object', properties: { a: schema } };
  const errs = validateSchemaRules(schema);
  t.equal(errs.length, 1);
  t.ok(errs[0].field.endsWith('.properties[a].x-kubernetes-validations[0].rule'));
  t.equal(errs[0].field.split('.properties[a]').length - 1, DEPTH);

  const wide: JSONSchemaProps = { type: 'object', properties: {
    p: { type: 'object', properties: { q: { type: 'integer', 'x-kubernetes-validations': [{ rule: '1' }] } } },
    r: { type: 'array', items: { type: 'string', 'x-kubernetes-validations': [{ rule: '2' }] } },
    s: { type: 'object', additionalProperties: { type: 'string', 'x-kubernetes-validations': [{ rule: '3' }] } },
  }, 'x-kubernetes-validations': [{ rule: '0' }] };
  t.same(validateSchemaRules(wide).map((e) => e.field), [
    'openAPIV3Schema.x-kubernetes-validations[0].rule',
    'openAPIV3Schema.properties[p].properties[q].x-kubernetes-validations[0].rule',
    'openAPIV3Schema.properties[r].items.x-kubernetes-validations[0].rule',
    'openAPIV3Schema.properties[s].additionalProperties.x-kubernetes-validations[0].rule',
  ]);
});

t.test('withRuleCompilation refuses a CRD whose rule does not compile', async (t) => {
  const def = withRuleCompilation(customResourceDefinitionDef());
  const crd = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
    spec: { group: 'example.com', scope: 'Namespaced', names: { plural: 'widgets', kind: 'Widget' }, versions: [{ name: 'v1', served: true, storage: true,
      schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', 'x-kubernetes-validations': [{ rule: 'self.a ==' }] } } } } }] } };
  const ctx = { cluster: 'root', namespace: '', user: { name: 'a', groups: [] }, dryRun: false, subresource: '' };
  const errs = await def.strategy!.validate!(crd, ctx);
  t.ok(errs.some((e) => e.field === 'spec.versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule'), JSON.stringify(errs));
});

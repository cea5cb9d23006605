/**
 * The SchemaRuleValidator: evaluates every `x-kubernetes-validations` rule of a def's schema
 * against an object (and its old version on update), with kube's semantics — transition rules
 * only when an old value exists (optionalOldSelf: always, oldSelf optional), messageExpression,
 * reason → cause type, fieldPath, schema-typed ints, and one cost budget per object.
 */
import { Optional } from '@marcbachmann/cel-js';
import { CelCostError, KUBE_COST_LIMITS, celActivation, toCelValue, type CelSchema } from '../../cel/index.js';
import type { FieldError } from '../../errors/status.js';
import type { SchemaRuleValidator } from '../../registry/hooks.js';
import { forEachValidationRule } from '../../registry/schema/walk.js';
import type { JSONSchemaProps, ResourceDef } from '../../registry/types.js';
import type { KubeObject } from '../../storage/types.js';
import { compiledRulesFor, type CompiledValidation } from './compile.js';
import { joinFieldPath } from './field-path.js';
import { fieldErrorForReason, ruleErrorString, ruleMessageOrDefault, usableMessage } from './messages.js';

export interface SchemaRuleOptions {
  /** Budget for all rules of one object (kube's RuntimeCELCostBudget, 10M). */
  perObjectBudget?: number;
  /** Budget for one rule evaluation (kube's PerCallLimit, 1M). */
  perCallLimit?: number;
}

/**
 * Schema errors after which the object lacks the shape its rules were written for (wrong type,
 * missing required field, bad enum value, too long / too many): kube's hasBlockingErr.
 */
const BLOCKING = new Set<FieldError['type']>(['FieldValueNotSupported', 'FieldValueRequired', 'FieldValueTooLong', 'FieldValueTooMany', 'FieldValueTypeInvalid']);
/** kube's `field.Invalid(nil, nil, …)`: path `<nil>`, value "null". */
const NOT_CHECKED: FieldError = {
  type: 'FieldValueInvalid', field: '<nil>', value: 'null',
  detail: 'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
};

const OUT_OF_BUDGET = 'validation failed due to running out of cost budget, no further validation rules will be run';

export function createSchemaRuleValidator(opts: SchemaRuleOptions = {}): SchemaRuleValidator {
  const perObject = opts.perObjectBudget ?? KUBE_COST_LIMITS.runtimeBudgetPerObject;
  const perCall = opts.perCallLimit ?? KUBE_COST_LIMITS.perCallLimit;
  return (def: ResourceDef, obj: KubeObject, old: KubeObject | undefined, prior: readonly FieldError[] = []): FieldError[] => {
    const schema = def.schema;
    if (!schema || !hasRules(schema)) return [];
    if (prior.some((e) => BLOCKING.has(e.type))) return [NOT_CHECKED];
    const errs: FieldError[] = [];
    let remaining = perObject;
    let stopped = false;
    forEachValidationRule(schema, obj, old, (node, value, oldValue, path) => {
      if (stopped) return;
      const isRoot = path === '';
      const basePath = isRoot ? '<nil>' : path;
      const type = node.type ?? (isRoot ? 'object' : '');
      const rules = compiledRulesFor(node, isRoot);
      let act: Record<string, unknown> | undefined;
      for (const cr of rules) {
        if (stopped) return;
        const hasOld = oldValue !== undefined;
        if (cr.transition && !hasOld && !cr.rule.optionalOldSelf) continue;
        const field = cr.fieldPath ? joinFieldPath(isRoot ? '' : path, cr.fieldPath) : basePath;
        if (!cr.program) {
          errs.push({ type: 'FieldValueInvalid', field, value: type, detail: `rule compile error: ${cr.compileError?.summary ?? 'unknown'}` });
          continue;
        }
        act ??= activation(node, isRoot ? rootView(value) : value, isRoot ? rootView(oldValue) : oldValue);
        const a = cr.rule.optionalOldSelf ? optionalActivation(node, act, oldValue, isRoot) : act;
        const budget = Math.min(perCall, remaining);
        const res = cr.program.eval(a, { costBudget: budget });
        if (res.error) {
          if (res.error instanceof CelCostError) {
            stopped = true;
            errs.push({ type: 'FieldValueInvalid', field, value: type, detail: budget < perCall ? OUT_OF_BUDGET
              : `'${res.error.summary}': no further validation rules will be run due to call cost exceeds limit for rule: ${ruleErrorString(cr.rule)}` });
            return;
          }
          const text = res.error.summary;
          errs.push({ type: 'FieldValueInvalid', field, value: type, detail: text.startsWith('no such overload')
            ? `'${text}': call arguments did not match a supported operator, function or macro signature for rule: ${ruleErrorString(cr.rule)}`
            : `${text} evaluating rule: ${ruleErrorString(cr.rule)}` });
          continue;
        }
        remaining -= res.cost;
        if (res.value === true) continue;
        const detail = failureMessage(cr, a, Math.min(perCall, remaining), (c) => { remaining -= c; });
        errs.push(fieldErrorForReason(field, type, detail, cr.rule.reason));
        if (remaining <= 0) { stopped = true; errs.push({ type: 'FieldValueInvalid', field, value: type, detail: OUT_OF_BUDGET }); }
      }
    });
    return errs;
  };
}

/** The message of a rule that evaluated to false: messageExpression when usable, else message/default. */
function failureMessage(cr: CompiledValidation, act: Record<string, unknown>, budget: number, spend: (c: number) => void): string {
  if (cr.messageProgram) {
    const r = cr.messageProgram.eval(act, { costBudget: budget });
    if (!r.error) {
      spend(r.cost);
      const m = usableMessage(r.value);
      if (m) return m;
    }
  }
  return ruleMessageOrDefault(cr.rule);
}

function activation(node: JSONSchemaProps, value: unknown, oldValue: unknown): Record<string, unknown> {
  const schema = node as CelSchema;
  const raw: Record<string, unknown> = { self: value };
  if (oldValue !== undefined) raw.oldSelf = oldValue;
  return celActivation(raw, { self: schema, oldSelf: schema });
}

/** optionalOldSelf: `oldSelf` is an optional (none on create). */
function optionalActivation(node: JSONSchemaProps, act: Record<string, unknown>, oldValue: unknown, isRoot: boolean): Record<string, unknown> {
  const out = celActivation({ self: undefined }, {});
  out.self = act.self;
  out.oldSelf = oldValue === undefined ? Optional.none() : Optional.of(toCelValue(isRoot ? rootView(oldValue) : oldValue, node as CelSchema));
  return out;
}

const withRules = new WeakMap<JSONSchemaProps, boolean>();

/** Whether any node of a schema has rules (cached), so built-in types skip the object walk. */
function hasRules(s: JSONSchemaProps): boolean {
  let v = withRules.get(s);
  if (v === undefined) {
    const kids = [...Object.values(s.properties ?? {}), ...(typeof s.additionalProperties === 'object' ? [s.additionalProperties] : []), ...(s.items ? [s.items] : [])];
    v = !!s['x-kubernetes-validations']?.length || kids.some((k) => k && typeof k === 'object' && hasRules(k));
    withRules.set(s, v);
  }
  return v;
}

/** From the root only apiVersion, kind, metadata.name and metadata.generateName are visible. */
function rootView(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  const o = v as Record<string, unknown>;
  const meta = (o.metadata ?? {}) as Record<string, unknown>;
  const m: Record<string, unknown> = {};
  if (meta.name !== undefined) m.name = meta.name;
  if (meta.generateName !== undefined) m.generateName = meta.generateName;
  return { ...o, metadata: m };
}

/**
 * CRD-time checks of `x-kubernetes-validations`: every rule and messageExpression must compile
 * (and a rule must be a bool), fieldPath must parse and optionalOldSelf needs a transition rule,
 * so a CRD with a broken rule is refused when it is created — not when the first object meets it.
 */
import type { FieldError } from '../../errors/status.js';
import type { JSONSchemaProps, ResourceDef, Strategy } from '../../registry/types.js';
import type { KubeObject } from '../../storage/types.js';
import { compiledRulesFor } from './compile.js';

/**
 * Compiles every rule under `schema`; field paths are reported under `basePath`. The walk keeps its
 * own stack: a schema may nest deeper than the call stack reaches, and the structural check
 * (registry/schema/structural.ts) is what measures the depth and refuses such a schema, once per
 * write; this walk need not measure it again.
 */
export function validateSchemaRules(schema: JSONSchemaProps | undefined, basePath = 'openAPIV3Schema'): FieldError[] {
  const errs: FieldError[] = [];
  if (!schema || typeof schema !== 'object') return errs;
  const stack: Array<[JSONSchemaProps, string]> = [[schema, basePath]];
  while (stack.length) {
    const [s, path] = stack.pop()!;
    checkRules(s, path, s === schema, errs);
    // pushed in reverse so errors come in schema order: properties, additionalProperties, items
    const next: Array<[JSONSchemaProps, string]> = [];
    for (const [k, p] of Object.entries(s.properties ?? {})) if (p && typeof p === 'object') next.push([p, `${path}.properties[${k}]`]);
    if (s.additionalProperties && typeof s.additionalProperties === 'object') next.push([s.additionalProperties, `${path}.additionalProperties`]);
    if (s.items && typeof s.items === 'object' && !Array.isArray(s.items)) next.push([s.items, `${path}.items`]);
    for (let i = next.length - 1; i >= 0; i--) stack.push(next[i]!);
  }
  return errs;
}

function checkRules(s: JSONSchemaProps, path: string, isRoot: boolean, errs: FieldError[]): void {
  if (!Array.isArray(s['x-kubernetes-validations'])) return;
  compiledRulesFor(s, isRoot).forEach((cr, i) => {
    const at = `${path}.x-kubernetes-validations[${i}]`;
    if (cr.compileError) errs.push({ type: 'FieldValueInvalid', field: `${at}.rule`, value: cr.rule.rule, detail: `compilation failed: ${cr.compileError.message}` });
    if (cr.messageError) errs.push({ type: 'FieldValueInvalid', field: `${at}.messageExpression`, value: cr.rule.messageExpression, detail: `messageExpression compilation failed: ${cr.messageError.message}` });
    if (cr.fieldPathError) errs.push({ type: 'FieldValueInvalid', field: `${at}.fieldPath`, value: cr.rule.fieldPath, detail: cr.fieldPathError });
    if (cr.rule.optionalOldSelf && !cr.transition) errs.push({ type: 'FieldValueForbidden', field: `${at}.optionalOldSelf`, detail: 'may not be set if oldSelf is not used in rule' });
  });
}

/** All version schemas of a CRD object, with kube's field path for each. */
export function validateCrdRules(crd: KubeObject): FieldError[] {
  const versions = (crd.spec?.versions ?? []) as Array<{ schema?: { openAPIV3Schema?: JSONSchemaProps } }>;
  return versions.flatMap((v, i) => validateSchemaRules(v?.schema?.openAPIV3Schema, `spec.versions[${i}].schema.openAPIV3Schema`));
}

/** kcp's APIResourceSchema keeps each version's schema directly in `spec.versions[].schema`. */
export function validateAPIResourceSchemaRules(schema: KubeObject): FieldError[] {
  const versions = (schema.spec?.versions ?? []) as Array<{ schema?: JSONSchemaProps }>;
  return versions.flatMap((v, i) => validateSchemaRules(v?.schema, `spec.versions[${i}].schema`));
}

/**
 * Wraps a schema-carrying def's strategy (CRDs; kcp's APIResourceSchemas with
 * `validateAPIResourceSchemaRules`) so create and update also refuse rules that do not compile.
 * Wiring: `if (d.group === 'apiextensions.k8s.io' && d.resource === 'customresourcedefinitions') return withRuleCompilation(d);`
 */
export function withRuleCompilation(def: ResourceDef, rulesOf: (obj: KubeObject) => FieldError[] = validateCrdRules): ResourceDef {
  const inner: Strategy = def.strategy ?? {};
  const strategy: Strategy = {
    ...inner,
    async validate(obj, ctx) {
      return [...((await inner.validate?.(obj, ctx)) ?? []), ...rulesOf(obj)];
    },
    async validateUpdate(obj, old, ctx) {
      return [...((await inner.validateUpdate?.(obj, old, ctx)) ?? []), ...rulesOf(obj)];
    },
  };
  return { ...def, strategy };
}

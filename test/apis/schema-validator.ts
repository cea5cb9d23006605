/**
 * A small validator for the generated CRD schemas, enough to check example objects (docs/api.md)
 * and rule behaviour in tests: types, required fields, enums, minimum, pattern, unknown fields
 * (a CRD prunes them; here they are errors, since an example with one is wrong) and the
 * x-kubernetes-validations rules, evaluated with cel-js (`oldSelf` only when an old object is
 * given, as Kubernetes does for transition rules). Defaults are applied first, as the API server
 * does before validation.
 */
import { Environment } from '@marcbachmann/cel-js';

type Schema = Record<string, any>;

const env = new Environment({ unlistedVariablesAreDyn: false })
  .registerVariable('self', 'dyn')
  .registerVariable('oldSelf', 'dyn');

/** Parse a rule the way the schemas' rules must parse: throws on a syntax or type error. */
export function compileRule(rule: string): (ctx: Record<string, unknown>) => unknown {
  const parsed = env.parse(rule);
  const checked = parsed.check();
  if (!checked.valid) throw checked.error ?? new Error(`rule does not type-check: ${rule}`);
  return (ctx) => parsed(ctx);
}

const isTransition = (rule: string): boolean => /\boldSelf\b/.test(rule);

/** Apply schema defaults in place (objects only: defaults of absent fields). */
export function applyDefaults(value: unknown, schema: Schema): unknown {
  if (Array.isArray(value) && schema['items']) return value.map((v) => applyDefaults(v, schema['items']));
  if (value && typeof value === 'object' && schema['properties']) {
    const obj = value as Record<string, unknown>;
    for (const [k, sub] of Object.entries(schema['properties'] as Record<string, Schema>)) {
      if (obj[k] === undefined && 'default' in sub) obj[k] = structuredClone(sub['default']);
      if (obj[k] !== undefined) obj[k] = applyDefaults(obj[k], sub);
    }
  }
  return value;
}

/** Validation errors of `value` against `schema` (empty = valid); `old` enables transition rules. */
export function validate(value: unknown, schema: Schema, old?: unknown, path = ''): string[] {
  const errs: string[] = [];
  const at = path || '<root>';
  const t = schema['type'];
  const intOrString = schema['x-kubernetes-int-or-string'] === true;
  if (intOrString) {
    if (typeof value !== 'string' && !Number.isInteger(value)) return [`${at}: must be an integer or a string`];
  } else if (t === 'object' && (typeof value !== 'object' || value === null || Array.isArray(value))) return [`${at}: must be an object`];
  else if (t === 'array' && !Array.isArray(value)) return [`${at}: must be an array`];
  else if (t === 'string' && typeof value !== 'string') return [`${at}: must be a string`];
  else if (t === 'integer' && !Number.isInteger(value)) return [`${at}: must be an integer`];
  else if (t === 'boolean' && typeof value !== 'boolean') return [`${at}: must be a boolean`];
  if (schema['enum'] && !schema['enum'].includes(value)) errs.push(`${at}: ${JSON.stringify(value)} not in ${JSON.stringify(schema['enum'])}`);
  if (typeof schema['minimum'] === 'number' && typeof value === 'number' && value < schema['minimum']) errs.push(`${at}: below minimum ${schema['minimum']}`);
  if (typeof schema['maximum'] === 'number' && typeof value === 'number' && value > schema['maximum']) errs.push(`${at}: above maximum ${schema['maximum']}`);
  if (typeof schema['pattern'] === 'string' && typeof value === 'string' && !new RegExp(schema['pattern']).test(value)) errs.push(`${at}: does not match ${schema['pattern']}`);
  if (typeof schema['minLength'] === 'number' && typeof value === 'string' && value.length < schema['minLength']) errs.push(`${at}: shorter than ${schema['minLength']}`);

  if (t === 'object' && value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const oldObj = old && typeof old === 'object' ? (old as Record<string, unknown>) : undefined;
    for (const r of (schema['required'] ?? []) as string[]) if (obj[r] === undefined) errs.push(`${at}.${r}: required`);
    const props = schema['properties'] as Record<string, Schema> | undefined;
    const addl = schema['additionalProperties'] as Schema | undefined;
    for (const [k, v] of Object.entries(obj)) {
      const sub = props?.[k] ?? addl;
      if (!sub) {
        // ObjectMeta is a bare object in a CRD: the API server validates it, not the schema.
        if (!schema['x-kubernetes-preserve-unknown-fields'] && path !== '.metadata') errs.push(`${at}.${k}: unknown field`);
        continue;
      }
      errs.push(...validate(v, sub, oldObj?.[k], `${path}.${k}`));
    }
  }
  if (t === 'array' && Array.isArray(value)) {
    const keys = schema['x-kubernetes-list-map-keys'] as string[] | undefined;
    value.forEach((item, i) => {
      // Transition rules inside list-type map items compare with the old item of the same keys.
      const oldItem = keys && Array.isArray(old)
        ? old.find((o) => keys.every((k) => (o as Record<string, unknown>)?.[k] === (item as Record<string, unknown>)?.[k]))
        : undefined;
      errs.push(...validate(item, schema['items'], oldItem, `${path}[${i}]`));
    });
  }
  for (const r of (schema['x-kubernetes-validations'] ?? []) as Array<{ rule: string; message?: string }>) {
    if (isTransition(r.rule) && old === undefined) continue;
    const ok = compileRule(r.rule)(isTransition(r.rule) ? { self: value, oldSelf: old } : { self: value });
    if (ok !== true) errs.push(`${at}: ${r.message ?? r.rule}`);
  }
  return errs;
}

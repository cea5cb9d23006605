/**
 * validateObject: checks a decoded object against a structural schema the way kube's CR validation
 * does (kube-openapi's schema validator, then apiextensions' conversion to field errors, then the
 * embedded-resource and list-type checks). x-kubernetes-validations (CEL) are NOT evaluated here;
 * see walk.ts for the hook the CEL layer uses.
 */
import type { FieldError } from '../../errors/status.js';
import type { JSONSchemaProps } from '../types.js';
import { tryCompileRegex } from '../../cel/index.js';
import { forbidden, invalid, notSupported, required, tooLong, tooMany, typeInvalid } from './errors.js';
import { satisfiesFormat } from './formats.js';
import { validateListType } from './list-types.js';
import { child, index } from './paths.js';
import { deepEqual, isPlainObject, jsonType } from './values.js';
import { stringifyJSON } from '../../machinery/json-text.js';

export interface ValidateOptions {
  /** Path prefix of the value (default: the root, ''). */
  path?: string;
}

export function validateObject(schema: JSONSchemaProps, obj: unknown, opts: ValidateOptions = {}): FieldError[] {
  const errs: FieldError[] = [];
  validateNode(schema, obj, opts.path ?? '', errs);
  return errs;
}

/** Whether a value has the schema's type; `number` accepts integers, as JSON does. */
function typeMatches(type: NonNullable<JSONSchemaProps['type']>, v: unknown): boolean {
  const actual = jsonType(v);
  return actual === type || (type === 'number' && actual === 'integer');
}

function validateNode(s: JSONSchemaProps, v: unknown, path: string, errs: FieldError[]): void {
  if (v === null || v === undefined) {
    // null is only valid where nullable; untyped nodes (preserve-unknown) accept anything.
    if (!s.nullable && s.type) errs.push(typeInvalid(path, 'null', s.type));
    else if (!s.nullable && s['x-kubernetes-int-or-string']) errs.push(typeInvalid(path, 'null', 'integer,string'));
    return;
  }
  if (s['x-kubernetes-int-or-string']) {
    const t = jsonType(v);
    if (t !== 'integer' && t !== 'string') { errs.push(typeInvalid(path, t, 'integer,string')); return; }
  }
  if (s.type && !typeMatches(s.type, v)) {
    errs.push(typeInvalid(path, jsonType(v), s.type));
    return;
  }
  if (s.format && !satisfiesFormat(s.format, v))
    errs.push(invalid(path, v, `${path} in body must be of type ${s.format}: ${JSON.stringify(String(v))}`));
  if (s.enum && !s.enum.some((e) => deepEqual(e, v))) errs.push(notSupported(path, v, s.enum));

  if (typeof v === 'string') validateString(s, v, path, errs);
  else if (typeof v === 'number') validateNumber(s, v, path, errs);
  else if (Array.isArray(v)) validateArray(s, v, path, errs);
  else if (isPlainObject(v)) validateMap(s, v, path, errs);

  validateCombinators(s, v, path, errs);
}

function validateString(s: JSONSchemaProps, v: string, path: string, errs: FieldError[]): void {
  // kube counts runes, not UTF-16 units; a rune is one or two units, so the unit count settles
  // most cases without walking the string.
  if (s.maxLength !== undefined && v.length > s.maxLength && runeCount(v) > s.maxLength) errs.push(tooLong(path, s.maxLength));
  if (s.minLength !== undefined && v.length < 2 * s.minLength && runeCount(v) < s.minLength)
    errs.push(invalid(path, v, `${path} in body should be at least ${s.minLength} chars long`));
  if (s.pattern !== undefined && !safeRegExp(s.pattern)?.test(v))
    errs.push(invalid(path, v, `${path} in body should match '${s.pattern}'`));
}

function runeCount(v: string): number {
  let n = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    // a high surrogate followed by a low one is one rune
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < v.length) {
      const d = v.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/**
 * Compiles a schema pattern with RE2 semantics (as kube's Go regexp does), so matching is linear
 * in the value's length whatever the pattern; an uncompilable pattern matches nothing.
 */
export function safeRegExp(p: string): { test(s: string): boolean } | undefined {
  const re = tryCompileRegex(p);
  return re instanceof Error ? undefined : re;
}

function validateNumber(s: JSONSchemaProps, v: number, path: string, errs: FieldError[]): void {
  if (s.minimum !== undefined) {
    if (s.exclusiveMinimum ? v <= s.minimum : v < s.minimum)
      errs.push(invalid(path, v, `${path} in body should be greater than ${s.exclusiveMinimum ? '' : 'or equal to '}${s.minimum}`));
  }
  if (s.maximum !== undefined) {
    if (s.exclusiveMaximum ? v >= s.maximum : v > s.maximum)
      errs.push(invalid(path, v, `${path} in body should be less than ${s.exclusiveMaximum ? '' : 'or equal to '}${s.maximum}`));
  }
  if (s.multipleOf !== undefined && s.multipleOf > 0) {
    const q = v / s.multipleOf;
    if (Math.abs(q - Math.round(q)) > 1e-9)
      errs.push(invalid(path, v, `${path} in body should be a multiple of ${s.multipleOf}`));
  }
}

function validateArray(s: JSONSchemaProps, v: unknown[], path: string, errs: FieldError[]): void {
  if (s.maxItems !== undefined && v.length > s.maxItems) errs.push(tooMany(path, v.length, s.maxItems));
  if (s.minItems !== undefined && v.length < s.minItems)
    errs.push(invalid(path, v, `${path} in body should have at least ${s.minItems} items`));
  if (s.uniqueItems && new Set(v.map((x) => stringifyJSON(x))).size !== v.length)
    errs.push(invalid(path, v, `${path} in body shouldn't contain duplicates`));
  if (s.items) {
    const items = s.items;
    const plain = plainScalar(items);
    for (let i = 0; i < v.length; i++) {
      // Items that plainly satisfy a plain scalar schema skip the general walk (and the path string
      // built for it): a PlacementDecision carries arrays of a thousand names and scores.
      if (plain !== undefined && plain(v[i])) continue;
      validateNode(items, v[i], index(path, i), errs);
    }
  }
  if (s['x-kubernetes-list-type'] === 'set' || s['x-kubernetes-list-type'] === 'map') errs.push(...validateListType(s, v, path));
}

const plainCheck = new WeakMap<JSONSchemaProps, ((v: unknown) => boolean) | null>();

/**
 * For a scalar schema with nothing to check but its type (and an integer format), a test that
 * says "valid" for sure; undefined when the schema needs the general walk. A false answer means
 * only "walk it": the walk reports the error.
 */
function plainScalar(s: JSONSchemaProps): ((v: unknown) => boolean) | undefined {
  let check = plainCheck.get(s);
  if (check === undefined) {
    check = null;
    const constrained = s.enum || s.pattern !== undefined || s.maxLength !== undefined || s.minLength !== undefined
      || s.minimum !== undefined || s.maximum !== undefined || s.multipleOf !== undefined
      || s.allOf || s.anyOf || s.oneOf || s.not || s['x-kubernetes-int-or-string'];
    if (!constrained) {
      if (s.type === 'string' && s.format === undefined) check = (v) => typeof v === 'string';
      else if (s.type === 'boolean') check = (v) => typeof v === 'boolean';
      else if (s.type === 'number' && s.format === undefined) check = (v) => typeof v === 'number';
      else if (s.type === 'integer') {
        const format = s.format ?? '';
        check = (v) => Number.isInteger(v) && satisfiesFormat(format, v);
      }
    }
    plainCheck.set(s, check);
  }
  return check ?? undefined;
}

function validateMap(s: JSONSchemaProps, v: Record<string, unknown>, path: string, errs: FieldError[]): void {
  const n = Object.keys(v).length;
  if (s.maxProperties !== undefined && n > s.maxProperties) errs.push(tooMany(path, n, s.maxProperties));
  if (s.minProperties !== undefined && n < s.minProperties)
    errs.push(invalid(path, v, `${path} in body should have at least ${s.minProperties} properties`));
  for (const r of s.required ?? []) if (!(r in v)) errs.push(required(child(path, r)));
  const props = s.properties;
  const additional = isPlainObject(s.additionalProperties) ? s.additionalProperties : undefined;
  // a map of plain scalars (ConfigMap data, labels) is checked without a path string per entry
  const plainAdditional = additional && plainScalar(additional);
  for (const k of Object.keys(v)) {
    const val = v[k];
    const prop = props && Object.hasOwn(props, k) ? props[k] : undefined;
    if (prop) validateNode(prop, val, child(path, k), errs);
    else if (additional) { if (!plainAdditional || !plainAdditional(val)) validateNode(additional, val, child(path, k), errs); }
    else if (s.additionalProperties === false) { const p = child(path, k); errs.push(invalid(p, val, `${p} in body is a forbidden property`)); }
  }
  if (s['x-kubernetes-embedded-resource']) validateEmbeddedResource(v, path, errs);
}

/** apiextensions' validateEmbeddedResource: apiVersion and kind must be set (metadata may be absent). */
function validateEmbeddedResource(v: Record<string, unknown>, path: string, errs: FieldError[]): void {
  for (const f of ['apiVersion', 'kind']) {
    const p = child(path, f);
    if (!(f in v)) errs.push(required(p, 'must not be empty'));
    else if (typeof v[f] !== 'string') errs.push(invalid(p, v[f], 'must be a string'));
    else if (v[f] === '') errs.push(invalid(p, v[f], 'must not be empty'));
  }
  if ('metadata' in v && !isPlainObject(v.metadata) && v.metadata !== null)
    errs.push(forbidden(child(path, 'metadata'), 'must be an object'));
}

function validateCombinators(s: JSONSchemaProps, v: unknown, path: string, errs: FieldError[]): void {
  if (!s.allOf && !s.anyOf && !s.oneOf && !s.not) return;
  for (const sub of s.allOf ?? []) validateNode(sub, v, path, errs);
  const passes = (sub: JSONSchemaProps) => validateObject(sub, v, { path }).length === 0;
  if (s.anyOf && !s.anyOf.some(passes))
    errs.push(invalid(path, v, `${path} in body must validate at least one schema (anyOf)`));
  if (s.oneOf && s.oneOf.filter(passes).length !== 1)
    errs.push(invalid(path, v, `${path} in body must validate one and only one schema (oneOf)`));
  if (s.not && passes(s.not))
    errs.push(invalid(path, v, `${path} in body must not validate the schema (not)`));
}

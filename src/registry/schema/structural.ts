/**
 * validateStructuralSchema: the checks kube makes on a CRD's (or APIResourceSchema's) OpenAPI schema
 * before accepting it (apiextensions validation.go and structural/validation.go), worded as kube
 * words them. Paths name properties the way kube does: `properties[spec].type`.
 */
import type { FieldError } from '../../errors/status.js';
import type { JSONSchemaProps } from '../types.js';
import { tryCompileRegex } from '../../cel/index.js';
import { forbidden, invalid, notSupported, required } from './errors.js';
import { prune } from './prune.js';
import { child, key } from './paths.js';
import { validateObject } from './validate.js';
import { isPlainObject } from './values.js';
import { cloneValue } from '../../machinery/objects.js';

const TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'] as const;
const LIST_TYPES = ['atomic', 'map', 'set'] as const;

type Level = 'root' | 'field' | 'items';

export interface StructuralOptions {
  /**
   * Built-in types describe the whole ObjectMeta under `metadata` (for explain and patching); CRDs
   * may not. Set for built-in schemas to skip the root-metadata restriction.
   */
  builtin?: boolean;
}

export function validateStructuralSchema(
  schema: JSONSchemaProps | undefined, path: string, opts: StructuralOptions = {},
): FieldError[] {
  const errs: FieldError[] = [];
  if (!schema) return [required(path, 'schemas are required')];
  if (schemaTooDeep(schema)) {
    return [forbidden(path, `must not nest deeper than ${MAX_SCHEMA_NESTING} levels of objects and arrays (about ${MAX_SCHEMA_NESTING / 2} levels of properties); flatten the schema or mark a deep subtree x-kubernetes-preserve-unknown-fields`)];
  }
  validateNode(schema, path, 'root', errs);
  if (!opts.builtin) validateRootMetadata(schema, path, errs);
  return errs;
}

/**
 * Schemas are walked recursively once per level wherever they are used (validation, defaulting,
 * pruning, OpenAPI publishing, the v2 protobuf encoding), and a schema thousands of levels deep
 * overflowed those walks with a 500 on every later request of the workspace's OpenAPI. Kube has no
 * such limit, but real schemas nest a few dozen levels (a PodTemplate in a CRD: about 40 here); the
 * limit leaves those far inside it and the walks far inside the call stack.
 */
export const MAX_SCHEMA_NESTING = 1_000;

/** Whether a schema nests past MAX_SCHEMA_NESTING (measured here alone; such a schema is refused). */
function schemaTooDeep(schema: unknown): boolean {
  return nestingDepth(schema) > MAX_SCHEMA_NESTING;
}

/** Levels of objects and arrays in a JSON value, on an explicit stack (the schema may be deep). */
function nestingDepth(root: unknown): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[root, 1]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (d > max) max = d;
    if (max > MAX_SCHEMA_NESTING) return max;
    for (const x of Array.isArray(v) ? v : Object.values(v)) if (typeof x === 'object' && x !== null) stack.push([x, d + 1]);
  }
  return max;
}

function validateNode(s: JSONSchemaProps, path: string, level: Level, errs: FieldError[]): void {
  validateType(s, path, level, errs);
  validateExtensions(s, path, errs);
  validateDefault(s, path, errs);
  if (s.pattern !== undefined) {
    const re = tryCompileRegex(s.pattern);
    if (re instanceof Error) {
      errs.push(invalid(child(path, 'pattern'), s.pattern, `must be a valid regular expression, but isn't: ${re.message}`));
    }
  }
  if (s.uniqueItems) errs.push(forbidden(child(path, 'uniqueItems'), 'uniqueItems cannot be set to true since the runtime complexity becomes quadratic'));
  for (const [i, r] of (s['x-kubernetes-validations'] ?? []).entries())
    if (!r.rule) errs.push(required(`${child(path, 'x-kubernetes-validations')}[${i}].rule`));

  if (s.properties && s.additionalProperties !== undefined && s.additionalProperties !== true)
    errs.push(forbidden(child(path, 'additionalProperties'), 'additionalProperties and properties are mutual exclusive'));
  if (s.additionalProperties === false)
    errs.push(forbidden(child(path, 'additionalProperties'), 'additionalProperties cannot be set to false'));

  for (const [k, prop] of Object.entries(s.properties ?? {})) validateNode(prop, key(child(path, 'properties'), k), 'field', errs);
  if (isPlainObject(s.additionalProperties)) validateNode(s.additionalProperties, child(path, 'additionalProperties'), 'field', errs);
  validateItems(s, path, errs);
}

function validateType(s: JSONSchemaProps, path: string, level: Level, errs: FieldError[]): void {
  const p = child(path, 'type');
  const exempt = s['x-kubernetes-preserve-unknown-fields'] === true || s['x-kubernetes-int-or-string'] === true;
  if (!s.type) {
    if (level === 'root') errs.push(required(p, 'must not be empty at the root'));
    else if (!exempt) errs.push(required(p, level === 'items' ? 'must not be empty for specified array items' : 'must not be empty for specified object fields'));
    return;
  }
  if (!(TYPES as readonly string[]).includes(s.type)) { errs.push(notSupported(p, s.type, TYPES)); return; }
  if (level === 'root' && s.type !== 'object') errs.push(invalid(p, s.type, 'must be object at the root'));
  if (s['x-kubernetes-int-or-string']) errs.push(invalid(p, s.type, 'must be empty if x-kubernetes-int-or-string is true'));
  if (s['x-kubernetes-embedded-resource'] && s.type !== 'object')
    errs.push(invalid(p, s.type, 'must be object if x-kubernetes-embedded-resource is true'));
}

function validateItems(s: JSONSchemaProps, path: string, errs: FieldError[]): void {
  const p = child(path, 'items');
  if (Array.isArray(s.items)) { errs.push(forbidden(p, 'items must be a schema object and not an array')); return; }
  if (s.type === 'array' && !s.items) { errs.push(required(p, 'must be specified')); return; }
  if (s.items) validateNode(s.items, p, 'items', errs);
}

function validateExtensions(s: JSONSchemaProps, path: string, errs: FieldError[]): void {
  const preserve = s['x-kubernetes-preserve-unknown-fields'];
  if (preserve === false) errs.push(invalid(child(path, 'x-kubernetes-preserve-unknown-fields'), false, 'must be true or undefined'));
  if (s['x-kubernetes-embedded-resource'] && !preserve && !s.properties)
    errs.push(required(child(path, 'properties'), 'must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields'));
  validateListExtensions(s, path, errs);
  const mapType = s['x-kubernetes-map-type'];
  if (mapType !== undefined) {
    if (mapType !== 'atomic' && mapType !== 'granular') errs.push(notSupported(child(path, 'x-kubernetes-map-type'), mapType, ['atomic', 'granular']));
    else if (s.type && s.type !== 'object') errs.push(invalid(child(path, 'x-kubernetes-map-type'), mapType, 'must only be used if type is object'));
  }
}

function validateListExtensions(s: JSONSchemaProps, path: string, errs: FieldError[]): void {
  const lt = s['x-kubernetes-list-type'];
  const keys = s['x-kubernetes-list-map-keys'];
  const ltPath = child(path, 'x-kubernetes-list-type');
  const keysPath = child(path, 'x-kubernetes-list-map-keys');
  if (lt !== undefined && !(LIST_TYPES as readonly string[]).includes(lt)) { errs.push(notSupported(ltPath, lt, LIST_TYPES)); return; }
  if (lt !== undefined && s.type !== 'array') errs.push(invalid(ltPath, lt, 'must only be used if type is array'));
  if (lt === 'map') {
    if (!keys?.length) errs.push(required(keysPath, 'must not be empty if x-kubernetes-list-type is map'));
    const items = s.items;
    if (items && items.type !== 'object') errs.push(invalid(child(child(path, 'items'), 'type'), items.type ?? '', 'must be object if parent array\'s x-kubernetes-list-type is map'));
    for (const [i, k] of (keys ?? []).entries()) {
      const prop = items?.properties?.[k];
      if (!prop) errs.push(invalid(`${keysPath}[${i}]`, k, 'entries must all be names of item properties'));
      else if (prop.type && !['string', 'integer', 'number', 'boolean'].includes(prop.type))
        errs.push(invalid(`${keysPath}[${i}]`, k, 'must be a scalar type'));
    }
  } else if (keys !== undefined) {
    errs.push(forbidden(keysPath, 'must be empty if x-kubernetes-list-type is not map'));
  }
  if (lt === 'set' && s.items?.type === 'object' && s.items['x-kubernetes-map-type'] !== 'atomic')
    errs.push(invalid(child(child(path, 'items'), 'x-kubernetes-map-type'), s.items['x-kubernetes-map-type'] ?? '',
      'must be atomic as item of a list with x-kubernetes-list-type=set'));
}

/** Defaults must validate against their own node and may not carry unknown fields. */
function validateDefault(s: JSONSchemaProps, path: string, errs: FieldError[]): void {
  if (s.default === undefined) return;
  const p = child(path, 'default');
  const copy = cloneValue(s.default);
  const removed = prune(s, copy, { resourceRoot: false, path: p });
  if (removed.length) errs.push(invalid(p, s.default, `must not have unknown fields: ${removed.join(', ')}`));
  errs.push(...validateObject(s, s.default, { path: p }));
}

/** At the root, metadata may only restrict name and generateName (the rest is implicit ObjectMeta). */
function validateRootMetadata(s: JSONSchemaProps, path: string, errs: FieldError[]): void {
  const meta = s.properties?.metadata;
  const mp = key(child(path, 'properties'), 'metadata');
  for (const f of ['apiVersion', 'kind']) {
    const p = s.properties?.[f];
    if (p?.type && p.type !== 'string') errs.push(invalid(child(key(child(path, 'properties'), f), 'type'), p.type, 'must be string'));
  }
  if (!meta) return;
  if (meta.type && meta.type !== 'object') errs.push(invalid(child(mp, 'type'), meta.type, 'must be object'));
  for (const k of Object.keys(meta.properties ?? {}))
    if (k !== 'name' && k !== 'generateName')
      errs.push(forbidden(key(child(mp, 'properties'), k), 'must not be specified'));
  const allowed = new Set(['type', 'properties', 'description']);
  const extra = Object.keys(meta).filter((k) => !allowed.has(k));
  if (extra.length) errs.push(forbidden(mp, 'must not specify anything other than name and generateName, but metadata is implicitly specified'));
}

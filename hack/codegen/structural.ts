/**
 * Turns the OpenAPI component schemas of openapi/*.yaml into CRD-valid structural schemas
 * (apiextensions.k8s.io/v1 JSONSchemaProps): `$ref`s are inlined (a $ref's sibling keys win, so a
 * field's own description replaces the shared type's), codegen-only `x-tmc-*` keys are dropped,
 * and anything a CRD would reject is reported instead of silently passed through.
 *
 * Also holds `structuralProblems`, the checker the tests run over every generated schema.
 */

/** An OpenAPI / JSON-schema node as read from YAML. */
export type SchemaNode = Record<string, unknown>;

/** Keys a CRD's JSONSchemaProps accepts (apiextensions.k8s.io/v1), besides x-kubernetes-*. */
const CRD_SCHEMA_KEYS = new Set([
  'type', 'format', 'description', 'title', 'properties', 'additionalProperties', 'items',
  'required', 'enum', 'default', 'nullable', 'minimum', 'maximum', 'exclusiveMinimum',
  'exclusiveMaximum', 'multipleOf', 'minLength', 'maxLength', 'pattern', 'minItems', 'maxItems',
  'uniqueItems', 'minProperties', 'maxProperties', 'allOf', 'anyOf', 'oneOf', 'not', 'example',
  'externalDocs',
]);

const KUBE_EXTENSIONS = new Set([
  'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-embedded-resource',
  'x-kubernetes-int-or-string', 'x-kubernetes-list-type', 'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type', 'x-kubernetes-validations',
]);

/** Keys whose value is a map of name → schema. */
const SCHEMA_MAP_KEYS = new Set(['properties']);
/** Keys whose value is one schema (or, for additionalProperties, possibly a boolean). */
const SCHEMA_KEYS = new Set(['items', 'additionalProperties', 'not']);
/** Keys whose value is a list of schemas. */
const SCHEMA_LIST_KEYS = new Set(['allOf', 'anyOf', 'oneOf']);

const REF_PREFIX = '#/components/schemas/';

export class SchemaError extends Error {
  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = 'SchemaError';
  }
}

/**
 * Inline every `$ref` of `node`, recursively, against `components` (the document's
 * components.schemas), producing a fresh tree with no shared objects. Throws on a cyclic
 * reference (a CRD cannot express recursion) or an unknown one.
 */
export function inlineRefs(node: SchemaNode, components: Record<string, SchemaNode>, path = '', seen: string[] = []): SchemaNode {
  let out: SchemaNode = {};
  const ref = node['$ref'];
  if (typeof ref === 'string') {
    if (!ref.startsWith(REF_PREFIX)) throw new SchemaError(path, `unsupported $ref ${ref}`);
    const name = ref.slice(REF_PREFIX.length);
    const target = components[name];
    if (!target) throw new SchemaError(path, `unknown $ref ${ref}`);
    if (seen.includes(name)) throw new SchemaError(path, `cyclic $ref ${[...seen, name].join(' → ')}`);
    out = inlineRefs(target, components, path, [...seen, name]);
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref') continue;
    out[key] = inlineChild(key, value, components, `${path}.${key}`, seen);
  }
  return out;
}

function inlineChild(key: string, value: unknown, components: Record<string, SchemaNode>, path: string, seen: string[]): unknown {
  if (SCHEMA_MAP_KEYS.has(key)) {
    const props: Record<string, SchemaNode> = {};
    for (const [name, child] of Object.entries(value as Record<string, SchemaNode>)) {
      props[name] = inlineRefs(child, components, `${path}.${name}`, seen);
    }
    return props;
  }
  if (SCHEMA_KEYS.has(key) && isObject(value)) return inlineRefs(value, components, path, seen);
  if (SCHEMA_LIST_KEYS.has(key)) {
    return (value as SchemaNode[]).map((child, i) => inlineRefs(child, components, `${path}[${i}]`, seen));
  }
  return structuredClone(value);
}

/**
 * Drop codegen-only keys (`x-tmc-*`) from an inlined tree and reject keys a CRD does not know.
 * Returns a fresh tree.
 */
export function toCRDSchema(node: SchemaNode, path = ''): SchemaNode {
  const out: SchemaNode = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('x-tmc-')) continue;
    if (!CRD_SCHEMA_KEYS.has(key) && !KUBE_EXTENSIONS.has(key)) {
      throw new SchemaError(path, `key ${JSON.stringify(key)} is not valid in a CRD schema`);
    }
    if (SCHEMA_MAP_KEYS.has(key)) {
      const props: Record<string, SchemaNode> = {};
      for (const [name, child] of Object.entries(value as Record<string, SchemaNode>)) {
        props[name] = toCRDSchema(child, `${path}.${key}.${name}`);
      }
      out[key] = props;
    } else if (SCHEMA_KEYS.has(key) && isObject(value)) {
      out[key] = toCRDSchema(value, `${path}.${key}`);
    } else if (SCHEMA_LIST_KEYS.has(key)) {
      out[key] = (value as SchemaNode[]).map((child, i) => toCRDSchema(child, `${path}.${key}[${i}]`));
    } else {
      out[key] = value;
    }
  }
  return out;
}

/**
 * Structural-schema problems in a CRD schema (empty = fine). Follows the rules the Kubernetes API
 * server enforces on apiextensions.k8s.io/v1 CRDs (and a few of our own that catch mistakes early):
 * - every node has a `type`, unless it is x-kubernetes-int-or-string or
 *   x-kubernetes-preserve-unknown-fields;
 * - `properties` and `additionalProperties` are not combined;
 * - anyOf/allOf/oneOf/not carry no type, description, default or nullable (value validation only);
 * - list-type map items are objects whose map keys are required or defaulted scalars;
 * - enum and default values fit the node's type;
 * - no `$ref`, and no non-Kubernetes `x-` key survives.
 */
export function structuralProblems(node: SchemaNode, path = '', insideJunctor = false): string[] {
  const problems: string[] = [];
  const at = path || '<root>';
  if ('$ref' in node) problems.push(`${at}: $ref left in schema`);
  for (const key of Object.keys(node)) {
    if (key.startsWith('x-') && !KUBE_EXTENSIONS.has(key)) problems.push(`${at}: unexpected extension ${key}`);
  }
  const type = node['type'];
  const intOrString = node['x-kubernetes-int-or-string'] === true;
  const preserve = node['x-kubernetes-preserve-unknown-fields'] === true;
  if (insideJunctor) {
    // anyOf/allOf/oneOf/not may only validate values; the spine (types, fields) lives outside.
    for (const k of ['type', 'description', 'default', 'nullable', 'properties', 'items', 'additionalProperties']) {
      if (k in node) problems.push(`${at}: ${k} is not allowed inside anyOf/allOf/oneOf/not`);
    }
  } else if (type === undefined && !intOrString && !preserve) {
    problems.push(`${at}: missing type`);
  }
  // The one exception to "no types in junctors": int-or-string's anyOf [{integer}, {string}].
  const intOrStringAnyOf = intOrString && Array.isArray(node['anyOf']);
  if (intOrStringAnyOf) {
    const types = (node['anyOf'] as SchemaNode[]).map((s) => JSON.stringify(s));
    if (types.join() !== '{"type":"integer"},{"type":"string"}') {
      problems.push(`${at}: int-or-string anyOf must be exactly [{type: integer}, {type: string}]`);
    }
  }
  if (node['properties'] !== undefined && node['additionalProperties'] !== undefined) {
    problems.push(`${at}: properties and additionalProperties are mutually exclusive`);
  }
  if (node['additionalProperties'] === true) problems.push(`${at}: additionalProperties: true is not structural`);
  if (type === 'array' && !isObject(node['items'])) problems.push(`${at}: array without items`);
  if (type !== 'object' && (node['properties'] !== undefined || node['additionalProperties'] !== undefined)) {
    problems.push(`${at}: properties on a non-object`);
  }
  const required = node['required'];
  if (Array.isArray(required)) {
    const props = (node['properties'] ?? {}) as Record<string, SchemaNode>;
    for (const r of required) if (!(r in props)) problems.push(`${at}: required field ${r} is not a property`);
  }
  problems.push(...listTypeProblems(node, at));
  problems.push(...valueProblems(node, at));

  for (const [key, value] of Object.entries(node)) {
    if (SCHEMA_MAP_KEYS.has(key)) {
      for (const [name, child] of Object.entries(value as Record<string, SchemaNode>)) {
        problems.push(...structuralProblems(child, `${path}.${name}`, false));
      }
    } else if (SCHEMA_KEYS.has(key) && isObject(value)) {
      problems.push(...structuralProblems(value, key === 'items' ? `${path}[]` : `${path}.<${key}>`, key === 'not'));
    } else if (SCHEMA_LIST_KEYS.has(key) && !(key === 'anyOf' && intOrStringAnyOf)) {
      (value as SchemaNode[]).forEach((child, i) => {
        problems.push(...structuralProblems(child, `${path}.${key}[${i}]`, true));
      });
    }
  }
  return problems;
}

function listTypeProblems(node: SchemaNode, at: string): string[] {
  const problems: string[] = [];
  const listType = node['x-kubernetes-list-type'];
  const keys = node['x-kubernetes-list-map-keys'];
  if (listType !== undefined && node['type'] !== 'array') problems.push(`${at}: x-kubernetes-list-type on a non-array`);
  if (keys !== undefined && listType !== 'map') problems.push(`${at}: list-map-keys without list-type map`);
  if (listType === 'set') {
    const itemType = (node['items'] as SchemaNode | undefined)?.['type'];
    if (itemType === 'object' || itemType === 'array') problems.push(`${at}: list-type set needs scalar items`);
  }
  if (listType === 'map') {
    const items = (node['items'] ?? {}) as SchemaNode;
    if (items['type'] !== 'object') problems.push(`${at}: list-type map needs object items`);
    if (!Array.isArray(keys) || keys.length === 0) problems.push(`${at}: list-type map needs list-map-keys`);
    const props = (items['properties'] ?? {}) as Record<string, SchemaNode>;
    const req = (items['required'] ?? []) as string[];
    for (const k of (keys ?? []) as string[]) {
      const p = props[k];
      if (!p) { problems.push(`${at}: map key ${k} is not a property of the items`); continue; }
      if (p['type'] === 'object' || p['type'] === 'array') problems.push(`${at}: map key ${k} must be a scalar`);
      if (!req.includes(k) && !('default' in p)) problems.push(`${at}: map key ${k} must be required or defaulted`);
    }
  }
  return problems;
}

function valueProblems(node: SchemaNode, at: string): string[] {
  const problems: string[] = [];
  const type = node['type'];
  const fits = (v: unknown): boolean => {
    switch (type) {
      case 'string': return typeof v === 'string';
      case 'integer': return Number.isInteger(v);
      case 'number': return typeof v === 'number';
      case 'boolean': return typeof v === 'boolean';
      case 'object': return isObject(v);
      case 'array': return Array.isArray(v);
      default: return true;
    }
  };
  const en = node['enum'];
  if (en !== undefined) {
    if (!Array.isArray(en) || en.length === 0) problems.push(`${at}: enum must be a non-empty list`);
    else for (const v of en) if (!fits(v)) problems.push(`${at}: enum value ${JSON.stringify(v)} is not a ${String(type)}`);
  }
  if ('default' in node) {
    const d = node['default'];
    if (!fits(d)) problems.push(`${at}: default ${JSON.stringify(d)} is not a ${String(type)}`);
    if (Array.isArray(en) && !en.includes(d)) problems.push(`${at}: default ${JSON.stringify(d)} is not in the enum`);
  }
  return problems;
}

/** Every `x-kubernetes-validations` rule in a tree, with the JSON path of the node holding it. */
export function collectValidations(node: SchemaNode, path = ''): Array<{ path: string; rule: string; message?: string }> {
  const found: Array<{ path: string; rule: string; message?: string }> = [];
  const rules = node['x-kubernetes-validations'];
  if (Array.isArray(rules)) {
    for (const r of rules as Array<{ rule: string; message?: string }>) found.push({ path: path || '<root>', rule: r.rule, message: r.message });
  }
  for (const [key, value] of Object.entries(node)) {
    if (SCHEMA_MAP_KEYS.has(key)) {
      for (const [name, child] of Object.entries(value as Record<string, SchemaNode>)) {
        found.push(...collectValidations(child, `${path}.${name}`));
      }
    } else if (SCHEMA_KEYS.has(key) && isObject(value)) {
      found.push(...collectValidations(value, key === 'items' ? `${path}[]` : `${path}.<${key}>`));
    } else if (SCHEMA_LIST_KEYS.has(key)) {
      (value as SchemaNode[]).forEach((child, i) => found.push(...collectValidations(child, `${path}.${key}[${i}]`)));
    }
  }
  return found;
}

export function isObject(v: unknown): v is SchemaNode {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

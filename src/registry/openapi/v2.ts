/**
 * OpenAPI v2 (Swagger 2.0) as kube serves it on /openapi/v2, derived from the v3 group-version
 * documents so both always describe the same schemas. Older kubectl (1.20) reads it for
 * client-side validation, `explain`, the patch strategy of `apply`/`diff`, and whether a kind's
 * PATCH takes `dryRun`; kubectl 1.32 reads it only when v3 lacks a kind.
 *
 * What v2 cannot say is simplified the way kube's CRD publisher does it (apiextensions
 * `ToStructuralOpenAPIV2`): no nullable, anyOf, oneOf or not; a node that keeps unknown fields or
 * may be null is published without properties (a map of any values, or any value), since kubectl's
 * v2 validation rejects every field it does not see; int-or-string is `type: string, format: int-or-string`, as
 * kube's IntOrString definition. Every `$ref` resolves (kubectl refuses the whole document
 * otherwise).
 */
import type { ResourceDef } from '../types.js';
import { buildGroupVersionDocument } from './document.js';
import { gvPath } from './names.js';

type Obj = Record<string, any>;

const V3_REF = '#/components/schemas/';
const V2_REF = '#/definitions/';

/** The extensions v2 readers care about; CEL rules and the v3-only markers are left out. */
const DROPPED_EXTENSIONS = new Set([
  'x-kubernetes-validations', 'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-int-or-string', 'x-kubernetes-embedded-resource',
]);

const COPIED = ['description', 'format', 'title', 'default', 'enum', 'pattern', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum',
  'multipleOf', 'minLength', 'maxLength', 'minItems', 'maxItems', 'uniqueItems', 'minProperties', 'maxProperties', 'required'];

export function buildOpenAPIV2Document(defs: ResourceDef[]): Obj {
  const gvs = new Map<string, { group: string; version: string }>();
  for (const d of defs) gvs.set(gvPath(d.group, d.version), { group: d.group, version: d.version });
  const paths: Obj = {};
  const definitions: Obj = {};
  for (const p of [...gvs.keys()].sort()) {
    const doc = buildGroupVersionDocument(defs, gvs.get(p)!) as Obj;
    for (const [path, item] of Object.entries(doc.paths as Obj)) paths[path] = pathItemV2(item);
    for (const [name, schema] of Object.entries(doc.components.schemas as Obj)) definitions[name] ??= schemaV2(schema);
  }
  const sortedDefs = Object.fromEntries(Object.keys(definitions).sort().map((k) => [k, definitions[k]]));
  resolveRefs(sortedDefs, paths);
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: 'v1.32.0' },
    paths: Object.fromEntries(Object.keys(paths).sort().map((k) => [k, paths[k]])),
    definitions: sortedDefs,
    securityDefinitions: { BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' } },
    security: [{ BearerToken: [] }],
  };
}

/** A v3 schema node as v2 (see the file comment for what changes). */
export function schemaV2(s: Obj): Obj {
  if (typeof s !== 'object' || s === null) return {};
  const single = Array.isArray(s.allOf) && s.allOf.length === 1 && s.allOf[0]?.$ref ? s.allOf[0].$ref : s.$ref;
  if (typeof single === 'string') {
    const out: Obj = { $ref: single.replace(V3_REF, V2_REF) };
    if (s.description) out.description = s.description;
    return out;
  }
  const out: Obj = {};
  for (const k of COPIED) if (s[k] !== undefined) out[k] = s[k];
  for (const [k, v] of Object.entries(s)) if (k.startsWith('x-') && !DROPPED_EXTENSIONS.has(k)) out[k] = v;
  if (s['x-kubernetes-int-or-string']) {
    out.type = 'string';
    out.format = 'int-or-string';
    return out;
  }
  // Unknown fields kept, or null allowed: kubectl's v2 validation would reject what it cannot see,
  // so publish an object as a map of anything and anything else untyped. Never an untyped
  // object: kubectl 1.20's strategic-merge diff dereferences nil below an untyped map (a crash in
  // `kubectl diff`); below a map it reports an error and falls back to its compiled-in types.
  if (s['x-kubernetes-preserve-unknown-fields'] || s.nullable) {
    if (s.type === 'object') { out.type = 'object'; out.additionalProperties = {}; }
    if (s.type === 'array') { out.type = 'array'; out.items = {}; }
    return out;
  }
  if (typeof s.type === 'string') out.type = s.type;
  if (s.properties) out.properties = Object.fromEntries(Object.entries(s.properties as Obj).map(([k, v]) => [k, schemaV2(v)]));
  if (typeof s.additionalProperties === 'object' && s.additionalProperties) out.additionalProperties = schemaV2(s.additionalProperties);
  // kubectl's reader needs exactly one item schema on every array
  if (s.type === 'array') out.items = s.items ? schemaV2(s.items) : {};
  if (Array.isArray(s.allOf) && s.allOf.length > 1) out.allOf = s.allOf.map(schemaV2);
  return out;
}

const OPS = ['get', 'put', 'post', 'delete', 'patch'];

function pathItemV2(item: Obj): Obj {
  const out: Obj = {};
  for (const op of OPS) if (item[op]) out[op] = operationV2(item[op]);
  if (Array.isArray(item.parameters)) out.parameters = item.parameters.map(parameterV2);
  return out;
}

function operationV2(op: Obj): Obj {
  const out: Obj = {};
  if (op.description) out.description = op.description;
  const body = op.requestBody?.content as Obj | undefined;
  out.consumes = body ? Object.keys(body) : ['*/*'];
  out.produces = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
  out.schemes = ['https'];
  if (op.tags) out.tags = op.tags;
  if (op.operationId) out.operationId = op.operationId;
  const params = (op.parameters as Obj[] | undefined ?? []).map(parameterV2);
  if (body) {
    const first = Object.values(body)[0] as Obj | undefined;
    params.unshift({ name: 'body', in: 'body', required: !!op.requestBody.required, schema: schemaV2(first?.schema ?? {}) });
  }
  if (params.length) out.parameters = params;
  const responses: Obj = {};
  for (const [code, r] of Object.entries(op.responses as Obj ?? {})) {
    const schema = (Object.values((r as Obj).content ?? {})[0] as Obj | undefined)?.schema;
    responses[code] = { description: (r as Obj).description ?? '', ...(schema ? { schema: schemaV2(schema) } : {}) };
  }
  out.responses = responses;
  for (const [k, v] of Object.entries(op)) if (k.startsWith('x-')) out[k] = v;
  return out;
}

function parameterV2(p: Obj): Obj {
  const out: Obj = { name: p.name, in: p.in, description: p.description ?? '' };
  if (p.required) out.required = true;
  out.type = p.schema?.type ?? 'string';
  if (p.uniqueItems) out.uniqueItems = true;
  return out;
}

/** Any `$ref` to a definition that is not there becomes "any value" (kubectl rejects dangling references). */
function resolveRefs(definitions: Obj, paths: Obj): void {
  const fix = (v: unknown): void => {
    if (Array.isArray(v)) { for (const x of v) fix(x); return; }
    if (typeof v !== 'object' || v === null) return;
    const o = v as Obj;
    if (typeof o.$ref === 'string' && !(o.$ref.slice(V2_REF.length) in definitions)) delete o.$ref;
    for (const x of Object.values(o)) fix(x);
  };
  fix(definitions);
  fix(paths);
}

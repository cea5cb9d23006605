/**
 * Encodes a Swagger 2.0 document (JSON) as the protobuf kubectl asks for with
 * `Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf`: gnostic's
 * `openapi.v2.Document` (github.com/google/gnostic, openapiv2/OpenAPIv2.proto, Apache-2.0). Only
 * the messages a Kubernetes document uses are declared below, with gnostic's field numbers; every
 * extension and `default`/`enum` value travels as gnostic does, as YAML text in `Any.yaml` (JSON
 * is YAML, and kubectl parses it with a YAML decoder).
 */
import protobuf from 'protobufjs';

/**
 * protobufjs refuses messages nested deeper than 100 (its default), and every level of a CRD's
 * schema is about four messages here: a CRD nesting 25 levels — a PodTemplate inside a CRD does —
 * turned the whole workspace's /openapi/v2 into a 500. The CRD schema depth limit
 * (registry/schema/structural.ts, 1 000 JSON levels) keeps the walk far inside the call stack.
 *
 * The limit is a process-wide setting (`util.recursionLimit`, read by the generated verify,
 * fromObject and encode code at each call) and the same protobufjs instance serves etcd3's gRPC
 * messages, so it is raised only for the duration of this encoding: the encoding is synchronous,
 * so nothing else runs while it is raised.
 */
const ENCODE_RECURSION_LIMIT = 10_000;

function withRecursionLimit<T>(encode: () => T): T {
  const saved = protobuf.util.recursionLimit;
  protobuf.util.recursionLimit = ENCODE_RECURSION_LIMIT;
  try {
    return encode();
  } finally {
    protobuf.util.recursionLimit = saved;
  }
}

/** What kubectl asks for in Accept. */
export const OPENAPI_V2_PROTO_MEDIA_TYPE = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
/** What kube answers in Content-Type: '@' is not a token character, so Go's mime parser would refuse the Accept form. */
export const OPENAPI_V2_PROTO_CONTENT_TYPE = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

const GNOSTIC_OPENAPI_V2 = `
syntax = "proto3";
package openapi.v2;
message AdditionalPropertiesItem { oneof oneof { Schema schema = 1; bool boolean = 2; } }
message Any { string yaml = 2; }
message ApiKeySecurity { string type = 1; string name = 2; string in = 3; string description = 4; }
message BodyParameter { string description = 1; string name = 2; string in = 3; bool required = 4; Schema schema = 5; }
message Definitions { repeated NamedSchema additional_properties = 1; }
message Document {
  string swagger = 1; Info info = 2; repeated string schemes = 5; repeated string consumes = 6; repeated string produces = 7;
  Paths paths = 8; Definitions definitions = 9; repeated SecurityRequirement security = 12;
  SecurityDefinitions security_definitions = 13; repeated NamedAny vendor_extension = 16;
}
message Info { string title = 1; string version = 2; string description = 3; }
message ItemsItem { repeated Schema schema = 1; }
message NamedAny { string name = 1; Any value = 2; }
message NamedPathItem { string name = 1; PathItem value = 2; }
message NamedResponseValue { string name = 1; ResponseValue value = 2; }
message NamedSchema { string name = 1; Schema value = 2; }
message NamedSecurityDefinitionsItem { string name = 1; SecurityDefinitionsItem value = 2; }
message NamedStringArray { string name = 1; StringArray value = 2; }
message NonBodyParameter { oneof oneof { QueryParameterSubSchema query_parameter_sub_schema = 3; PathParameterSubSchema path_parameter_sub_schema = 4; } }
message Operation {
  repeated string tags = 1; string summary = 2; string description = 3; string operation_id = 5; repeated string produces = 6;
  repeated string consumes = 7; repeated ParametersItem parameters = 8; Responses responses = 9; repeated string schemes = 10;
  repeated NamedAny vendor_extension = 13;
}
message Parameter { oneof oneof { BodyParameter body_parameter = 1; NonBodyParameter non_body_parameter = 2; } }
message ParametersItem { oneof oneof { Parameter parameter = 1; } }
message PathItem {
  Operation get = 2; Operation put = 3; Operation post = 4; Operation delete = 5; Operation patch = 8;
  repeated ParametersItem parameters = 9; repeated NamedAny vendor_extension = 10;
}
message PathParameterSubSchema { bool required = 1; string in = 2; string description = 3; string name = 4; string type = 5; bool unique_items = 19; }
message Paths { repeated NamedAny vendor_extension = 1; repeated NamedPathItem path = 2; }
message Properties { repeated NamedSchema additional_properties = 1; }
message QueryParameterSubSchema { bool required = 1; string in = 2; string description = 3; string name = 4; string type = 6; bool unique_items = 20; }
message Response { string description = 1; SchemaItem schema = 2; repeated NamedAny vendor_extension = 5; }
message ResponseValue { oneof oneof { Response response = 1; } }
message Responses { repeated NamedResponseValue response_code = 1; repeated NamedAny vendor_extension = 2; }
message Schema {
  string _ref = 1; string format = 2; string title = 3; string description = 4; Any default = 5; double multiple_of = 6;
  double maximum = 7; bool exclusive_maximum = 8; double minimum = 9; bool exclusive_minimum = 10; int64 max_length = 11;
  int64 min_length = 12; string pattern = 13; int64 max_items = 14; int64 min_items = 15; bool unique_items = 16;
  int64 max_properties = 17; int64 min_properties = 18; repeated string required = 19; repeated Any enum = 20;
  AdditionalPropertiesItem additional_properties = 21; TypeItem type = 22; ItemsItem items = 23; repeated Schema all_of = 24;
  Properties properties = 25; repeated NamedAny vendor_extension = 31;
}
message SchemaItem { oneof oneof { Schema schema = 1; } }
message SecurityDefinitions { repeated NamedSecurityDefinitionsItem additional_properties = 1; }
message SecurityDefinitionsItem { oneof oneof { ApiKeySecurity api_key_security = 2; } }
message SecurityRequirement { repeated NamedStringArray additional_properties = 1; }
message StringArray { repeated string value = 1; }
message TypeItem { repeated string value = 1; }
`;

type Obj = Record<string, any>;

let documentType: protobuf.Type | undefined;
function docType(): protobuf.Type {
  documentType ??= protobuf.parse(GNOSTIC_OPENAPI_V2, { keepCase: true }).root.lookupType('openapi.v2.Document');
  return documentType;
}

/** The gnostic protobuf bytes of a Swagger 2.0 document. */
export function encodeOpenAPIV2(doc: Obj): Uint8Array {
  const type = docType();
  const msg: Obj = {
    swagger: doc.swagger,
    info: doc.info,
    paths: { path: Object.entries(doc.paths ?? {}).map(([name, item]) => ({ name, value: pathItem(item as Obj) })) },
    definitions: { additional_properties: named(doc.definitions ?? {}, schema) },
    security: (doc.security ?? []).map((req: Obj) => ({
      additional_properties: Object.entries(req).map(([name, value]) => ({ name, value: { value } })),
    })),
    security_definitions: {
      additional_properties: Object.entries(doc.securityDefinitions ?? {}).map(([name, d]) => ({ name, value: { api_key_security: d } })),
    },
    vendor_extension: extensions(doc),
  };
  return withRecursionLimit(() => {
    const err = type.verify(msg);
    if (err) throw new Error(`openapi v2 protobuf: ${err}`);
    return type.encode(type.fromObject(msg)).finish();
  });
}

const named = (o: Obj, f: (v: Obj) => Obj) => Object.entries(o).map(([name, v]) => ({ name, value: f(v as Obj) }));
const yamlAny = (v: unknown) => ({ yaml: `${JSON.stringify(v)}\n` });

function extensions(o: Obj): Obj[] {
  const out: Obj[] = [];
  for (const [k, v] of Object.entries(o)) if (k.startsWith('x-')) out.push({ name: k, value: yamlAny(v) });
  return out;
}

function schema(s: Obj): Obj {
  const m: Obj = {};
  if (s.$ref) m._ref = s.$ref;
  if (s.format) m.format = s.format;
  if (s.title) m.title = s.title;
  if (s.description) m.description = s.description;
  if (s.default !== undefined) m.default = yamlAny(s.default);
  const nums: Array<[string, string]> = [['multipleOf', 'multiple_of'], ['maximum', 'maximum'], ['minimum', 'minimum'],
    ['maxLength', 'max_length'], ['minLength', 'min_length'], ['maxItems', 'max_items'], ['minItems', 'min_items'],
    ['maxProperties', 'max_properties'], ['minProperties', 'min_properties']];
  for (const [j, p] of nums) if (typeof s[j] === 'number') m[p] = s[j];
  if (s.exclusiveMaximum === true) m.exclusive_maximum = true;
  if (s.exclusiveMinimum === true) m.exclusive_minimum = true;
  if (s.uniqueItems === true) m.unique_items = true;
  if (s.pattern) m.pattern = s.pattern;
  if (Array.isArray(s.required)) m.required = s.required;
  if (Array.isArray(s.enum)) m.enum = s.enum.map(yamlAny);
  if (typeof s.additionalProperties === 'boolean') m.additional_properties = { boolean: s.additionalProperties };
  else if (s.additionalProperties) m.additional_properties = { schema: schema(s.additionalProperties) };
  if (s.type) m.type = { value: [s.type] };
  if (s.items) m.items = { schema: [schema(s.items)] };
  if (Array.isArray(s.allOf)) m.all_of = s.allOf.map(schema);
  if (s.properties) m.properties = { additional_properties: named(s.properties, schema) };
  const ext = extensions(s);
  if (ext.length) m.vendor_extension = ext;
  return m;
}

function pathItem(p: Obj): Obj {
  const m: Obj = {};
  for (const op of ['get', 'put', 'post', 'delete', 'patch']) if (p[op]) m[op] = operation(p[op]);
  if (p.parameters) m.parameters = p.parameters.map(parameter);
  return m;
}

function operation(o: Obj): Obj {
  const m: Obj = {};
  for (const k of ['tags', 'description', 'produces', 'consumes', 'schemes']) if (o[k] !== undefined) m[k] = o[k];
  if (o.operationId) m.operation_id = o.operationId;
  if (o.parameters) m.parameters = o.parameters.map(parameter);
  m.responses = {
    response_code: Object.entries(o.responses ?? {}).map(([name, r]) => ({
      name, value: { response: { description: (r as Obj).description ?? '', ...((r as Obj).schema ? { schema: { schema: schema((r as Obj).schema) } } : {}) } },
    })),
  };
  m.vendor_extension = extensions(o);
  return m;
}

function parameter(p: Obj): Obj {
  if (p.in === 'body') {
    return { parameter: { body_parameter: { name: p.name, in: 'body', required: !!p.required, description: p.description ?? '', schema: schema(p.schema ?? {}) } } };
  }
  const sub: Obj = { name: p.name, in: p.in, description: p.description ?? '', type: p.type ?? 'string', required: !!p.required, unique_items: !!p.uniqueItems };
  return { parameter: { non_body_parameter: p.in === 'path' ? { path_parameter_sub_schema: sub } : { query_parameter_sub_schema: sub } } };
}

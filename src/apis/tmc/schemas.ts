/**
 * The kcp objects that define the TMC API, as typed data: the APIResourceSchemas of
 * tmc.kcp.io/v1alpha1 and the APIExport `tmc.kcp.io` that serves them from `root:tmc`. The server
 * bootstraps root:tmc from these, so it never reads manifests/ at run time. The data itself is
 * generated from openapi/ into apiresourceschemas.generated.ts; this file gives it types and a
 * few lookups.
 *
 * The types here mirror kcp's apis.kcp.io/v1alpha1 shapes and the CRD schema
 * (apiextensions.k8s.io/v1 JSONSchemaProps) structurally, because apis/ imports nothing of the
 * project; they are assignable to registry/types.ts' JSONSchemaProps (a test checks that).
 *
 * May import: nothing outside src/apis.
 */
import {
  GENERATED_API_EXPORT,
  GENERATED_API_EXPORT_WORKSPACE,
  GENERATED_API_RESOURCE_SCHEMAS,
  GENERATED_CLAIM_IDENTITY_SOURCES,
} from './apiresourceschemas.generated.js';

/** A CEL validation rule, as `x-kubernetes-validations` holds it. */
export interface SchemaValidationRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  reason?: 'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired' | 'FieldValueDuplicate';
  fieldPath?: string;
  optionalOldSelf?: boolean;
}

/** A structural OpenAPI v3 schema node, as a CRD or APIResourceSchema carries it. */
export interface OpenAPIV3Schema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  description?: string;
  properties?: Record<string, OpenAPIV3Schema>;
  additionalProperties?: OpenAPIV3Schema | boolean;
  items?: OpenAPIV3Schema;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  anyOf?: OpenAPIV3Schema[];
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  'x-kubernetes-validations'?: SchemaValidationRule[];
  /** Other extensions (so the type stays assignable to schema types that allow them). */
  [ext: `x-${string}`]: unknown;
}

/** A CRD-style printer column. */
export interface PrinterColumnDefinition {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  jsonPath: string;
  format?: string;
  description?: string;
  /** 0: always shown; 1: only with `-o wide`. */
  priority?: number;
}

export interface ResourceNames {
  plural: string;
  singular: string;
  kind: string;
  listKind: string;
  shortNames?: string[];
  categories?: string[];
}

export interface APIResourceVersion {
  name: string;
  served: boolean;
  storage: boolean;
  /** kcp's shape: the OpenAPI v3 schema itself (a CRD would wrap it in `openAPIV3Schema`). */
  schema: OpenAPIV3Schema;
  subresources?: { status?: Record<string, never> };
  additionalPrinterColumns?: PrinterColumnDefinition[];
}

/** apis.kcp.io/v1alpha1 APIResourceSchema. */
export interface APIResourceSchema {
  apiVersion: 'apis.kcp.io/v1alpha1';
  kind: 'APIResourceSchema';
  metadata: { name: string };
  spec: {
    group: string;
    names: ResourceNames;
    scope: 'Cluster' | 'Namespaced';
    versions: APIResourceVersion[];
  };
}

/** One permission claim of an APIExport (v1alpha1). identityHash is required for non-built-in resources. */
export interface PermissionClaim {
  group: string;
  resource: string;
  all: boolean;
  identityHash?: string;
}

/** apis.kcp.io/v1alpha1 APIExport (the fields TMC sets). */
export interface APIExport {
  apiVersion: 'apis.kcp.io/v1alpha1';
  kind: 'APIExport';
  metadata: { name: string };
  spec: {
    latestResourceSchemas: string[];
    permissionClaims: PermissionClaim[];
  };
}

/** A claim whose identityHash is the status.identityHash of APIExport `export` in workspace `path`. */
export interface ClaimIdentitySource {
  group: string;
  resource: string;
  identityFrom?: { path: string; export: string };
}

/** The APIResourceSchemas of tmc.kcp.io, one per resource. */
export const TMC_API_RESOURCE_SCHEMAS: readonly APIResourceSchema[] = GENERATED_API_RESOURCE_SCHEMAS;

/** The APIExport `tmc.kcp.io`. Fill in claim identity hashes (TMC_CLAIM_IDENTITY_SOURCES) before creating it. */
export const TMC_API_EXPORT: APIExport = GENERATED_API_EXPORT!;

/** The workspace the TMC APIExport and its schemas live in (`root:tmc`). */
export const TMC_API_EXPORT_WORKSPACE: string = GENERATED_API_EXPORT_WORKSPACE;

/** Permission claims that need another export's identity hash (the `kubernetes` export's workload types). */
export const TMC_CLAIM_IDENTITY_SOURCES: readonly ClaimIdentitySource[] = GENERATED_CLAIM_IDENTITY_SOURCES;

/** The APIResourceSchema of a TMC resource by plural name (`clusterregistrations`), or undefined. */
export function tmcAPIResourceSchema(resource: string): APIResourceSchema | undefined {
  return TMC_API_RESOURCE_SCHEMAS.find((s) => s.spec.names.plural === resource);
}

/**
 * The APIExport with claim identity hashes filled in, given a lookup from (path, export name) to
 * that export's status.identityHash. Throws when a needed hash is unknown, because kcp rejects a
 * claim on a non-built-in resource without one.
 */
export function tmcAPIExportWithIdentities(identityHashOf: (path: string, exportName: string) => string | undefined): APIExport {
  const ex = structuredClone(TMC_API_EXPORT);
  for (const claim of ex.spec.permissionClaims) {
    const src = TMC_CLAIM_IDENTITY_SOURCES.find((s) => s.group === claim.group && s.resource === claim.resource);
    if (!src?.identityFrom) continue;
    const hash = identityHashOf(src.identityFrom.path, src.identityFrom.export);
    if (!hash) throw new Error(`no identity hash for APIExport ${src.identityFrom.path}:${src.identityFrom.export} (claim ${claim.resource}.${claim.group || 'core'})`);
    claim.identityHash = hash;
  }
  return ex;
}

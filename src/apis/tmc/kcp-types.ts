/**
 * The shapes of the kcp objects that define the TMC API (apis.kcp.io/v1alpha1 APIResourceSchema
 * and APIExport) and of the CRD schema they carry (apiextensions.k8s.io/v1 JSONSchemaProps),
 * mirrored structurally because apis/ imports nothing of the project; they are assignable to
 * registry/types.ts' JSONSchemaProps (a test checks that). Kept apart from schemas.ts so the
 * generated data (apiresourceschemas.generated.ts) and the lookups over it both import these
 * types without importing each other.
 *
 * May import: nothing outside src/apis.
 */

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

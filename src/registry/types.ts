/**
 * What the API server knows about one served resource: names, scope, schema, printer columns,
 * subresources and the strategy hooks that give it its semantics. Built-in types, CRDs and
 * APIResourceSchemas bound through APIBindings all become a ResourceDef; the wire layer serves any
 * ResourceDef the same way.
 *
 * May import: storage/, cel/, machinery/, errors/, apis/.
 */
import type { FieldError } from '../errors/status.js';
import type { KubeObject } from '../storage/types.js';

/** What a write does with fields the schema does not know (the fieldValidation query parameter). */
export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** OpenAPI v3 / JSON-schema node as CRDs carry it (apiextensions.k8s.io/v1 JSONSchemaProps). */
export interface JSONSchemaProps {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  description?: string;
  properties?: Record<string, JSONSchemaProps>;
  additionalProperties?: JSONSchemaProps | boolean;
  items?: JSONSchemaProps;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minProperties?: number;
  maxProperties?: number;
  allOf?: JSONSchemaProps[];
  anyOf?: JSONSchemaProps[];
  oneOf?: JSONSchemaProps[];
  not?: JSONSchemaProps;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  /** strategic-merge-patch metadata (built-in types only): 'merge' | 'replace' | 'retainKeys' | 'merge,retainKeys' */
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-validations'?: ValidationRule[];
  [ext: `x-${string}`]: unknown;
}

export interface ValidationRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  reason?: 'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired' | 'FieldValueDuplicate';
  fieldPath?: string;
  optionalOldSelf?: boolean;
}

export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format?: string;
  description?: string;
  priority?: number;
  /** A JSONPath like `.spec.replicas` (CRD additionalPrinterColumns). */
  jsonPath?: string;
  /** Built-in types compute some cells (e.g. DATA = number of keys); takes precedence over jsonPath. */
  compute?: (obj: KubeObject) => unknown;
}

export interface GroupVersionResource { group: string; version: string; resource: string }
export interface GroupVersionKind { group: string; version: string; kind: string }

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE';

/** Context for strategy hooks: who, where, and whether the write is dry-run. */
export interface StrategyContext {
  cluster: string;
  namespace: string;
  user: { name: string; groups: string[] };
  dryRun: boolean;
  subresource: string;
}

/**
 * Per-resource behaviour beyond the schema. Every hook is optional; the generic store applies kube's
 * default rules (generation bump on non-metadata change, status split, name validation) first.
 */
export interface Strategy {
  /**
   * kube's SetDefaults_* for the type: defaults a schema cannot express (they depend on other
   * fields). Runs on every write after the schema defaults, before admission and validation.
   */
  defaults?(obj: KubeObject): void;
  /** Mutate a new object before validation (server-assigned values: cluster IPs, generated selectors). */
  prepareForCreate?(obj: KubeObject, ctx: StrategyContext): void;
  prepareForUpdate?(obj: KubeObject, old: KubeObject, ctx: StrategyContext): void;
  /** Extra validation beyond the schema; return field errors (empty = valid). */
  validate?(obj: KubeObject, ctx: StrategyContext): FieldError[] | Promise<FieldError[]>;
  validateUpdate?(obj: KubeObject, old: KubeObject, ctx: StrategyContext): FieldError[] | Promise<FieldError[]>;
  /** Fields selectable by fieldSelector beyond metadata.name/namespace, mapped to getters. */
  selectableFields?: Record<string, (obj: KubeObject) => string | undefined>;
  /** Validate object names (default: DNS-1123 subdomain). Return problems. */
  validateName?(name: string): string[];
  /**
   * Finalizers beyond metadata.finalizers that hold a deleted object (namespaces' spec.finalizers).
   * Deletion completes only when both lists are empty.
   */
  extraFinalizers?(obj: KubeObject): string[];
  /** A DELETE answers the deleted object instead of a Success Status (kube's ReturnDeletedObject: Services). */
  returnDeletedObject?: boolean;
  /** Called when deletion starts (deletionTimestamp is set), e.g. to move status to Terminating. */
  prepareForDelete?(obj: KubeObject): void;
}

export interface ResourceDef {
  group: string;
  version: string;
  /** Plural resource name. */
  resource: string;
  kind: string;
  listKind: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  verbs: string[];
  subresources: { status?: boolean; scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string } };
  printerColumns: PrinterColumn[];
  /** Structural schema of the whole object (apiVersion, kind, metadata, spec, status…). */
  schema?: JSONSchemaProps;
  /** Built-in (compiled-in) types accept strategic-merge-patch; CRDs do not. */
  builtin: boolean;
  strategy?: Strategy;
  /** Where the definition came from: 'builtin', 'crd:<name>', 'binding:<name>'. */
  source: string;
  /** The identity hash of the APIExport that serves it, for bound resources (storage is keyed by it). */
  identityHash?: string;
  /**
   * A storage key of its own instead of `<group>/<resource>`: a version whose objects are stored as
   * another version's and converted on the way in and out by a store wrapper (registry/converted-storage.ts).
   */
  storedAs?: string;
}

/** The storage resource key for a def: `configmaps` or `apps/deployments`. */
export function storageResource(def: Pick<ResourceDef, 'group' | 'resource' | 'storedAs'>): string {
  return def.storedAs ?? (def.group ? `${def.group}/${def.resource}` : def.resource);
}

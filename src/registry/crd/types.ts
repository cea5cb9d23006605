/**
 * The parts of apiextensions.k8s.io/v1 CustomResourceDefinition this package reads. (APIResourceSchemas
 * share `spec.{group,names,scope,versions}`, so the same code serves kcp's bound resources.)
 */
import type { JSONSchemaProps } from '../types.js';
import type { KubeObject } from '../../storage/types.js';

export interface CRDNames {
  plural?: string;
  singular?: string;
  kind?: string;
  listKind?: string;
  shortNames?: string[];
  categories?: string[];
}

export interface CRDPrinterColumn {
  name?: string;
  type?: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath?: string;
}

export interface CRDScale {
  specReplicasPath?: string;
  statusReplicasPath?: string;
  labelSelectorPath?: string;
}

export interface CRDVersion {
  name?: string;
  served?: boolean;
  storage?: boolean;
  deprecated?: boolean;
  deprecationWarning?: string;
  schema?: { openAPIV3Schema?: JSONSchemaProps };
  subresources?: { status?: Record<string, never> | object; scale?: CRDScale };
  additionalPrinterColumns?: CRDPrinterColumn[];
  selectableFields?: Array<{ jsonPath?: string }>;
}

export interface CRDSpec {
  group?: string;
  names?: CRDNames;
  scope?: string;
  versions?: CRDVersion[];
  conversion?: { strategy?: string; webhook?: { clientConfig?: { service?: { port?: number } & Record<string, unknown> } & Record<string, unknown> } & Record<string, unknown> };
  preserveUnknownFields?: boolean;
}

export interface CRDCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface CRDStatus {
  conditions?: CRDCondition[];
  acceptedNames?: CRDNames;
  storedVersions?: string[];
}

export type CustomResourceDefinition = KubeObject & { spec?: CRDSpec; status?: CRDStatus };

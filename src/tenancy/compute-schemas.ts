/**
 * The `kubernetes` APIExport of root:compute, as kcp's TMC shipped it: the workload types
 * (deployments, statefulsets, daemonsets, jobs, services, ingresses, persistentvolumeclaims) as
 * APIResourceSchemas derived from the built-in definitions, so a consumer workspace gets them
 * by binding rather than having them built in.
 */
import type { KubeObject } from '../storage/types.js';
import type { ResourceDef } from '../registry/types.js';
import { apiResourceSchemaNameOf } from '../machinery/schema-names.js';

export const COMPUTE_WORKSPACE = 'root:compute';
export const COMPUTE_EXPORT = 'kubernetes';

/** kcp's naming, `<content prefix>.<plural>.<group>`: the prefix changes with the schema, so an upgrade that changes a workload schema ships it under a new name (schemas are immutable). */
export function schemaName(def: ResourceDef): string {
  return apiResourceSchemaFor(def).metadata.name!;
}

/** The served schema without the wrapper the registry adds (apiVersion/kind/metadata come back on serving); kcp's shape puts it directly in the version. */
function openAPIV3Schema(def: ResourceDef): Record<string, unknown> {
  const s = structuredClone(def.schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }) as Record<string, any>;
  if (s.properties) {
    delete s.properties.apiVersion;
    delete s.properties.kind;
    delete s.properties.metadata;
  }
  return s;
}

export function apiResourceSchemaFor(def: ResourceDef): KubeObject {
  const version: Record<string, unknown> = {
    name: def.version, served: true, storage: true,
    schema: openAPIV3Schema(def),
    additionalPrinterColumns: def.printerColumns.filter((c) => c.jsonPath).map((c) => ({
      name: c.name, type: c.type, jsonPath: c.jsonPath, ...(c.priority ? { priority: c.priority } : {}), ...(c.description ? { description: c.description } : {}),
    })),
  };
  if (def.subresources.status) version.subresources = { status: {} };
  const spec = {
    group: def.group,
    names: { plural: def.resource, singular: def.singular, kind: def.kind, listKind: def.listKind,
      ...(def.shortNames?.length ? { shortNames: def.shortNames } : {}), ...(def.categories?.length ? { categories: def.categories } : {}) },
    scope: def.namespaced ? 'Namespaced' : 'Cluster',
    versions: [version],
  };
  return { apiVersion: 'apis.kcp.io/v1alpha1', kind: 'APIResourceSchema', metadata: { name: apiResourceSchemaNameOf(spec) }, spec };
}

export function computeExport(defs: ResourceDef[]): KubeObject {
  return {
    apiVersion: 'apis.kcp.io/v1alpha1', kind: 'APIExport',
    metadata: { name: COMPUTE_EXPORT, annotations: { 'extra.apis.kcp.io/compute.workload.kcp.io': 'true' } },
    spec: { latestResourceSchemas: defs.map(schemaName) },
  };
}

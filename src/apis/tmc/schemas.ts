/**
 * The kcp objects that define the TMC API, as typed data: the APIResourceSchemas of
 * tmc.kcp.io/v1alpha1 and the APIExport `tmc.kcp.io` that serves them from `root:tmc`. The server
 * bootstraps root:tmc from these, so it never reads manifests/ at run time. The data itself is
 * generated from openapi/ into apiresourceschemas.generated.ts; this file gives it a few lookups.
 * The object types are in kcp-types.ts (re-exported here).
 *
 * May import: nothing outside src/apis.
 */
import {
  GENERATED_API_EXPORT,
  GENERATED_API_EXPORT_WORKSPACE,
  GENERATED_API_RESOURCE_SCHEMAS,
  GENERATED_CLAIM_IDENTITY_SOURCES,
} from './apiresourceschemas.generated.js';
import type { APIExport, APIResourceSchema, ClaimIdentitySource } from './kcp-types.js';

export type * from './kcp-types.js';

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

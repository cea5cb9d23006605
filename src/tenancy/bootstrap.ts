/**
 * First-start bootstrap of the kcp model TMC stands on: kcp's built-in WorkspaceTypes, the workspaces `root:compute` (APIExport
 * `kubernetes`: the workload types) and `root:tmc` (APIExport `tmc.kcp.io`: the TMC API, claiming
 * the workloads of its consumers). Idempotent: objects that exist are left alone, so a restart
 * (or an admin's edits) keeps what is stored — except the two APIExports, which are brought up to
 * what this version ships, as kcp's bootstrap does with its own objects (see ensureCurrent).
 */
import { systemScope } from '../registry/system-scope.js';
import { StatusError } from '../errors/status.js';
import type { Logger } from '../observability/logger.js';
import type { GenericStore, RequestScope } from '../registry/generic-store.js';
import type { ResourceCatalog } from '../registry/catalog.js';
import type { ResourceDef } from '../registry/types.js';
import type { KubeObject } from '../storage/types.js';
import { deepEqual } from '../machinery/objects.js';
import { TMC_API_EXPORT_WORKSPACE, TMC_API_RESOURCE_SCHEMAS, tmcAPIExportWithIdentities } from '../apis/tmc/schemas.js';
import type { APIBindings } from './apis/api-bindings.js';
import { APIS_GROUP } from './apis/api-bindings.js';
import { builtinWorkspaceTypeObjects } from './workspaces/workspace-types.js';
import { COMPUTE_EXPORT, COMPUTE_WORKSPACE, apiResourceSchemaFor, computeExport } from './compute-schemas.js';


export interface BootstrapDeps {
  generic: GenericStore;
  catalog: ResourceCatalog;
  bindings: APIBindings;
  log: Logger;
  /** The workload defs the compute export serves. */
  workloadDefs: ResourceDef[];
  /** Waits until a logical cluster is known to the server (its Workspace was stored). */
  clusterReady: (cluster: string) => Promise<void>;
}

function scope(cluster: string): RequestScope {
  return systemScope('bootstrap', cluster, '', 'tmc-bootstrap');
}

async function ensure(d: BootstrapDeps, cluster: string, group: string, version: string, resource: string, obj: KubeObject): Promise<void> {
  const def = d.catalog.resolve(cluster, group, version, resource);
  if (!def) throw new Error(`bootstrap: ${resource}.${group} is not served in ${cluster}`);
  try {
    await d.generic.create(scope(cluster), def, obj);
  } catch (e) {
    if (!(e instanceof StatusError && e.reason === 'AlreadyExists')) throw e;
  }
}

/** kcp's opt-out (config/helpers/bootstrap.go): an object carrying it is created once and never updated at start. */
export const CREATE_ONLY_ANNOTATION = 'bootstrap.kcp.io/create-only';

/**
 * Creates the object, or brings a stored one's spec up to what this version ships. kcp's
 * bootstrap updates every object it ships that exists unless it carries `bootstrap.kcp.io/create-only`;
 * without that, a data directory made by an older version keeps an export without the claims
 * added since (the TMC export's `events`), and its consumers' Events stay unwritable. Only the
 * spec is written (metadata and status stay), and only when it differs.
 */
async function ensureCurrent(d: BootstrapDeps, cluster: string, group: string, version: string, resource: string, obj: KubeObject): Promise<void> {
  const def = d.catalog.resolve(cluster, group, version, resource);
  if (!def) throw new Error(`bootstrap: ${resource}.${group} is not served in ${cluster}`);
  let stored: KubeObject;
  try {
    stored = await d.generic.get(scope(cluster), def, obj.metadata.name!);
  } catch (e) {
    if (!(e instanceof StatusError && e.reason === 'NotFound')) throw e;
    return ensure(d, cluster, group, version, resource, obj);
  }
  if (stored.metadata.annotations?.[CREATE_ONLY_ANNOTATION] !== undefined) return;
  const spec = { ...(stored.spec ?? {}), ...(obj.spec ?? {}) };
  if (deepEqual(spec, stored.spec)) return;
  await d.generic.update(scope(cluster), def, obj.metadata.name!, { ...stored, spec }, '');
  d.log.info({ cluster, resource: `${resource}.${group}`, name: obj.metadata.name }, 'bootstrap: brought a stored object up to what this version ships');
}

async function ensureWorkspace(d: BootstrapDeps, path: string): Promise<void> {
  const parent = path.slice(0, path.lastIndexOf(':'));
  const name = path.slice(path.lastIndexOf(':') + 1);
  await ensure(d, parent, 'tenancy.kcp.io', 'v1alpha1', 'workspaces', { apiVersion: 'tenancy.kcp.io/v1alpha1', kind: 'Workspace', metadata: { name } });
  await d.clusterReady(path);
}

export async function bootstrapTMC(d: BootstrapDeps): Promise<void> {
  // 0. kcp's built-in WorkspaceTypes in root (resolvable before this; stored so they can be listed and read)
  for (const wt of builtinWorkspaceTypeObjects()) await ensure(d, 'root', 'tenancy.kcp.io', 'v1alpha1', 'workspacetypes', wt);

  // 1. root:compute with the `kubernetes` export
  await ensureWorkspace(d, COMPUTE_WORKSPACE);
  for (const def of d.workloadDefs) {
    await ensure(d, COMPUTE_WORKSPACE, APIS_GROUP, 'v1alpha1', 'apiresourceschemas', apiResourceSchemaFor(def));
  }
  await ensureCurrent(d, COMPUTE_WORKSPACE, APIS_GROUP, 'v1alpha1', 'apiexports', computeExport(d.workloadDefs));
  await d.bindings.settle();
  const computeIdentity = d.bindings.getExport(COMPUTE_WORKSPACE, COMPUTE_EXPORT)?.status?.identityHash as string | undefined;
  if (!computeIdentity) throw new Error('bootstrap: the compute export has no identity after reconcile');

  // 2. root:tmc with the `tmc.kcp.io` export, claiming the compute workloads by identity
  await ensureWorkspace(d, TMC_API_EXPORT_WORKSPACE);
  for (const s of TMC_API_RESOURCE_SCHEMAS) {
    await ensure(d, TMC_API_EXPORT_WORKSPACE, APIS_GROUP, 'v1alpha1', 'apiresourceschemas', structuredClone(s) as unknown as KubeObject);
  }
  const tmcExport = tmcAPIExportWithIdentities((path, name) => d.bindings.getExport(path, name)?.status?.identityHash as string | undefined);
  await ensureCurrent(d, TMC_API_EXPORT_WORKSPACE, APIS_GROUP, 'v1alpha1', 'apiexports', structuredClone(tmcExport) as unknown as KubeObject);
  await d.bindings.settle();
  d.log.info({ compute: COMPUTE_WORKSPACE, tmc: TMC_API_EXPORT_WORKSPACE }, 'bootstrapped the compute and TMC APIExports');
}

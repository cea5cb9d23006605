/**
 * The built-in ResourceDefs, in the groups the server picks from per mode:
 * - coreDefs: what kcp builds into every workspace (namespaces, configmaps, secrets,
 *   serviceaccounts, events, leases, RBAC, CRDs);
 * - workloadDefs: what the compute export (`kubernetes` in root:compute) serves and physical
 *   clusters run (deployments, statefulsets, daemonsets, jobs, services, ingresses, PVCs);
 * - clusterDefs: what only a physical cluster has (nodes);
 * - kcpDefs: workspaces, workspace types, logical clusters and the apis.kcp.io types.
 * Each call builds fresh objects, so callers may adjust them (e.g. swap a strategy).
 */
import type { ResourceDef } from '../types.js';
import { customResourceDefinitionDef } from './apiextensions.js';
import { reviewDefs } from './authz.js';
import { cronJobDef } from './cronjob.js';
import { daemonSetDef, deploymentDef, jobDef, statefulSetDef } from './apps.js';
import { nodeDef, persistentVolumeClaimDef } from './cluster.js';
import { configMapDef, eventDef, eventsV1Def, namespaceDef, secretDef, serviceAccountDef } from './core.js';
import { apiBindingDef, apiBindingV1alpha2Def, apiExportDef, apiExportV1alpha2Def, apiExportEndpointSliceDef, apiResourceSchemaDef, logicalClusterDef, workspaceDef, workspaceTypeDef } from './kcp.js';
import { ingressDef, serviceDef } from './network.js';
import { clusterRoleBindingDef, clusterRoleDef, leaseDef, roleBindingDef, roleDef } from './rbac.js';

export function coreDefs(): ResourceDef[] {
  return [
    namespaceDef(), configMapDef(), secretDef(), serviceAccountDef(), eventDef(), eventsV1Def(), leaseDef(),
    roleDef(), roleBindingDef(), clusterRoleDef(), clusterRoleBindingDef(), customResourceDefinitionDef(),
    ...reviewDefs(),
  ];
}

export function workloadDefs(): ResourceDef[] {
  return [
    deploymentDef(), statefulSetDef(), daemonSetDef(), jobDef(), cronJobDef(), serviceDef(), ingressDef(), persistentVolumeClaimDef(),
  ];
}

export function clusterDefs(): ResourceDef[] {
  return [nodeDef()];
}

export function kcpDefs(): ResourceDef[] {
  return [workspaceDef(), workspaceTypeDef(), logicalClusterDef(), apiResourceSchemaDef(), apiExportDef(), apiBindingDef(), apiExportV1alpha2Def(), apiBindingV1alpha2Def(), apiExportEndpointSliceDef()];
}

/** Every built-in def (all groups above). */
export function builtinResourceDefs(): ResourceDef[] {
  return [...coreDefs(), ...workloadDefs(), ...clusterDefs(), ...kcpDefs()];
}

export * from './apiextensions.js';
export * from './apps.js';
export * from './authz.js';
export * from './cronjob.js';
export * from './cluster.js';
export * from './core.js';
export * from './kcp.js';
export * from './network.js';
export * from './rbac.js';
export { objectMetaSchema, labelSelectorSchema, conditionSchema, rootSchema } from './meta.js';
export { containerSchema, podSpecSchema, podTemplateSpecSchema } from './pod.js';
export { STANDARD_VERBS } from './build.js';

/**
 * Reading a WorkloadPlacement and its PlacementDecisions (the audit trail), shared by the
 * `placement` commands. Decisions are listed by their `tmc.kcp.io/placement-name` label, matched by
 * `spec.placementName`, sorted by revision.
 */
import { PLACEMENT_DECISIONS, WORKLOAD_PLACEMENTS, type PlacementDecision, type WorkloadPlacement } from '../apis/tmc/index.js';
import { PLACEMENT_NAME_LABEL } from '../apis/contract.js';
import { decisionsFor } from '../apis/tmc/explain.js';
import type { KubeClient } from '../client/kube-client.js';
import { isNotFound } from '../errors/status.js';
import { CliError, UsageError } from './errors.js';
import { requireServed } from './served.js';

export async function getPlacement(client: KubeClient, namespace: string, name: string, workspace: string): Promise<WorkloadPlacement> {
  try {
    return await requireServed(workspace, 'workloadplacements', () => client.get(WORKLOAD_PLACEMENTS, namespace, name)) as unknown as WorkloadPlacement;
  } catch (e) {
    if (isNotFound(e)) throw new CliError(`workloadplacement "${name}" not found in namespace ${namespace} of ${workspace}; list them with "kubectl get workloadplacements -n ${namespace}"`);
    throw e;
  }
}

export async function decisionsOf(client: KubeClient, namespace: string, name: string): Promise<PlacementDecision[]> {
  // By label: a namespace of 10 000 placements holds 10 000+ records of ~40 KB each.
  const list = await client.listAll(PLACEMENT_DECISIONS, { namespace, labelSelector: `${PLACEMENT_NAME_LABEL}=${name}` });
  return decisionsFor(list.items as unknown as PlacementDecision[], name);
}

/** `--revision`/`--to-revision` as a positive integer. */
export function parseRevision(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} "${value}" must be a revision number (1, 2, …); see "tmcctl placement history"`);
  return n;
}

export { clusterList } from '../apis/tmc/explain.js';

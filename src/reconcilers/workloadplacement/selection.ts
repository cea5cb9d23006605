/**
 * Which workloads of a namespace a placement owns: those its workloadSelector matches
 * (workloadTypes AND labelSelector AND names), minus those another live placement already owns
 * (the `tmc.kcp.io/placement` annotation names it). First come, first served: a second placement
 * matching the same workload leaves it alone and says so, rather than fighting over its labels.
 */
import { PLACEMENT_ANNOTATION } from '../../apis/contract.js';
import { labelSelectorFromSpec } from '../../machinery/labels.js';
import type { WorkloadPlacement, WorkloadObject } from './types.js';

export function groupOf(w: { apiVersion?: string }): string {
  const av = w.apiVersion ?? '';
  return av.includes('/') ? av.slice(0, av.indexOf('/')) : '';
}

/** Whether the selector matches; an invalid labelSelector matches nothing. */
export function selects(placement: WorkloadPlacement, w: WorkloadObject): boolean {
  const sel = placement.spec.workloadSelector;
  if (!sel) return true;
  if (sel.workloadTypes?.length && !sel.workloadTypes.some((t) => t.kind === w.kind && (t.group ?? '') === groupOf(w))) return false;
  if (sel.names?.length && !sel.names.includes(w.metadata.name)) return false;
  if (sel.labelSelector) {
    try {
      return labelSelectorFromSpec(sel.labelSelector).matches(w.metadata.labels);
    } catch {
      return false;
    }
  }
  return true;
}

export const placementAnnotationValue = (namespace: string, name: string): string => `${namespace}/${name}`;

export interface Selection {
  /** Workloads this placement places, sorted by kind then name. */
  owned: WorkloadObject[];
  /** Workloads it selects but another live placement owns. */
  contested: Array<{ workload: WorkloadObject; owner: string }>;
  /** Workloads annotated as ours that the selector no longer matches: to be released. */
  released: WorkloadObject[];
}

export function selectWorkloads(
  placement: WorkloadPlacement, workspace: string, workloads: readonly WorkloadObject[],
  placementExists: (workspace: string, namespace: string, name: string) => boolean,
): Selection {
  const ns = placement.metadata.namespace as string;
  const me = placementAnnotationValue(ns, placement.metadata.name as string);
  const out: Selection = { owned: [], contested: [], released: [] };
  for (const w of workloads) {
    const owner = w.metadata.annotations?.[PLACEMENT_ANNOTATION];
    const mine = owner === me;
    // A workload being deleted is the syncer's business (finalizers); placing it again would race.
    if (w.metadata.deletionTimestamp) continue;
    if (!selects(placement, w)) {
      if (mine) out.released.push(w);
      continue;
    }
    if (!mine && owner && ownerAlive(owner, ns, workspace, placementExists)) {
      out.contested.push({ workload: w, owner });
      continue;
    }
    out.owned.push(w);
  }
  const order = (a: WorkloadObject, b: WorkloadObject) => cmp(`${a.kind}/${a.metadata.name}`, `${b.kind}/${b.metadata.name}`);
  out.owned.sort(order);
  out.released.sort(order);
  return out;
}

/** A `tmc.kcp.io/placement` annotation value (`namespace/name`; a bare name means `defaultNamespace`). */
export function splitOwner(owner: string, defaultNamespace: string): { namespace: string; name: string } {
  const slash = owner.indexOf('/');
  return slash >= 0 ? { namespace: owner.slice(0, slash), name: owner.slice(slash + 1) } : { namespace: defaultNamespace, name: owner };
}

function ownerAlive(owner: string, ns: string, workspace: string, exists: (ws: string, ns: string, name: string) => boolean): boolean {
  const { namespace: ownerNs, name: ownerName } = splitOwner(owner, ns);
  return exists(workspace, ownerNs, ownerName);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

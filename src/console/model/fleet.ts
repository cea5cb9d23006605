/**
 * The fleet map's model: clusters grouped by region, each with the workloads placed on it (read
 * from the placements' status.placedWorkloads, so every workload kind appears without watching
 * each kind separately).
 */
import type { ClusterRegistration, WorkloadPlacement, WorkloadReference } from '../../apis/tmc/v1alpha1.js';
import { region } from './clusters.js';

export interface PlacedHere {
  ref: WorkloadReference;
  placement: string;
  state?: string;
  replicas?: number;
  ready?: boolean;
}

export interface FleetCluster { cluster: ClusterRegistration; workloads: PlacedHere[] }
export interface FleetRegion { region: string; clusters: FleetCluster[] }

export function fleetMap(clusters: readonly ClusterRegistration[], placements: readonly WorkloadPlacement[]): FleetRegion[] {
  const byCluster = new Map<string, PlacedHere[]>();
  for (const p of placements) {
    const placement = `${p.metadata.namespace ?? ''}/${p.metadata.name ?? ''}`;
    for (const w of p.status?.placedWorkloads ?? []) {
      for (const c of w.clusters ?? []) {
        const list = byCluster.get(c.clusterName) ?? [];
        list.push({ ref: w.workloadRef, placement, state: c.state, replicas: c.replicas, ready: c.ready });
        byCluster.set(c.clusterName, list);
      }
    }
  }
  const regions = new Map<string, FleetCluster[]>();
  for (const cluster of clusters) {
    const r = region(cluster);
    const list = regions.get(r) ?? [];
    const workloads = (byCluster.get(cluster.metadata.name ?? '') ?? []).sort((a, b) => refName(a.ref).localeCompare(refName(b.ref)));
    list.push({ cluster, workloads });
    regions.set(r, list);
  }
  return [...regions].sort((a, b) => a[0].localeCompare(b[0])).map(([name, list]) => ({
    region: name,
    clusters: list.sort((a, b) => (a.cluster.metadata.name ?? '').localeCompare(b.cluster.metadata.name ?? '')),
  }));
}

export const refName = (r: WorkloadReference): string => `${r.namespace ?? ''}/${r.name}`;

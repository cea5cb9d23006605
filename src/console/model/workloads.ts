/**
 * A workload as the console shows it: which placement owns it, where it runs and how it is doing
 * on each cluster. Read from the placement's status.placedWorkloads and, when the workload object
 * is at hand, its per-cluster status annotations (`status.tmc.kcp.io/<clusterKey>`, DESIGN §5).
 */
import type { ClusterRegistration, PlacedWorkload, WorkloadPlacement, WorkloadReference } from '../../apis/tmc/v1alpha1.js';
import { clusterHealth, type Health } from './clusters.js';

const STATUS_ANNOTATION_PREFIX = 'status.tmc.kcp.io/';

export interface WorkloadKey { namespace: string; group: string; kind: string; name: string }

export function sameWorkload(ref: WorkloadReference, k: WorkloadKey): boolean {
  return ref.name === k.name && (ref.namespace ?? '') === k.namespace && ref.kind === k.kind && (ref.group ?? '') === k.group;
}

/** The placement (and its entry) that places this workload, if any. */
export function placementOf(placements: readonly WorkloadPlacement[], k: WorkloadKey): { placement: WorkloadPlacement; placed: PlacedWorkload } | undefined {
  for (const placement of placements) {
    const placed = placement.status?.placedWorkloads?.find((w) => sameWorkload(w.workloadRef, k));
    if (placed) return { placement, placed };
  }
  return undefined;
}

export interface ClusterRow {
  clusterName: string;
  /** Pending | Sync | Deleting | Failed, as the placement reports it. */
  state: string;
  replicas?: number;
  ready?: boolean;
  message?: string;
  health: Health | 'Gone';
  /** From the workload's status annotation for that cluster: e.g. readyReplicas/replicas. */
  observed?: { readyReplicas?: number; replicas?: number; availableReplicas?: number };
}

type StatusObject = { metadata?: { annotations?: Record<string, string> } };

/** One row per cluster the workload is placed on, joined with the cluster's health and the workload's status there. */
export function clusterRows(placed: PlacedWorkload, clusters: readonly ClusterRegistration[], workload?: StatusObject): ClusterRow[] {
  const byName = new Map(clusters.map((c) => [c.metadata.name ?? '', c]));
  return (placed.clusters ?? []).map((c) => {
    const cluster = byName.get(c.clusterName);
    const row: ClusterRow = {
      clusterName: c.clusterName, state: c.state ?? 'Pending', replicas: c.replicas, ready: c.ready, message: c.message,
      health: cluster ? clusterHealth(cluster).health : 'Gone',
    };
    const key = cluster?.status?.clusterKey;
    const raw = key ? workload?.metadata?.annotations?.[STATUS_ANNOTATION_PREFIX + key] : undefined;
    if (raw) {
      try {
        const s = JSON.parse(raw) as Record<string, unknown>;
        row.observed = { readyReplicas: num(s.readyReplicas), replicas: num(s.replicas), availableReplicas: num(s.availableReplicas) };
      } catch { /* a malformed annotation shows as no observed status */ }
    }
    return row;
  }).sort((a, b) => a.clusterName.localeCompare(b.clusterName));
}

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

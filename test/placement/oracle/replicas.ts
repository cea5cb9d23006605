/**
 * Replica assignment over the selected clusters (given best-first).
 *
 * - Duplicated (default): every cluster runs spec.replicas.
 * - Divided + Weighted, static weights: each cluster's weight is the largest weight of the
 *   static[] entries whose clusterSelector matches it (0 when none; all 0 → all 1, as Karmada);
 *   split by Webster/Sainte-Laguë. Computed fresh each time: house monotonicity already makes a
 *   scale up/down move only the difference.
 * - Divided + Weighted, dynamic AvailableReplicas (and Weighted with no weights: equal shares):
 *   weights are the replicas that still fit per cluster.
 * - Divided + Aggregated: the fewest clusters (most room first, current ones first) whose room
 *   covers the replicas, split by room.
 * Dynamic and Aggregated run Karmada's "steady" mode against the previous decision: replicas
 * already on a still-selected cluster stay; a scale-up hands out only the delta; a scale-down
 * removes in proportion to the current shares. No cluster ever gets more than fits (its
 * availableReplicas), and a cluster kept only because it already held the workload (cordoned,
 * draining, …) never gets more than it had.
 */
import type { ClusterView } from './cluster-view.js';
import { Reason } from './reasons.js';
import type { CompiledClusterSelector } from './selectors.js';
import { webster } from './apportion.js';
import type { ReplicaScheduling } from './types.js';

export interface Division {
  /** Replicas per selected cluster (same order as the input). */
  replicas: number[];
  problem?: { reason: string; message: string };
}

export interface DivideInput {
  total: number;
  clusters: readonly ClusterView[];
  /** Clusters kept only because the workload is already there. */
  retained: ReadonlySet<string>;
  scheduling: ReplicaScheduling | undefined;
  /** Compiled weights.static[] selectors, same order as the spec. */
  staticSelectors: Array<{ selector: CompiledClusterSelector; weight: number }>;
}

export function isDivided(s: ReplicaScheduling | undefined): boolean {
  return s?.type === 'Divided';
}

export function divideReplicas(input: DivideInput): Division {
  const { total, clusters, retained, scheduling } = input;
  if (!isDivided(scheduling)) return { replicas: clusters.map(() => total) };
  const caps = clusters.map((c) => (retained.has(c.name) ? Math.min(c.availableReplicas, c.previousReplicas) : c.availableReplicas));
  const room = caps.reduce((s, x) => s + x, 0);
  if (room < total) {
    return {
      replicas: clusters.map(() => 0),
      problem: {
        reason: Reason.InsufficientCapacity,
        message: `${total} replicas requested, only ${room} fit on the ${clusters.length} selected cluster${clusters.length === 1 ? '' : 's'}`,
      },
    };
  }
  const replicas = assign(input, caps);
  const placed = replicas.reduce((s, x) => s + x, 0);
  if (placed < total) {
    // Only when clusters with room have weight 0: a static weight of 0 means "not here".
    return {
      replicas: clusters.map(() => 0),
      problem: { reason: Reason.InsufficientCapacity, message: `${total} replicas requested, only ${placed} fit on the selected clusters with a non-zero weight` },
    };
  }
  return { replicas };
}

function assign(input: DivideInput, caps: number[]): number[] {
  const { total, clusters, scheduling } = input;
  const preference = scheduling?.divisionPreference ?? 'Weighted';
  const statics = scheduling?.weights?.static ?? [];
  if (preference === 'Weighted' && statics.length > 0 && scheduling?.weights?.dynamic === undefined) {
    return webster(total, staticWeights(input), caps);
  }
  if (preference === 'Weighted' && scheduling?.weights?.dynamic === undefined) {
    return webster(total, clusters.map(() => 1), caps);
  }
  return steady(total, clusters, caps, preference === 'Aggregated');
}

function staticWeights({ clusters, staticSelectors }: DivideInput): number[] {
  const w = clusters.map((c) => {
    let best = 0;
    for (const s of staticSelectors) if (s.weight > best && s.selector.match(c).matched) best = s.weight;
    return best;
  });
  return w.every((x) => x === 0) ? w.map(() => 1) : w;
}

/** Karmada's steady assignment for dynamic weights and Aggregated. */
function steady(total: number, clusters: readonly ClusterView[], caps: number[], aggregated: boolean): number[] {
  const current = clusters.map((c, i) => Math.min(c.previousReplicas, caps[i]));
  const placed = current.reduce((s, x) => s + x, 0);
  if (placed === total) return current;
  if (placed > total) return webster(total, current, current); // scale down along current shares
  // scale up (or first placement, where current is all 0): hand out only the delta
  const delta = total - placed;
  const remaining = caps.map((cap, i) => cap - current[i]);
  // Unlimited room (no capacity reported) weighs like room for everything (Karmada's fallback).
  const weights = remaining.map((r) => (r === Infinity ? total : r));
  let eligible = weights.map((x) => x > 0);
  if (aggregated) eligible = fewestCovering(delta, clusters, weights);
  const add = webster(delta, weights.map((x, i) => (eligible[i] ? x : 0)), remaining);
  return current.map((x, i) => x + add[i]);
}

/** Aggregated: clusters already holding replicas first, then most room; the shortest prefix whose room covers `need`. */
function fewestCovering(need: number, clusters: readonly ClusterView[], room: number[]): boolean[] {
  const order = clusters.map((_, i) => i).filter((i) => room[i] > 0);
  order.sort((a, b) => Number(clusters[b].previousReplicas > 0) - Number(clusters[a].previousReplicas > 0) || room[b] - room[a] || a - b);
  const pick = clusters.map(() => false);
  let covered = 0;
  for (const i of order) {
    if (covered >= need) break;
    pick[i] = true;
    covered += room[i];
  }
  return pick;
}

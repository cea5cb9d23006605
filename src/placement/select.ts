/**
 * Selection: which feasible clusters are chosen, given their rank (total score desc, name asc),
 * numberOfClusters and spreadConstraints.
 *
 * Without spread constraints: the top N. With them:
 * 1. Per constraint, in order, group the remaining clusters by the topology label and keep the
 *    best min(#groups, maxGroups) groups (ranked by the summed totals of the clusters each would
 *    contribute, then by name); fewer than minGroups groups is unsatisfiable.
 * 2. Greedy fill: first one cluster from each of the best groups until every constraint has
 *    minGroups groups, then repeatedly the best-ranked cluster whose addition keeps every
 *    constraint's skew (max − min clusters over its kept groups, empty groups included, as in
 *    Kubernetes topology spread) within maxSkew. Stops at N or when no cluster can be added.
 * Clusters are bucketed by their tuple of group values, so one step costs O(buckets), and the
 * skew check is O(1) per constraint (counts of counts track the minimum). With several
 * constraints the greedy is not guaranteed to find a selection when one exists (it never
 * backtracks); it then reports NotEnoughClusters rather than breaking a constraint.
 */
import { Reason } from './reasons.js';
import type { SpreadConstraint } from './types.js';

export interface Ranked {
  name: string;
  labels: Record<string, string>;
  total: number;
  /** Position in the ranking (0 = best). */
  rank: number;
  /** The caller's handle on the cluster. */
  index: number;
}

export interface Selection {
  selected: Ranked[];
  /** fatal: nothing can be scheduled; otherwise fewer clusters than asked for were chosen. */
  problem?: { reason: string; message: string; fatal: boolean };
}

export function selectClusters(ranked: readonly Ranked[], numberOfClusters: number | undefined, constraints: readonly SpreadConstraint[]): Selection {
  const wanted = numberOfClusters === undefined ? ranked.length : Math.max(0, Math.floor(numberOfClusters));
  if (constraints.length === 0) {
    const selected = ranked.slice(0, wanted);
    if (selected.length < wanted) {
      return { selected, problem: { reason: Reason.NotEnoughClusters, message: `selected ${selected.length} of ${wanted} requested clusters`, fatal: false } };
    }
    return { selected };
  }
  return spreadSelect(ranked, numberOfClusters, wanted, constraints);
}

class GroupCounts {
  readonly counts = new Map<string, number>();
  /** how many kept groups hold exactly k selected clusters */
  private readonly freq = new Map<number, number>();
  min = 0;
  max = 0;
  used = 0;

  constructor(groups: readonly string[]) {
    for (const g of groups) this.counts.set(g, 0);
    this.freq.set(0, groups.length);
  }

  /** Skew after adding one cluster to `g`. */
  skewAfterAdd(g: string): number {
    const c = this.counts.get(g)!;
    const newMax = Math.max(this.max, c + 1);
    const newMin = c === this.min && this.freq.get(c) === 1 ? this.min + 1 : this.min;
    return newMax - newMin;
  }

  add(g: string): void {
    const c = this.counts.get(g)!;
    if (c === 0) this.used++;
    this.counts.set(g, c + 1);
    this.freq.set(c, this.freq.get(c)! - 1);
    this.freq.set(c + 1, (this.freq.get(c + 1) ?? 0) + 1);
    if (c + 1 > this.max) this.max = c + 1;
    if (c === this.min && this.freq.get(c) === 0) this.min = c + 1;
  }
}

function spreadSelect(ranked: readonly Ranked[], explicitN: number | undefined, wanted: number, constraints: readonly SpreadConstraint[]): Selection {
  let pool = ranked.slice();
  const kept: string[][] = [];
  for (const sc of constraints) {
    const groups = new Map<string, Ranked[]>();
    for (const r of pool) {
      const g = r.labels[sc.topologyKey];
      let list = groups.get(g);
      if (!list) groups.set(g, (list = []));
      list.push(r);
    }
    const minGroups = sc.minGroups ?? 1;
    const use = Math.min(groups.size, sc.maxGroups ?? Infinity);
    if (use < minGroups || wanted < minGroups) {
      const why = wanted < minGroups ? `only ${wanted} clusters requested` : `only ${groups.size} groups have eligible clusters${sc.maxGroups !== undefined ? ` (maxGroups ${sc.maxGroups})` : ''}`;
      return { selected: [], problem: { reason: Reason.SpreadConstraintUnsatisfiable, message: `spread by ${sc.topologyKey} needs at least ${minGroups} groups: ${why}`, fatal: true } };
    }
    const per = Math.max(1, Math.ceil(wanted / Math.max(use, 1)));
    const order = [...groups.entries()]
      .map(([g, list]) => ({ g, list, worth: list.slice(0, per).reduce((s, r) => s + r.total, 0) }))
      .sort((a, b) => b.worth - a.worth || Math.min(b.list.length, per) - Math.min(a.list.length, per) || (a.g < b.g ? -1 : a.g > b.g ? 1 : 0))
      .slice(0, use);
    kept.push(order.map((o) => o.g));
    const keep = new Set(kept[kept.length - 1]);
    pool = pool.filter((r) => keep.has(r.labels[sc.topologyKey]));
  }

  // buckets by tuple of group values, each in rank order
  const buckets = new Map<string, { values: string[]; queue: Ranked[]; head: number }>();
  // one constraint (the common case) keys by its value alone: no array and join per cluster
  const only = constraints.length === 1 ? constraints[0].topologyKey : undefined;
  for (const r of pool) {
    const key = only !== undefined ? (r.labels[only] ?? '') : constraints.map((sc) => r.labels[sc.topologyKey]).join('\u0000');
    let b = buckets.get(key);
    if (!b) buckets.set(key, (b = { values: constraints.map((sc) => r.labels[sc.topologyKey]), queue: [], head: 0 }));
    b.queue.push(r);
  }
  const bucketList = [...buckets.values()];
  const counts = kept.map((groups) => new GroupCounts(groups));
  const selected: Ranked[] = [];

  // maxSkew < 1 cannot be reached one cluster at a time (Kubernetes rejects it); read it as 1.
  const allowed = (values: string[]): boolean =>
    constraints.every((sc, j) => sc.maxSkew === undefined || counts[j].skewAfterAdd(values[j]) <= Math.max(1, sc.maxSkew));
  const pick = (ok: (values: string[]) => boolean): boolean => {
    let best: (typeof bucketList)[number] | undefined;
    for (const b of bucketList) {
      if (b.head >= b.queue.length || !ok(b.values)) continue;
      if (!best || b.queue[b.head].rank < best.queue[best.head].rank) best = b;
    }
    if (!best) return false;
    selected.push(best.queue[best.head++]);
    best.values.forEach((v, j) => counts[j].add(v));
    return true;
  };

  // 1. reach minGroups for every constraint, opening a new group each time
  constraints.forEach((sc, j) => {
    while (counts[j].used < (sc.minGroups ?? 1) && selected.length < wanted) {
      if (!pick((values) => counts[j].counts.get(values[j]) === 0 && allowed(values))) break;
    }
  });
  // 2. best-ranked additions that keep every skew within bounds
  while (selected.length < wanted && pick(allowed));

  for (const [j, sc] of constraints.entries()) {
    const minGroups = sc.minGroups ?? 1;
    if (counts[j].used < minGroups) {
      return { selected: [], problem: { reason: Reason.SpreadConstraintUnsatisfiable, message: `spread by ${sc.topologyKey} needs at least ${minGroups} groups, could fill ${counts[j].used}`, fatal: true } };
    }
  }
  selected.sort((a, b) => a.rank - b.rank);
  if (explicitN !== undefined && selected.length < wanted) {
    const limits = constraints.map((sc) => `${sc.topologyKey}${sc.maxSkew !== undefined ? ` maxSkew ${sc.maxSkew}` : ''}${sc.maxGroups !== undefined ? ` maxGroups ${sc.maxGroups}` : ''}`).join(', ');
    return { selected, problem: { reason: Reason.NotEnoughClusters, message: `selected ${selected.length} of ${wanted} requested clusters within spread constraints (${limits})`, fatal: false } };
  }
  return { selected };
}

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
 *
 * Everything is by number: clusters are the caller's indices, a cluster's place in the ranking
 * is its position in `order`, and topology groups are the ids of the fleet's label index
 * (TopologyGroups), so a decision allocates a few typed arrays and no object per cluster.
 */
import { Reason } from './reasons.js';
import type { SpreadConstraint } from './types.js';

/** One topology label over a fleet: each cluster's group id, and what each id stands for. */
export interface TopologyGroups {
  /** per cluster index: its group id */
  readonly ids: Int32Array;
  /** per group id: the label value (undefined: the cluster lacks the label) */
  readonly values: ReadonlyArray<string | undefined>;
  /** per group id: the id clusters are bucketed under (an absent label buckets with "") */
  readonly bucket: Int32Array;
}

export interface Ranking {
  /** cluster indices, best first */
  order: Int32Array;
  /** a cluster's total score */
  totalOf(index: number): number;
  /** the fleet's index of a topology label */
  groups(topologyKey: string): TopologyGroups;
}

export interface Selection {
  /** chosen cluster indices, best first */
  selected: number[];
  /** fatal: nothing can be scheduled; otherwise fewer clusters than asked for were chosen. */
  problem?: { reason: string; message: string; fatal: boolean };
}

export function selectClusters(ranking: Ranking, numberOfClusters: number | undefined, constraints: readonly SpreadConstraint[]): Selection {
  const ranked = ranking.order.length;
  const wanted = numberOfClusters === undefined ? ranked : Math.max(0, Math.floor(numberOfClusters));
  if (constraints.length === 0) {
    const selected = Array.from(ranking.order.subarray(0, Math.min(wanted, ranked)));
    if (selected.length < wanted) {
      return { selected, problem: { reason: Reason.NotEnoughClusters, message: `selected ${selected.length} of ${wanted} requested clusters`, fatal: false } };
    }
    return { selected };
  }
  return spreadSelect(ranking, numberOfClusters, wanted, constraints);
}

/** Selected clusters per kept group of one constraint, by group id. */
class GroupCounts {
  readonly counts: Int32Array;
  /** how many kept groups hold exactly k selected clusters */
  private readonly freq: Int32Array;
  min = 0;
  max = 0;
  used = 0;

  constructor(groupCount: number, kept: number, maxPerGroup: number) {
    this.counts = new Int32Array(groupCount);
    this.freq = new Int32Array(maxPerGroup + 2);
    this.freq[0] = kept;
  }

  /** Skew after adding one cluster to `g`. */
  skewAfterAdd(g: number): number {
    const c = this.counts[g];
    const newMax = Math.max(this.max, c + 1);
    const newMin = c === this.min && this.freq[c] === 1 ? this.min + 1 : this.min;
    return newMax - newMin;
  }

  add(g: number): void {
    const c = this.counts[g];
    if (c === 0) this.used++;
    this.counts[g] = c + 1;
    this.freq[c]--;
    this.freq[c + 1]++;
    if (c + 1 > this.max) this.max = c + 1;
    if (c === this.min && this.freq[c] === 0) this.min = c + 1;
  }
}

interface Bucket {
  /** per constraint: the group id of the bucket's first cluster */
  values: Int32Array;
  /** ranking positions, best first */
  queue: number[];
  head: number;
}

function cmpValue(a: string | undefined, b: string | undefined): number {
  return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
}

function spreadSelect(ranking: Ranking, explicitN: number | undefined, wanted: number, constraints: readonly SpreadConstraint[]): Selection {
  const { order } = ranking;
  const indexes = constraints.map((sc) => ranking.groups(sc.topologyKey));
  // the pool as ranking positions, best first
  let pool = new Int32Array(order.length);
  for (let k = 0; k < pool.length; k++) pool[k] = k;
  const kept: number[][] = [];
  for (let j = 0; j < constraints.length; j++) {
    const sc = constraints[j];
    const { ids, values } = indexes[j];
    const sizes = new Int32Array(values.length);
    // groups in order of first appearance: the sort below is stable, so ties keep that order
    const groups: number[] = [];
    for (let k = 0; k < pool.length; k++) {
      const g = ids[order[pool[k]]];
      if (sizes[g]++ === 0) groups.push(g);
    }
    const minGroups = sc.minGroups ?? 1;
    const use = Math.min(groups.length, sc.maxGroups ?? Infinity);
    if (use < minGroups || wanted < minGroups) {
      const why = wanted < minGroups ? `only ${wanted} clusters requested` : `only ${groups.length} groups have eligible clusters${sc.maxGroups !== undefined ? ` (maxGroups ${sc.maxGroups})` : ''}`;
      return { selected: [], problem: { reason: Reason.SpreadConstraintUnsatisfiable, message: `spread by ${sc.topologyKey} needs at least ${minGroups} groups: ${why}`, fatal: true } };
    }
    const per = Math.max(1, Math.ceil(wanted / Math.max(use, 1)));
    // a group's worth: the totals of the best `per` clusters it would contribute, summed in rank order
    const worth = new Float64Array(values.length);
    const taken = new Int32Array(values.length);
    for (let k = 0; k < pool.length; k++) {
      const i = order[pool[k]];
      const g = ids[i];
      if (taken[g]++ < per) worth[g] += ranking.totalOf(i);
    }
    const best = groups
      .sort((a, b) => worth[b] - worth[a] || Math.min(sizes[b], per) - Math.min(sizes[a], per) || cmpValue(values[a], values[b]))
      .slice(0, use);
    kept.push(best);
    const keep = new Uint8Array(values.length);
    for (const g of best) keep[g] = 1;
    let n = 0;
    for (let k = 0; k < pool.length; k++) if (keep[ids[order[pool[k]]]] === 1) pool[n++] = pool[k];
    pool = pool.subarray(0, n);
  }

  // buckets by tuple of group values (an absent label buckets with ""), each in rank order
  const bucketOf = new Map<number, Bucket>();
  const bucketList: Bucket[] = [];
  for (let k = 0; k < pool.length; k++) {
    const i = order[pool[k]];
    let key = 0;
    for (let j = 0; j < constraints.length; j++) key = key * indexes[j].values.length + indexes[j].bucket[indexes[j].ids[i]];
    let b = bucketOf.get(key);
    if (!b) {
      const values = new Int32Array(constraints.length);
      for (let j = 0; j < constraints.length; j++) values[j] = indexes[j].ids[i];
      b = { values, queue: [], head: 0 };
      bucketOf.set(key, b);
      bucketList.push(b);
    }
    b.queue.push(pool[k]);
  }
  const counts = kept.map((groups, j) => new GroupCounts(indexes[j].values.length, groups.length, pool.length));
  const selected: number[] = [];

  // maxSkew < 1 cannot be reached one cluster at a time (Kubernetes rejects it); read it as 1.
  const allowed = (values: Int32Array): boolean => {
    for (let j = 0; j < constraints.length; j++) {
      const maxSkew = constraints[j].maxSkew;
      if (maxSkew !== undefined && counts[j].skewAfterAdd(values[j]) > Math.max(1, maxSkew)) return false;
    }
    return true;
  };
  const pick = (ok: (values: Int32Array) => boolean): boolean => {
    let best: Bucket | undefined;
    for (const b of bucketList) {
      if (b.head >= b.queue.length || !ok(b.values)) continue;
      if (!best || b.queue[b.head] < best.queue[best.head]) best = b;
    }
    if (!best) return false;
    selected.push(best.queue[best.head++]);
    for (let j = 0; j < constraints.length; j++) counts[j].add(best.values[j]);
    return true;
  };

  // 1. reach minGroups for every constraint, opening a new group each time
  constraints.forEach((sc, j) => {
    while (counts[j].used < (sc.minGroups ?? 1) && selected.length < wanted) {
      if (!pick((values) => counts[j].counts[values[j]] === 0 && allowed(values))) break;
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
  selected.sort((a, b) => a - b);
  for (let k = 0; k < selected.length; k++) selected[k] = order[selected[k]];
  if (explicitN !== undefined && selected.length < wanted) {
    const limits = constraints.map((sc) => `${sc.topologyKey}${sc.maxSkew !== undefined ? ` maxSkew ${sc.maxSkew}` : ''}${sc.maxGroups !== undefined ? ` maxGroups ${sc.maxGroups}` : ''}`).join(', ');
    return { selected, problem: { reason: Reason.NotEnoughClusters, message: `selected ${selected.length} of ${wanted} requested clusters within spread constraints (${limits})`, fatal: false } };
  }
  return { selected };
}

/**
 * The index of one topology label over clusters (their labels in the fleet's order): ids are
 * handed out in order of first appearance; computed once per fleet and label key.
 */
export function topologyGroups(labels: ReadonlyArray<Record<string, string>>, topologyKey: string): TopologyGroups {
  const ids = new Int32Array(labels.length);
  const idOf = new Map<string | undefined, number>();
  const values: Array<string | undefined> = [];
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i][topologyKey];
    let id = idOf.get(v);
    if (id === undefined) {
      id = values.length;
      idOf.set(v, id);
      values.push(v);
    }
    ids[i] = id;
  }
  const bucket = new Int32Array(values.length);
  const empty = idOf.get('');
  for (let g = 0; g < values.length; g++) bucket[g] = values[g] === undefined && empty !== undefined ? empty : g;
  return { ids, values, bucket };
}

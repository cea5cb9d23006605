/**
 * schedule(): one placement decision. Filter → score → select (numberOfClusters, spread) →
 * divide replicas → explain. Pure and deterministic: the same input gives the same decision
 * whatever the order of `clusters`, and `now` is the only time it knows.
 */
import { type ClusterView, clusterView } from './cluster-view.js';
import { FILTERS, type FilterContext, type FilterPlugin } from './filters/index.js';
import { Reason } from './reasons.js';
import { divideReplicas, isDivided } from './replicas.js';
import { resolveScorers, type ScoreContext, type WeightedScorer } from './scorers/index.js';
import { selectClusters, topologyGroups, type TopologyGroups } from './select.js';
import { CompiledClusterSelector } from './selectors.js';
import { ClusterSnapshot, fleetMemo, isMemoized, memoValue, remember } from './snapshot.js';
import { availabilitySummary } from './summary.js';
import { toMillis } from './time.js';
import type {
  Candidate, Decision, DecisionCluster, Eviction, FilterVerdict, Retention, ScoreEntry,
} from './types.js';
import type { ScheduleInput } from './schedule-input.js';
import { workloadSelectorMismatch } from './workload-selector.js';
import { workloadView } from './workload-view.js';

const NO_PREVIOUS: ReadonlyMap<string, number | undefined> = new Map();

export function schedule(input: ScheduleInput): Decision {
  const nowMs = toMillis(input.now);
  const spec = input.placement.spec;
  const opts = input.options ?? {};
  const warnings: string[] = [];
  // Without a caller's snapshot nothing outlives the call: safe for inputs someone mutates.
  const snapshot = opts.snapshot ?? new ClusterSnapshot();
  const cel = snapshot.celRuntime(opts.celCompiler, opts.celEvaluator);
  const celKey = String(snapshot.celId(opts.celCompiler, opts.celEvaluator));
  const workload = workloadView(input.workload, opts, snapshot.quantities);
  const requestKey = snapshot.memoSlot(`fit\u0000${workload.request?.cpu}\u0000${workload.request?.memory}\u0000${workload.request?.pods}`);
  const selectorKey = (s: object) => snapshot.memoSlot(`sel\u0000${celKey}\u0000${JSON.stringify(s)}`);
  const purgeMode = spec.failover?.purgeMode ?? 'Graceful';
  const previous = new Map<string, number | undefined>();
  for (const p of input.previous?.clusters ?? []) previous.set(p.clusterName, p.replicas);

  const mismatch = workloadSelectorMismatch(spec, input.workload);
  if (mismatch) {
    const evictions = [...previous.keys()].sort().map((clusterName) => ({ clusterName, reason: Reason.WorkloadNotSelected, message: mismatch, purgeMode }));
    return { status: 'Unschedulable', clusters: [], unschedulable: { reason: Reason.WorkloadNotSelected, message: mismatch }, candidates: [], evictions, retained: [], warnings };
  }

  const fleet = snapshot.ordered(input.clusters);
  warnings.push(...fleet.warnings);
  // Every cluster as a pod of this size sees it when the workload is not there yet (shared by
  // all decisions over this list), then the few clusters the workload is on, as this one sees them.
  const shared = fleetMemo(fleet, requestKey, () => fleet.facts.map((f) => clusterView(f, workload, NO_PREVIOUS, requestKey)));
  const views = shared.slice();
  const previousAt: number[] = [];
  for (const name of previous.keys()) {
    const i = indexOf(fleet.names, name);
    if (i === undefined) continue;
    views[i] = clusterView(fleet.facts[i], workload, previous, requestKey);
    previousAt.push(i);
  }

  // --- filter ---
  const divided = isDivided(spec.replicaScheduling);
  const ctx: FilterContext = {
    spec, workload, nowMs, cel, divided,
    apiSlot: workload.resource === undefined ? 0 : snapshot.memoSlot(`api\u0000${workload.resource}`),
    ruleSlots: (spec.rules ?? []).map((r) => (r.expression.includes('workload') ? undefined : snapshot.memoSlot(`rule\u0000${celKey}\u0000${r.expression}`))),
    selector: spec.clusterSelector ? new CompiledClusterSelector(spec.clusterSelector, cel, selectorKey(spec.clusterSelector)) : undefined,
  };
  const filters = FILTERS.filter((f) => f.enabled(ctx));
  // Most verdicts are a plain pass: share one frozen object per filter instead of 5 000 copies.
  const passed = filters.map((f): FilterVerdict => Object.freeze({ plugin: f.name, passed: true }));
  const rows: Row[] = new Array(views.length);
  const feasibleBuf = new Int32Array(views.length);
  let feasibleCount = 0;
  const retainedBy = new Map<string, FilterVerdict>();
  // A cluster every filter passes plainly shares this one list (read-only, like `passed`).
  const allPassed: FilterVerdict[] = Object.freeze(passed.slice()) as FilterVerdict[];
  // For a cluster the workload is not on yet, every filter's verdict depends only on the cluster
  // and on placement-level inputs — unless time enters (a drain date, tolerationSeconds) or a rule
  // reads the workload. Then the whole row is memoized per cluster under a key naming all of them,
  // and the fleet keeps the column of those rows, so a decision reads one array.
  const rowSlot = (spec.tolerations ?? []).some((t) => t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) || ctx.ruleSlots.includes(undefined)
    ? undefined
    : snapshot.memoSlot(`row\u0000${celKey}\u0000${requestKey}\u0000${JSON.stringify([
      filters.map((f) => f.name), spec.clusterSelector, spec.tolerations, spec.spreadConstraints?.map((sc) => sc.topologyKey),
      spec.rules, workload.resource, workload.replicas, divided,
    ])}`);
  const sharedRows = rowSlot === undefined ? undefined : fleetMemo(fleet, rowSlot, () => fleetRows(shared, rowSlot, ctx, filters, passed, allPassed));
  for (let i = 0; i < views.length; i++) {
    const c = views[i];
    // the shared row, unless the workload is here (its own view) or a drain date makes it time-dependent
    let row = sharedRows !== undefined && c === shared[i] ? sharedRows[i] : undefined;
    if (row === undefined) row = filterRow(c, ctx, filters, passed, allPassed);
    rows[i] = row;
    if (row.ok) {
      feasibleBuf[feasibleCount++] = i;
      if (row.retained) retainedBy.set(c.name, row.retained);
    }
  }
  const feasible = feasibleBuf.subarray(0, feasibleCount);

  // --- score ---
  // Columns, not per-cluster objects: one Int32Array per scorer over the feasible clusters. The
  // candidate table (one object per cluster) is built from them only when someone reads it.
  const scorers = resolveScorers(spec, warnings);
  const feasibleViews: ClusterView[] = new Array(feasible.length);
  for (let j = 0; j < feasible.length; j++) feasibleViews[j] = views[feasible[j]];
  const sctx = scoreContext(input, workload, previousAt.map((i) => views[i]), divided, snapshot);
  const totals = new Float64Array(feasible.length);
  const scoreColumns: Int32Array[] = [];
  for (const { plugin, weight } of scorers) {
    const scores = plugin.score(feasibleViews, sctx);
    scoreColumns.push(scores);
    for (let j = 0; j < feasible.length; j++) totals[j] += scores[j] * weight;
  }
  /** a cluster's total: Σ score × weight when feasible, else 0 */
  const feasibleAt = new Int32Array(views.length).fill(-1);
  for (let j = 0; j < feasible.length; j++) feasibleAt[feasible[j]] = j;
  const totalOf = (i: number) => (feasibleAt[i] < 0 ? 0 : totals[feasibleAt[i]]);
  const constraints = spec.spreadConstraints ?? [];
  const order = rank(feasible, totals, constraints.length === 0 ? wantedOf(spec.numberOfClusters, feasible.length) : feasible.length);
  const chosenSet = new Uint8Array(views.length);
  const table: CandidateTable = { views, rows, feasibleAt, scorers, scoreColumns, totals, chosen: chosenSet };

  // --- select ---
  const total = views.length;
  const summary = () => availabilitySummary(total, feasible.length, firstFailures(rows));
  const unschedulable = (reason: string, message: string): Decision => withCandidates(
    { status: 'Unschedulable', clusters: [], unschedulable: { reason, message }, evictions: hardEvictions(), retained: [], candidates: [], warnings },
    table,
  );
  const hardEvictions = (): Eviction[] => evictionsFor(previous, fleet.names, totalOf, rows, new Set(), purgeMode, true);
  if (total === 0 || feasible.length === 0) {
    const reason = total === 0 ? Reason.NoClusters : Reason.NoFeasibleClusters;
    const message = total === 0 ? '0/0 clusters are available: no ClusterRegistrations.' : summary();
    return unschedulable(reason, message);
  }
  const groups = (key: string): TopologyGroups => fleetMemo(fleet, snapshot.memoSlot(`topo\u0000${key}`), () => topologyGroups(fleet.facts.map((f) => f.labels), key));
  const selection = selectClusters({ order, totalOf, groups }, spec.numberOfClusters, constraints);
  if (selection.problem?.fatal) return unschedulable(selection.problem.reason, `${selection.problem.message}; ${summary()}`);
  const chosenIdx = selection.selected;
  const chosen = chosenIdx.map((i) => views[i]);

  // --- replicas ---
  let replicas: Array<number | undefined> = chosen.map(() => undefined);
  if (workload.replicas !== undefined) {
    const staticSelectors = (spec.replicaScheduling?.weights?.static ?? []).map((s) => ({ selector: new CompiledClusterSelector(s.clusterSelector ?? {}, cel, selectorKey(s.clusterSelector ?? {})), weight: s.weight }));
    const division = divideReplicas({ total: workload.replicas, clusters: chosen, retained: new Set(retainedBy.keys()), scheduling: spec.replicaScheduling, staticSelectors });
    if (division.problem) return unschedulable(division.problem.reason, `${division.problem.message}; ${summary()}`);
    replicas = division.replicas;
  }

  // Divided drops clusters that get nothing, unless the total is 0 or a spread constraint counts them.
  const keepEmpty = !divided || workload.replicas === 0 || (spec.spreadConstraints?.length ?? 0) > 0;
  const clusters: DecisionCluster[] = [];
  const retained: Retention[] = [];
  const placed = new Set<string>();
  const emptied = new Set<string>();
  chosen.forEach((c, k) => {
    const r = replicas[k];
    if (r === 0 && !keepEmpty) {
      emptied.add(c.name);
      return;
    }
    const i = chosenIdx[k];
    chosenSet[i] = 1;
    placed.add(c.name);
    const why = retainedBy.get(c.name);
    const d: DecisionCluster = { clusterName: c.name, score: totalOf(i), reason: why ? Reason.Retained : Reason.Selected };
    if (c.clusterKey !== undefined) d.clusterKey = c.clusterKey;
    if (r !== undefined) d.replicas = r;
    clusters.push(d);
    if (why) retained.push({ clusterName: c.name, reason: why.reason!, message: why.message ?? '' });
  });

  const evictions = evictionsFor(previous, fleet.names, totalOf, rows, placed, purgeMode, false, emptied);
  const decision: Decision = { status: 'Scheduled', clusters, evictions, retained, candidates: [], warnings };
  if (selection.problem) {
    decision.status = 'PartiallyScheduled';
    decision.unschedulable = { reason: selection.problem.reason, message: `${selection.problem.message}; ${summary()}` };
  }
  return withCandidates(decision, table);
}

function scoreContext(input: ScheduleInput, workload: ScoreContext['workload'], previousViews: ClusterView[], divided: boolean, snapshot: ClusterSnapshot): ScoreContext {
  const previousLocations = new Set<string>();
  const previousRegions = new Set<string>();
  for (const c of previousViews) {
    if (c.location !== undefined) previousLocations.add(c.location);
    if (c.region !== undefined) previousRegions.add(c.region);
  }
  return {
    spec: input.placement.spec,
    workload,
    replicasPerCluster: divided ? 1 : (workload.replicas ?? 1),
    placementCounts: snapshot.counts(input.placementCounts),
    preferredLocations: new Set(input.options?.preferredLocations ?? []),
    previousLocations,
    previousRegions,
  };
}

/**
 * Previous clusters that must be vacated. With `hardOnly` (no new decision could be made) only
 * those a filter rules out entirely, or that no longer exist; otherwise also those not chosen.
 */
function evictionsFor(
  previous: Map<string, number | undefined>,
  names: readonly string[],
  totalOf: (i: number) => number,
  rows: readonly Row[],
  placed: Set<string>,
  purgeMode: Eviction['purgeMode'],
  hardOnly: boolean,
  emptied: Set<string> = new Set(),
): Eviction[] {
  const out: Eviction[] = [];
  for (const name of [...previous.keys()].sort(cmp)) {
    if (placed.has(name)) continue;
    const i = indexOf(names, name);
    if (i === undefined) {
      out.push({ clusterName: name, reason: Reason.ClusterNotFound, message: 'cluster is no longer registered', purgeMode });
      continue;
    }
    const f = rows[i].firstFailure;
    if (f) out.push({ clusterName: name, reason: f.reason ?? f.plugin, message: f.message ?? `${f.plugin} filter failed`, purgeMode });
    else if (hardOnly) continue;
    else if (emptied.has(name)) out.push({ clusterName: name, reason: Reason.NoReplicasAssigned, message: 'replica division assigned no replicas here', purgeMode });
    else out.push({ clusterName: name, reason: Reason.NotSelected, message: `feasible but not selected (score ${totalOf(i)})`, purgeMode });
  }
  return out;
}

/** Binary search: `names` are sorted. */
function indexOf(names: readonly string[], name: string): number | undefined {
  let lo = 0;
  let hi = names.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = cmp(names[mid], name);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

function wantedOf(numberOfClusters: number | undefined, feasible: number): number {
  return numberOfClusters === undefined ? feasible : Math.min(feasible, Math.max(0, Math.floor(numberOfClusters)));
}

/**
 * The feasible clusters best first (total desc; views are in name order with unique names, so
 * the index breaks ties as the name would), as cluster indices, for the first `upTo` of them
 * only: without spread constraints selection reads just the top numberOfClusters, so the rest
 * are not sorted (a top-k pass instead of a full sort).
 */
function rank(feasible: Int32Array, totals: Float64Array, upTo: number): Int32Array {
  const n = feasible.length;
  const better = (a: number, b: number) => totals[b] - totals[a] || a - b;
  let order: Int32Array;
  if (upTo <= 0) order = new Int32Array(0);
  else if (upTo * 8 < n) {
    // bounded insertion into the best `upTo` so far: O(n · k) with k small
    order = new Int32Array(upTo);
    let size = 0;
    for (let j = 0; j < n; j++) {
      if (size === upTo && better(j, order[size - 1]) >= 0) continue;
      let at = size < upTo ? size++ : size - 1;
      while (at > 0 && better(j, order[at - 1]) < 0) {
        order[at] = order[at - 1];
        at--;
      }
      order[at] = j;
    }
  } else {
    order = sortedOrder(totals, better);
    if (upTo < n) order = order.subarray(0, upTo);
  }
  for (let k = 0; k < order.length; k++) order[k] = feasible[order[k]];
  return order;
}

/**
 * 0..n-1 ordered by `better`. With the default weights every total is a small integer, and then
 * (−total, j) packs exactly into one double (|total| < 2^31, j < 2^21): a native numeric sort of
 * a Float64Array, several times faster than a comparator sort. Anything else takes the comparator.
 */
function sortedOrder(totals: Float64Array, better: (a: number, b: number) => number): Int32Array {
  const n = totals.length;
  const order = new Int32Array(n);
  let packable = n < 2 ** 21;
  for (let j = 0; j < n && packable; j++) packable = Number.isInteger(totals[j]) && Math.abs(totals[j]) < 2 ** 31;
  if (!packable) {
    for (let j = 0; j < n; j++) order[j] = j;
    return order.sort(better);
  }
  const keys = new Float64Array(n);
  for (let j = 0; j < n; j++) keys[j] = -totals[j] * 2 ** 21 + j;
  keys.sort();
  for (let k = 0; k < n; k++) order[k] = keys[k] - Math.floor(keys[k] / 2 ** 21) * 2 ** 21;
  return order;
}

/** What the per-cluster candidate rows are built from (see withCandidates). */
interface CandidateTable {
  views: readonly ClusterView[];
  rows: readonly Row[];
  /** per cluster: its position among the feasible clusters, or -1 */
  feasibleAt: Int32Array;
  scorers: readonly WeightedScorer[];
  /** per scorer: one score per feasible cluster */
  scoreColumns: readonly Int32Array[];
  totals: Float64Array;
  /** per cluster: 1 when the decision places the workload there */
  chosen: Uint8Array;
  /** the candidate rows, once read (or set) */
  candidates?: Candidate[];
}

/**
 * Gives `decision` its `candidates` (one row per cluster, every filter's verdict and every
 * scorer's score) as a property computed on first read and then kept: a decision over 1 000
 * clusters would otherwise allocate some 7 000 objects that most callers (a reconcile recording
 * only the chosen clusters' explanation once, a CLI showing the top rows) read once or never.
 * The property is enumerable and in the same place, so the decision reads and compares as the
 * plain object it was.
 */
function withCandidates(decision: Decision, table: CandidateTable): Decision {
  Object.defineProperty(decision, TABLE, { value: table, writable: true, configurable: true, enumerable: false });
  Object.defineProperty(decision, 'candidates', { enumerable: true, configurable: true, get: readCandidates, set: writeCandidates });
  return decision;
}

/*
 * The accessor's functions are the same for every decision, with the table in a hidden property:
 * a getter closing over the table would make every decision's object shape (a map, which lives in
 * the old generation) point at that decision's arrays, keeping them alive until the next full
 * collection: measured, a third of all allocation survived each scavenge.
 */
const TABLE = Symbol('candidateTable');
type WithTable = Decision & { [TABLE]: CandidateTable };

function readCandidates(this: WithTable): Candidate[] {
  const t = this[TABLE];
  return (t.candidates ??= candidateRows(t));
}

function writeCandidates(this: WithTable, v: Candidate[]): void {
  this[TABLE].candidates = v;
}

function candidateRows(t: CandidateTable): Candidate[] {
  // Scores are integers 0..100: one shared frozen entry per (scorer, value) instead of one per cluster.
  const entries: ScoreEntry[][] = t.scorers.map(() => []);
  const out: Candidate[] = new Array(t.views.length);
  for (let i = 0; i < t.views.length; i++) {
    const j = t.feasibleAt[i];
    const scores: ScoreEntry[] = j >= 0 ? new Array(t.scorers.length) : [];
    if (j >= 0) {
      for (let s = 0; s < t.scorers.length; s++) {
        const score = t.scoreColumns[s][j];
        scores[s] = entries[s][score] ??= Object.freeze({ plugin: t.scorers[s].plugin.name, score, weight: t.scorers[s].weight });
      }
    }
    out[i] = { clusterName: t.views[i].name, filters: t.rows[i].verdicts, scores, total: j >= 0 ? t.totals[j] : 0, feasible: j >= 0, selected: t.chosen[i] === 1 };
  }
  return out;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface Row {
  verdicts: FilterVerdict[];
  ok: boolean;
  firstFailure: FilterVerdict | undefined;
  /** the first retained verdict, when some filter kept the cluster only because the workload is there */
  retained: FilterVerdict | undefined;
}

/** Every enabled filter's verdict for one cluster (shared pass objects; see schedule()). */
function filterRow(c: ClusterView, ctx: FilterContext, filters: readonly FilterPlugin[], passed: FilterVerdict[], allPassed: FilterVerdict[]): Row {
  let verdicts = allPassed;
  let ok = true;
  let firstFailure: FilterVerdict | undefined;
  let retained: FilterVerdict | undefined;
  for (let k = 0; k < filters.length; k++) {
    const o = filters[k].filter(c, ctx);
    if (o.passed && o.reason === undefined && !o.retained) {
      if (verdicts !== allPassed) verdicts[k] = passed[k];
      continue;
    }
    if (verdicts === allPassed) verdicts = passed.slice(0, k);
    const v: FilterVerdict = { plugin: filters[k].name, passed: o.passed };
    if (o.reason !== undefined) v.reason = o.reason;
    if (o.message !== undefined) v.message = o.message;
    if (o.retained) {
      v.retained = true;
      retained ??= v;
    }
    verdicts[k] = v;
    if (!o.passed && ok) {
      ok = false;
      firstFailure = v;
    }
  }
  return { verdicts, ok, firstFailure, retained };
}

/** The first failing verdict of every infeasible cluster, in cluster order (for the summary). */
function firstFailures(rows: readonly Row[]): FilterVerdict[] {
  const out: FilterVerdict[] = [];
  for (const row of rows) if (row.firstFailure !== undefined) out.push(row.firstFailure);
  return out;
}

/**
 * Every cluster's row for a workload that is not there yet (see schedule()), as the fleet's
 * column: read from each cluster's memo (so a list in which one cluster changed recomputes one
 * row), undefined where a drain date makes the row depend on the time.
 */
function fleetRows(shared: readonly ClusterView[], rowSlot: number, ctx: FilterContext, filters: readonly FilterPlugin[], passed: FilterVerdict[], allPassed: FilterVerdict[]): Array<Row | undefined> {
  const out: Array<Row | undefined> = new Array(shared.length);
  for (let i = 0; i < shared.length; i++) {
    const c = shared[i];
    if (c.evictAfterMs !== undefined) continue;
    // a cluster the workload is not on is never retained (failNew fails it): nothing per decision
    out[i] = isMemoized(c.facts, rowSlot) ? memoValue<Row>(c.facts, rowSlot) : remember(c.facts, rowSlot, filterRow(c, ctx, filters, passed, allPassed));
  }
  return out;
}

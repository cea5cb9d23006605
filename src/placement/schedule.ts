/**
 * schedule(): one placement decision. Filter → score → select (numberOfClusters, spread) →
 * divide replicas → explain. Pure and deterministic: the same input gives the same decision
 * whatever the order of `clusters`, and `now` is the only time it knows.
 */
import { type ClusterView, clusterView } from './cluster-view.js';
import { FILTERS, type FilterContext, type FilterPlugin } from './filters/index.js';
import { Reason } from './reasons.js';
import { divideReplicas, isDivided } from './replicas.js';
import { resolveScorers, type ScoreContext } from './scorers/index.js';
import { type Ranked, selectClusters } from './select.js';
import { CompiledClusterSelector } from './selectors.js';
import { ClusterSnapshot, isMemoized, memoValue, remember } from './snapshot.js';
import { availabilitySummary } from './summary.js';
import { toMillis } from './time.js';
import type {
  Candidate, Decision, DecisionCluster, Eviction, FilterVerdict, Retention, ScoreEntry,
} from './types.js';
import type { ScheduleInput } from './schedule-input.js';
import { workloadSelectorMismatch } from './workload-selector.js';
import { workloadView } from './workload-view.js';

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

  // Sorting by name makes every later tie-break (and the candidate list) independent of input order.
  const sorted = [...input.clusters].sort((a, b) => cmp(a.metadata.name, b.metadata.name));
  const views: ClusterView[] = [];
  for (const c of sorted) {
    if (views.length > 0 && views[views.length - 1].name === c.metadata.name) {
      warnings.push(`duplicate cluster name "${c.metadata.name}": only the first is considered`);
      continue;
    }
    views.push(clusterView(snapshot.facts(c), workload, previous, requestKey));
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
  const candidates: Candidate[] = new Array(views.length);
  const feasible: number[] = [];
  const firstFailure: Array<FilterVerdict | undefined> = new Array(views.length);
  const retainedBy = new Map<string, FilterVerdict>();
  // A cluster every filter passes plainly shares this one list (read-only, like `passed`).
  const allPassed: FilterVerdict[] = Object.freeze(passed.slice()) as FilterVerdict[];
  // For a cluster the workload is not on yet, every filter's verdict depends only on the cluster
  // and on placement-level inputs — unless time enters (a drain date, tolerationSeconds) or a rule
  // reads the workload. Then the whole row is memoized per cluster under a key naming all of them.
  const rowSlot = (spec.tolerations ?? []).some((t) => t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) || ctx.ruleSlots.includes(undefined)
    ? undefined
    : snapshot.memoSlot(`row\u0000${celKey}\u0000${requestKey}\u0000${JSON.stringify([
      filters.map((f) => f.name), spec.clusterSelector, spec.tolerations, spec.spreadConstraints?.map((sc) => sc.topologyKey),
      spec.rules, workload.resource, workload.replicas, divided,
    ])}`);
  for (let i = 0; i < views.length; i++) {
    const c = views[i];
    const memoizable = rowSlot !== undefined && !c.isPrevious && c.evictAfterMs === undefined;
    let row: Row;
    if (memoizable && isMemoized(c.facts, rowSlot)) row = memoValue<Row>(c.facts, rowSlot);
    else {
      row = filterRow(c, ctx, filters, passed, allPassed);
      // a cluster the workload is not on is never retained (failNew fails it): nothing per decision
      if (memoizable && row.retained === undefined) remember(c.facts, rowSlot!, row);
    }
    if (row.ok) {
      feasible.push(i);
      if (row.retained) retainedBy.set(c.name, row.retained);
    } else firstFailure[i] = row.firstFailure;
    candidates[i] = { clusterName: c.name, filters: row.verdicts, scores: [], total: 0, feasible: row.ok, selected: false };
  }

  // --- score ---
  const scorers = resolveScorers(spec, warnings);
  const feasibleViews = feasible.map((i) => views[i]);
  const sctx = scoreContext(input, workload, views, divided);
  const totals = new Float64Array(feasible.length);
  for (const { plugin, weight } of scorers) {
    const scores = plugin.score(feasibleViews, sctx);
    // Scores are integers 0..100: one shared frozen entry per value instead of one per cluster.
    const shared: ScoreEntry[] = [];
    for (let j = 0; j < feasible.length; j++) {
      const score = scores[j];
      const entry: ScoreEntry = shared[score] ?? (shared[score] = Object.freeze({ plugin: plugin.name, score, weight }));
      candidates[feasible[j]].scores.push(entry);
      totals[j] += scores[j] * weight;
    }
  }
  const ranked: Ranked[] = feasible
    .map((i, j) => {
      candidates[i].total = totals[j];
      return { name: views[i].name, labels: views[i].labels, total: totals[j], rank: 0, index: i };
    })
    // views are in name order (unique names), so the index breaks ties as the name would
    .sort((a, b) => b.total - a.total || a.index - b.index);
  ranked.forEach((r, k) => (r.rank = k));

  // --- select ---
  const total = views.length;
  const summary = () => availabilitySummary(total, feasible.length, firstFailure.filter((v): v is FilterVerdict => v !== undefined));
  const base = { candidates, warnings };
  const hardEvictions = (): Eviction[] => evictionsFor(previous, views, candidates, firstFailure, new Set(), purgeMode, true);
  if (total === 0 || feasible.length === 0) {
    const reason = total === 0 ? Reason.NoClusters : Reason.NoFeasibleClusters;
    const message = total === 0 ? '0/0 clusters are available: no ClusterRegistrations.' : summary();
    return { status: 'Unschedulable', clusters: [], unschedulable: { reason, message }, evictions: hardEvictions(), retained: [], ...base };
  }
  const selection = selectClusters(ranked, spec.numberOfClusters, spec.spreadConstraints ?? []);
  if (selection.problem?.fatal) {
    return { status: 'Unschedulable', clusters: [], unschedulable: { reason: selection.problem.reason, message: `${selection.problem.message}; ${summary()}` }, evictions: hardEvictions(), retained: [], ...base };
  }
  const chosenIdx = selection.selected.map((r) => r.index);
  const chosen = chosenIdx.map((i) => views[i]);

  // --- replicas ---
  let replicas: Array<number | undefined> = chosen.map(() => undefined);
  if (workload.replicas !== undefined) {
    const staticSelectors = (spec.replicaScheduling?.weights?.static ?? []).map((s) => ({ selector: new CompiledClusterSelector(s.clusterSelector ?? {}, cel, selectorKey(s.clusterSelector ?? {})), weight: s.weight }));
    const division = divideReplicas({ total: workload.replicas, clusters: chosen, retained: new Set(retainedBy.keys()), scheduling: spec.replicaScheduling, staticSelectors });
    if (division.problem) {
      return { status: 'Unschedulable', clusters: [], unschedulable: { reason: division.problem.reason, message: `${division.problem.message}; ${summary()}` }, evictions: hardEvictions(), retained: [], ...base };
    }
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
    candidates[i].selected = true;
    placed.add(c.name);
    const why = retainedBy.get(c.name);
    const d: DecisionCluster = { clusterName: c.name, score: candidates[i].total, reason: why ? Reason.Retained : Reason.Selected };
    if (c.clusterKey !== undefined) d.clusterKey = c.clusterKey;
    if (r !== undefined) d.replicas = r;
    clusters.push(d);
    if (why) retained.push({ clusterName: c.name, reason: why.reason!, message: why.message ?? '' });
  });

  const evictions = evictionsFor(previous, views, candidates, firstFailure, placed, purgeMode, false, emptied);
  const decision: Decision = { status: 'Scheduled', clusters, evictions, retained, ...base };
  if (selection.problem) {
    decision.status = 'PartiallyScheduled';
    decision.unschedulable = { reason: selection.problem.reason, message: `${selection.problem.message}; ${summary()}` };
  }
  return decision;
}

function scoreContext(input: ScheduleInput, workload: ScoreContext['workload'], views: ClusterView[], divided: boolean): ScoreContext {
  const previousLocations = new Set<string>();
  const previousRegions = new Set<string>();
  for (const c of views) {
    if (!c.isPrevious) continue;
    if (c.location !== undefined) previousLocations.add(c.location);
    if (c.region !== undefined) previousRegions.add(c.region);
  }
  return {
    spec: input.placement.spec,
    workload,
    replicasPerCluster: divided ? 1 : (workload.replicas ?? 1),
    placementCounts: input.placementCounts ?? {},
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
  views: ClusterView[],
  candidates: Candidate[],
  firstFailure: Array<FilterVerdict | undefined>,
  placed: Set<string>,
  purgeMode: Eviction['purgeMode'],
  hardOnly: boolean,
  emptied: Set<string> = new Set(),
): Eviction[] {
  const out: Eviction[] = [];
  for (const name of [...previous.keys()].sort(cmp)) {
    if (placed.has(name)) continue;
    const i = indexOf(views, name);
    if (i === undefined) {
      out.push({ clusterName: name, reason: Reason.ClusterNotFound, message: 'cluster is no longer registered', purgeMode });
      continue;
    }
    const f = firstFailure[i];
    if (f) out.push({ clusterName: name, reason: f.reason ?? f.plugin, message: f.message ?? `${f.plugin} filter failed`, purgeMode });
    else if (hardOnly) continue;
    else if (emptied.has(name)) out.push({ clusterName: name, reason: Reason.NoReplicasAssigned, message: 'replica division assigned no replicas here', purgeMode });
    else out.push({ clusterName: name, reason: Reason.NotSelected, message: `feasible but not selected (score ${candidates[i].total})`, purgeMode });
  }
  return out;
}

/** Binary search: views are sorted by name. */
function indexOf(views: ClusterView[], name: string): number | undefined {
  let lo = 0;
  let hi = views.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = cmp(views[mid].name, name);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
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

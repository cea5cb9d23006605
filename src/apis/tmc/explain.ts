/**
 * A PlacementDecision read as a table: one row per candidate cluster with each filter's verdict,
 * each scorer's score × weight, the total, the replicas and — for a cluster left out — why. The
 * one model behind `tmcctl placement explain` (rendered as text) and the console's decision table
 * (rendered as HTML), so both say the same thing about the same record.
 *
 * Hand-written, pure (no I/O, no node built-ins: the console bundles it for the browser).
 */
import { rfc3339 } from '../time.js';
import { candidateRows, type CandidateRow } from './evaluation.js';
import type { PlacementDecision, PreviousCluster, SelectedCluster } from './v1alpha1.js';

export type CandidateResult = 'selected' | 'rejected' | 'not chosen';

export interface ExplainedCandidate {
  row: CandidateRow;
  result: CandidateResult;
  /** One cell per `filters` entry: `pass`, `FAIL (Reason)` or `-` (the filter did not judge it). */
  verdicts: string[];
  /** One cell per `scorers` entry: `score×weight` or `-`. */
  scores: string[];
  /** Σ score × weight, undefined when a filter failed. */
  total: number | undefined;
  /** Replicas assigned; `all` for a chosen cluster without a count (Duplicated), undefined when not chosen. */
  replicas: number | 'all' | undefined;
  /** Why it is not among the chosen (undefined when it is). */
  whyNot: string | undefined;
}

export interface ExplainedDecision {
  /** Filter names in the order they ran. */
  filters: string[];
  /** Scorer names in first-seen order. */
  scorers: string[];
  /** Every candidate: chosen first, then feasible by score, then rejected; ties by name. */
  candidates: ExplainedCandidate[];
  selected: SelectedCluster[];
  /** The lowest total among the chosen (what a not-chosen cluster's total is compared with). */
  lowestChosen: number | undefined;
  /** How many clusters the decision considered (more than `candidates` in a bounded record). */
  considered: number;
  /**
   * Set for a bounded record (a decision over more than FULL_RECORD_UP_TO clusters): it lists
   * only some clusters, and these are the counts behind each verdict and the feasible total.
   */
  bounded?: {
    /** How many clusters passed every filter. */
    feasible: number;
    /** Every verdict other than a plain pass: how many clusters got it, and the first few by name. */
    verdicts: Array<{ filter: string; passed: boolean; why: string; count: number; clusters: string[] }>;
  };
}

/** Plugin names in first-seen order across candidates (filters run in the same order for all). */
export function pluginOrder(candidates: readonly CandidateRow[], pick: (c: CandidateRow) => ReadonlyArray<{ plugin: string }> | undefined): string[] {
  const seen: string[] = [];
  for (const c of candidates) for (const p of pick(c) ?? []) if (!seen.includes(p.plugin)) seen.push(p.plugin);
  return seen;
}

/** `Plugin: Reason — message` of the first filter a cluster failed, if any. */
export function firstFailure(c: CandidateRow): string | undefined {
  const f = c.filters.find((x) => !x.passed);
  return f && `${f.plugin}: ${f.reason ?? 'rejected'}${f.message ? ` — ${f.message}` : ''}`;
}

/** Why a candidate is not among the chosen: its first failed filter, or that it scored lower. */
export function rejection(c: CandidateRow, lowestChosen: number | undefined): string {
  const failed = firstFailure(c);
  if (failed) return failed;
  if (c.total !== undefined && lowestChosen !== undefined && c.total < lowestChosen) return `passed every filter but scored ${c.total}, below the lowest chosen (${lowestChosen})`;
  return 'passed every filter but was not needed (numberOfClusters, spread constraints or replica division)';
}

export function explainDecision(d: PlacementDecision): ExplainedDecision {
  const rows = candidateRows(d.spec.evaluation);
  const selected = d.spec.selected ?? [];
  const chosen = new Map(selected.map((s) => [s.clusterName, s]));
  const filters = pluginOrder(rows, (c) => c.filters);
  const scorers = pluginOrder(rows, (c) => c.scores);
  const failed = (c: CandidateRow) => c.filters.some((f) => !f.passed);
  const chosenTotals = rows.filter((c) => chosen.has(c.clusterName)).map((c) => c.total);
  const lowestChosen = chosenTotals.length ? Math.min(...chosenTotals) : undefined;
  const ordered = [...rows].sort((a, b) => Number(chosen.has(b.clusterName)) - Number(chosen.has(a.clusterName))
    || Number(failed(a)) - Number(failed(b)) || b.total - a.total || a.clusterName.localeCompare(b.clusterName));
  const candidates = ordered.map((row): ExplainedCandidate => {
    const isFailed = failed(row);
    const sel = chosen.get(row.clusterName);
    return {
      row,
      result: sel ? 'selected' : isFailed ? 'rejected' : 'not chosen',
      verdicts: filters.map((p) => {
        const f = row.filters.find((x) => x.plugin === p);
        if (!f) return '-';
        return f.passed ? 'pass' : `FAIL${f.reason ? ` (${f.reason})` : ''}`;
      }),
      scores: scorers.map((p) => {
        const s = row.scores.find((x) => x.plugin === p);
        return s ? `${s.score}×${s.weight ?? 1}` : '-';
      }),
      total: isFailed ? undefined : row.total,
      replicas: sel ? (sel.replicas ?? 'all') : undefined,
      whyNot: sel ? undefined : rejection(row, lowestChosen),
    };
  });
  const ev = d.spec.evaluation;
  const isBounded = ev?.feasible !== undefined || (ev?.filters ?? []).some((f) => (f.verdicts ?? []).some((v) => v.count !== undefined));
  const out: ExplainedDecision = { filters, scorers, candidates, selected, lowestChosen, considered: ev?.considered ?? rows.length };
  if (isBounded) {
    out.bounded = {
      feasible: ev?.feasible ?? ev?.scores?.clusters?.length ?? 0,
      verdicts: (ev?.filters ?? []).flatMap((f) => (f.verdicts ?? []).map((v) => ({
        filter: f.plugin, passed: v.passed, why: `${f.plugin}: ${v.reason ?? (v.passed ? 'passed' : 'rejected')}${v.message ? ` — ${v.message}` : ''}`,
        count: v.count ?? v.clusters?.length ?? 0, clusters: v.clusters ?? [],
      }))),
    };
  }
  return out;
}

/** `c1(3), c2(3)`; replicas omitted when the decision has none (Duplicated without a count). */
export function clusterList(clusters: ReadonlyArray<SelectedCluster | PreviousCluster> | undefined): string {
  if (!clusters?.length) return '<none>';
  return clusters.map((c) => (c.replicas !== undefined ? `${c.clusterName}(${c.replicas})` : c.clusterName)).join(', ');
}

/** A placement's decisions among `items` (matched by spec.placementName), oldest revision first. */
export function decisionsFor(items: readonly PlacementDecision[], placementName: string): PlacementDecision[] {
  return items.filter((d) => d.spec?.placementName === placementName).sort((a, b) => a.spec.revision - b.spec.revision);
}

/**
 * The merge patch of a rollback: pin the placement to `revision` (TMC then applies that decision's
 * clusters and replicas instead of scheduling afresh); `null` removes the pin.
 */
export function pinPatch(revision: number | null): { spec: { pinnedRevision: number | null } } {
  return { spec: { pinnedRevision: revision } };
}

export type CordonAction = 'cordon' | 'uncordon' | 'drain';

/** The merge patch of cordon/uncordon/drain on a ClusterRegistration; `now` is RFC 3339 without fractions. */
export function cordonPatch(action: CordonAction, now: Date = new Date()): { spec: { unschedulable: boolean; evictAfter?: string | null } } {
  switch (action) {
    case 'cordon': return { spec: { unschedulable: true } };
    case 'uncordon': return { spec: { unschedulable: false, evictAfter: null } };
    case 'drain': return { spec: { unschedulable: true, evictAfter: rfc3339(now) } };
  }
}

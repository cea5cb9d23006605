/**
 * A PlacementDecision's `evaluation` and the per-cluster rows it stands for. The engine judges
 * every cluster with every filter and scores every feasible one; stored row by row that is ~500
 * bytes per cluster (half a megabyte per decision over 1 000 clusters, over the 3 MiB request
 * limit at 5 000), almost all of it "passed". Stored by column — only the verdicts that are not a
 * plain pass, grouped by verdict, and one score array per plugin — it is ~30 bytes per cluster
 * and loses nothing: `candidateRows(encodeEvaluation(rows))` gives the rows back.
 *
 * Up to FULL_RECORD_UP_TO clusters that is what is stored. Beyond, the record is bounded, as kcp
 * and Karmada report a scheduling result: each verdict names its first LISTED clusters by name
 * and counts the rest, and the score table keeps the chosen clusters and the LISTED best others
 * and counts the feasible ones. ~30 bytes per cluster was still ~29 KB per decision at 1 000
 * clusters, written, validated, stored, sent to every watcher and parsed again: a quarter of the
 * CPU of a placement end to end. Bounded it is ~3 KB whatever the fleet, and still answers "why
 * these clusters, what were the runners-up, why were the others out".
 *
 * Hand-written (not generated); imports only the generated types.
 */
import type { CandidateEvaluation, FilterVerdict, FilterVerdicts, PluginScores } from './v1alpha1.js';

/** One cluster as the engine judged it. */
export interface CandidateRow {
  clusterName: string;
  /** Each filter's verdict, in the order the filters ran. */
  filters: ReadonlyArray<{ plugin: string; passed: boolean; reason?: string; message?: string }>;
  /** Each prioritizer's score; empty when a filter failed (only feasible clusters are scored). */
  scores: ReadonlyArray<{ plugin: string; score: number; weight?: number }>;
  /** Σ score × weight; 0 when a filter failed. */
  total: number;
  /** Whether the decision chose it (a bounded record always keeps the chosen clusters' scores). */
  selected?: boolean;
}

/** Up to this many clusters considered, the record lists every one. */
export const FULL_RECORD_UP_TO = 100;
/** In a bounded record: names per verdict, and best clusters besides the chosen in the score table. */
export const LISTED = 50;

export function encodeEvaluation(rows: readonly CandidateRow[]): CandidateEvaluation {
  const evaluation: CandidateEvaluation = { considered: rows.length };
  if (rows.length === 0) return evaluation;
  const bounded = rows.length > FULL_RECORD_UP_TO;

  const filters = new Map<string, { entry: FilterVerdicts; groups: Map<string, FilterVerdict> }>();
  const feasible: CandidateRow[] = [];
  // The engine gives every cluster that passes each filter plainly one shared verdict list: once
  // seen, such a list needs no second look (most of a large fleet).
  const plainLists = new Set<CandidateRow['filters']>();
  for (const row of rows) {
    if (plainLists.has(row.filters)) {
      feasible.push(row);
      continue;
    }
    let ok = true;
    let plain = true;
    for (const f of row.filters) {
      let filter = filters.get(f.plugin);
      if (!filter) {
        filter = { entry: { plugin: f.plugin }, groups: new Map() };
        filters.set(f.plugin, filter);
      }
      if (!f.passed) ok = false;
      if (f.passed && f.reason === undefined && f.message === undefined) continue;
      plain = false;
      const key = `${f.passed}\u0000${f.reason ?? ''}\u0000${f.message ?? ''}`;
      let group = filter.groups.get(key);
      if (!group) {
        group = { passed: f.passed, clusters: [] };
        if (f.reason !== undefined) group.reason = f.reason;
        if (f.message !== undefined) group.message = f.message;
        filter.groups.set(key, group);
      }
      if (!bounded || group.clusters.length < LISTED) group.clusters.push(row.clusterName);
      else group.count = (group.count ?? LISTED) + 1;
    }
    if (plain) plainLists.add(row.filters);
    if (ok) feasible.push(row);
  }
  evaluation.filters = [...filters.values()].map(({ entry, groups }) => (groups.size > 0 ? { ...entry, verdicts: [...groups.values()] } : entry));

  if (feasible.length > 0) {
    let ranked = feasible
      .map((row) => ({ row, total: Math.round(row.total) }))
      .sort((a, b) => b.total - a.total || cmp(a.row.clusterName, b.row.clusterName));
    if (bounded && ranked.length > LISTED) {
      let others = 0;
      ranked = ranked.filter(({ row }) => row.selected === true || others++ < LISTED);
      if (ranked.length < feasible.length) evaluation.feasible = feasible.length;
    }
    const plugins = new Map<string, PluginScores>();
    ranked.forEach(({ row }, i) => {
      for (const s of row.scores) {
        let p = plugins.get(s.plugin);
        if (!p) {
          p = { plugin: s.plugin, scores: new Array<number>(ranked.length).fill(0) };
          if (s.weight !== undefined) p.weight = Math.round(s.weight);
          plugins.set(s.plugin, p);
        }
        p.scores[i] = Math.round(s.score);
      }
    });
    evaluation.scores = {
      clusters: ranked.map((r) => r.row.clusterName),
      totals: ranked.map((r) => r.total),
      plugins: [...plugins.values()],
    };
  }
  return evaluation;
}

/**
 * The rows again, sorted by cluster name: every filter's verdict for every cluster (a plain pass
 * where no verdict names it) and the scores of those that passed all filters. Tolerates a
 * hand-edited or truncated record: a missing score reads as absent, never as a crash.
 */
export function candidateRows(evaluation: CandidateEvaluation | undefined): CandidateRow[] {
  if (!evaluation) return [];
  const filters = evaluation.filters ?? [];
  const verdictOf = filters.map((f) => {
    const byCluster = new Map<string, FilterVerdict>();
    for (const v of f.verdicts ?? []) for (const name of v.clusters ?? []) if (!byCluster.has(name)) byCluster.set(name, v);
    return byCluster;
  });
  const table = evaluation.scores;
  const scoreIndex = new Map<string, number>();
  (table?.clusters ?? []).forEach((name, i) => {
    if (!scoreIndex.has(name)) scoreIndex.set(name, i);
  });
  const names = new Set(scoreIndex.keys());
  for (const m of verdictOf) for (const name of m.keys()) names.add(name);

  return [...names].sort(cmp).map((clusterName): CandidateRow => {
    const rowFilters = filters.map((f, k) => {
      const v = verdictOf[k].get(clusterName);
      if (!v) return { plugin: f.plugin, passed: true };
      const out: { plugin: string; passed: boolean; reason?: string; message?: string } = { plugin: f.plugin, passed: v.passed };
      if (v.reason !== undefined) out.reason = v.reason;
      if (v.message !== undefined) out.message = v.message;
      return out;
    });
    const i = scoreIndex.get(clusterName);
    if (i === undefined) return { clusterName, filters: rowFilters, scores: [], total: 0 };
    const scores = (table?.plugins ?? []).flatMap((p) => {
      const score = p.scores?.[i];
      if (typeof score !== 'number') return [];
      return [p.weight === undefined ? { plugin: p.plugin, score } : { plugin: p.plugin, score, weight: p.weight }];
    });
    return { clusterName, filters: rowFilters, scores, total: table?.totals?.[i] ?? 0 };
  });
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

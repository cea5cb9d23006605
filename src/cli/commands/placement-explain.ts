/**
 * `tmcctl placement explain <name> [-n ns] [--revision N] [-o table|json|yaml]`: why a placement
 * chose what it chose. Reads the PlacementDecision in effect (or revision N) and prints, per
 * candidate cluster, each filter's verdict and each scorer's score × weight, the total, the chosen
 * clusters and replicas, and why every other cluster was left out.
 */
import type { Command } from 'commander';
import { type CandidateRow, type PlacementDecision, type WorkloadPlacement, candidateRows } from '../../apis/tmc/index.js';
import type { CliContext } from '../context.js';
import { CliError } from '../errors.js';
import { serialize, table } from '../output.js';
import { clusterList, decisionsOf, getPlacement, parseRevision } from '../placement-decisions.js';
import type { Runner } from '../runner.js';

export interface ExplainOptions extends RenderOptions {
  name: string;
  namespace?: string;
  revision?: number;
}

/** Plugin names in first-seen order across candidates (filters run in the same order for all). */
function pluginOrder(candidates: CandidateRow[], pick: (c: CandidateRow) => ReadonlyArray<{ plugin: string }> | undefined): string[] {
  const seen: string[] = [];
  for (const c of candidates) for (const p of pick(c) ?? []) if (!seen.includes(p.plugin)) seen.push(p.plugin);
  return seen;
}

/** Why a candidate is not among the chosen: its first failed filter, or that it scored lower. */
export function rejection(c: CandidateRow, lowestChosen: number | undefined): string {
  const failed = firstFailure(c);
  if (failed) return failed;
  if (c.total !== undefined && lowestChosen !== undefined && c.total < lowestChosen) return `passed every filter but scored ${c.total}, below the lowest chosen (${lowestChosen})`;
  return 'passed every filter but was not needed (numberOfClusters, spread constraints or replica division)';
}

/** `Plugin: Reason — message` of the first filter a cluster failed, if any. */
function firstFailure(c: CandidateRow): string | undefined {
  const f = c.filters.find((x) => !x.passed);
  return f && `${f.plugin}: ${f.reason ?? 'rejected'}${f.message ? ` — ${f.message}` : ''}`;
}

/** One line per reason, kube-scheduler style: "312 × Ready: NotReady — …: c1, c7, … (+307)". */
function groupedRejections(others: readonly CandidateRow[]): string[] {
  const groups = new Map<string, string[]>();
  for (const c of others) {
    const why = firstFailure(c) ?? 'passed every filter, scored lower or not needed';
    const names = groups.get(why);
    if (names) names.push(c.clusterName);
    else groups.set(why, [c.clusterName]);
  }
  return [...groups].sort((a, b) => b[1].length - a[1].length).map(([why, names]) => {
    const more = names.length > NAMES_SHOWN ? `, … (+${names.length - NAMES_SHOWN})` : '';
    return `  ${names.length} × ${why}: ${names.slice(0, NAMES_SHOWN).join(', ')}${more}`;
  });
}

/** Beyond this many clusters the table shows the chosen ones and the best others; `--all` shows every row. */
export const DEFAULT_ROWS = 20;
const RUNNERS_UP = 10;
const NAMES_SHOWN = 5;

export interface RenderOptions {
  /** Every cluster's row, however many. */
  all?: boolean;
  /** Only these clusters' rows (and why each was or was not chosen). */
  clusters?: readonly string[];
}

/** The human-readable explanation of one decision. Pure. */
export function renderExplanation(wp: WorkloadPlacement, d: PlacementDecision, opts: RenderOptions = {}): string {
  const ns = wp.metadata.namespace ?? '';
  const candidates = candidateRows(d.spec.evaluation);
  const selected = d.spec.selected ?? [];
  const chosen = new Map(selected.map((s) => [s.clusterName, s]));
  const filters = pluginOrder(candidates, (c) => c.filters);
  const scorers = pluginOrder(candidates, (c) => c.scores);
  const failed = (c: CandidateRow) => c.filters.some((f) => !f.passed);
  const out: string[] = [];
  const pin = wp.spec?.pinnedRevision ? `, pinned to revision ${wp.spec.pinnedRevision}` : '';
  out.push(`Placement:   ${ns}/${wp.metadata.name} (phase ${wp.status?.phase ?? 'Pending'}, current revision ${wp.status?.currentRevision ?? '-'}${pin})`);
  out.push(`Decision:    ${d.metadata.name} — revision ${d.spec.revision}, trigger ${d.spec.trigger ?? '-'}, at ${d.spec.time ?? d.metadata.creationTimestamp ?? '-'}`);
  if (d.spec.unschedulable?.reason || d.spec.unschedulable?.message) {
    out.push(`Unschedulable: ${d.spec.unschedulable.reason ?? ''}${d.spec.unschedulable.message ? ` — ${d.spec.unschedulable.message}` : ''}`);
  }
  out.push('');
  // selected first, then by score, then by name
  const ordered = [...candidates].sort((a, b) => Number(chosen.has(b.clusterName)) - Number(chosen.has(a.clusterName))
    || Number(failed(a)) - Number(failed(b)) || b.total - a.total || a.clusterName.localeCompare(b.clusterName));
  let shown = ordered;
  let focused = false;
  if (opts.clusters?.length) {
    focused = true;
    const wanted = new Set(opts.clusters);
    shown = ordered.filter((c) => wanted.has(c.clusterName));
    const missing = opts.clusters.filter((n) => !candidates.some((c) => c.clusterName === n));
    if (missing.length) out.push(`Not considered by this decision: ${missing.join(', ')} (not registered in the location workspace at ${d.spec.time ?? 'that time'}).`, '');
  } else if (!opts.all && ordered.length > DEFAULT_ROWS) {
    const runnersUp = ordered.filter((c) => !chosen.has(c.clusterName) && !failed(c)).slice(0, RUNNERS_UP);
    shown = [...ordered.filter((c) => chosen.has(c.clusterName)), ...runnersUp];
  }
  if (candidates.length === 0) {
    out.push('No candidate clusters: none is registered in the location workspace, or the placement selects no workload yet.');
  } else if (shown.length > 0) {
    const rows = shown.map((c) => {
      const failedAt = c.filters.findIndex((f) => !f.passed);
      const verdicts = filters.map((p) => {
        const f = c.filters.find((x) => x.plugin === p);
        if (!f) return '-';
        return f.passed ? 'pass' : `FAIL${f.reason ? ` (${f.reason})` : ''}`;
      });
      const scores = scorers.map((p) => {
        const s = c.scores.find((x) => x.plugin === p);
        return s ? `${s.score}×${s.weight ?? 1}` : '-';
      });
      const sel = chosen.get(c.clusterName);
      const result = sel ? 'selected' : failedAt >= 0 ? 'rejected' : 'not chosen';
      return [c.clusterName, result, ...verdicts, ...scores, failedAt < 0 ? String(c.total) : '-', sel?.replicas !== undefined ? String(sel.replicas) : sel ? 'all' : '-'];
    });
    // a plugin that both filters and scores (TaintToleration) gets two columns: name its score one
    const scoreHeaders = scorers.map((p) => (filters.includes(p) ? `${p}(score)` : p));
    out.push(table(['CLUSTER', 'RESULT', ...filters, ...scoreHeaders, 'TOTAL', 'REPLICAS'], rows).trimEnd());
    out.push('');
    if (shown.length < candidates.length && !focused) {
      out.push(`Showing the ${chosen.size} chosen and the ${shown.length - chosen.size} best other clusters of ${candidates.length}; --all shows every row, --cluster NAME one cluster's.`);
    }
    out.push(`Filters run in this order: ${filters.join(' → ') || '<none>'}. Scores are score×weight; TOTAL is their sum.`);
  }
  out.push(`Selected:    ${selected.length ? selected.map((s) => `${s.clusterName}${s.replicas !== undefined ? ` (${s.replicas} replicas)` : ''}${s.clusterKey ? ` key ${s.clusterKey}` : ''}`).join(', ') : '<none>'}`);
  out.push(`Previous:    ${clusterList(d.spec.previous)}`);
  const chosenTotals = candidates.filter((c) => chosen.has(c.clusterName)).map((c) => c.total);
  const lowest = chosenTotals.length ? Math.min(...chosenTotals) : undefined;
  const others = (focused ? shown : candidates).filter((c) => !chosen.has(c.clusterName));
  if (others.length) {
    out.push('Not chosen:');
    others.sort((a, b) => a.clusterName.localeCompare(b.clusterName));
    if (focused || opts.all || candidates.length <= DEFAULT_ROWS) {
      for (const c of others) out.push(`  ${c.clusterName}: ${rejection(c, lowest)}`);
    } else {
      out.push(...groupedRejections(others));
    }
  }
  return out.join('\n') + '\n';
}

export async function runExplain(ctx: CliContext, o: ExplainOptions): Promise<void> {
  const format = ctx.outputFormat();
  const workspace = ctx.currentWorkspace();
  const namespace = ctx.namespace(o.namespace);
  const client = ctx.client(workspace);
  const wp = await getPlacement(client, namespace, o.name, workspace);
  const decisions = await decisionsOf(client, namespace, o.name);
  if (decisions.length === 0) {
    throw new CliError(`workloadplacement ${namespace}/${o.name} has no PlacementDecision yet (phase ${wp.status?.phase ?? 'Pending'}): it has not selected a workload, or the placement controller has not run; check "kubectl get wp ${o.name} -n ${namespace} -o yaml"`);
  }
  const revision = o.revision ?? wp.status?.currentRevision ?? decisions[decisions.length - 1].spec.revision;
  const d = decisions.find((x) => x.spec.revision === revision);
  if (!d) throw new CliError(`workloadplacement ${namespace}/${o.name} has no revision ${revision}; revisions: ${decisions.map((x) => x.spec.revision).join(', ')}`);
  ctx.io.stdout(format === 'table' ? renderExplanation(wp, d, { all: o.all, clusters: o.clusters }) : serialize(d, format));
}

export function registerPlacementExplain(placement: Command, run: Runner): void {
  placement.command('explain')
    .description('show why a placement chose its clusters: each filter\'s verdict and each scorer\'s score per candidate')
    .argument('<name>', 'the WorkloadPlacement')
    .option('-n, --namespace <ns>', 'its namespace (default: the context\'s, else default)')
    .option('--revision <n>', 'explain this revision instead of the one in effect')
    .option('--all', `a row for every cluster (default: the chosen and the ${RUNNERS_UP} best others when there are more than ${DEFAULT_ROWS})`)
    .option('--cluster <name>', 'only this cluster (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .action(async (name: string, flags: { namespace?: string; revision?: string; all?: boolean; cluster?: string[] }, cmd: Command) =>
      run(cmd, (ctx) => runExplain(ctx, {
        name, namespace: flags.namespace, all: flags.all, clusters: flags.cluster,
        revision: flags.revision === undefined ? undefined : parseRevision('--revision', flags.revision),
      })));
}

/**
 * `tmcctl placement explain <name> [-n ns] [--revision N] [-o table|json|yaml]`: why a placement
 * chose what it chose. Reads the PlacementDecision in effect (or revision N) and prints, per
 * candidate cluster, each filter's verdict and each scorer's score × weight, the total, the chosen
 * clusters and replicas, and why every other cluster was left out.
 */
import type { Command } from 'commander';
import type { CandidateRow, PlacementDecision, WorkloadPlacement } from '../../apis/tmc/index.js';
import { clusterList, explainDecision, type ExplainedDecision, firstFailure, rejection } from '../../apis/tmc/explain.js';
import type { CliContext } from '../context.js';
import { CliError } from '../errors.js';
import { serialize, table } from '../output.js';
import { decisionsOf, getPlacement, parseRevision } from '../placement-decisions.js';
import type { Runner } from '../runner.js';

export interface ExplainOptions extends RenderOptions {
  name: string;
  namespace?: string;
  revision?: number;
}

/** One line per reason, kube-scheduler style: "312 × Ready: NotReady — …: c1, c7, … (+307)". */
/**
 * A bounded record (a decision over many clusters) lists some clusters only: the "not chosen"
 * lines come from its counts — each failing verdict with how many clusters got it, and the
 * feasible clusters beyond the chosen.
 */
function boundedRejections(b: NonNullable<ExplainedDecision['bounded']>, chosen: number, listedOthers: readonly string[]): string[] {
  const line = (count: number, why: string, names: readonly string[]) => {
    const shown = names.slice(0, NAMES_SHOWN);
    const more = count > shown.length ? `, … (+${count - shown.length})` : '';
    return { count, text: `  ${count} × ${why}: ${shown.join(', ')}${more}` };
  };
  const lines = b.verdicts.filter((v) => !v.passed).map((v) => line(v.count, v.why, v.clusters));
  if (b.feasible > chosen) lines.push(line(b.feasible - chosen, 'passed every filter, scored lower or not needed', listedOthers));
  return lines.sort((a, c) => c.count - a.count).map((l) => l.text);
}

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
  const explained = explainDecision(d);
  const { filters, scorers, selected } = explained;
  const candidates = explained.candidates.map((c) => c.row);
  const chosen = new Set(selected.map((s) => s.clusterName));
  const out: string[] = [];
  const pin = wp.spec?.pinnedRevision ? `, pinned to revision ${wp.spec.pinnedRevision}` : '';
  out.push(`Placement:   ${ns}/${wp.metadata.name} (phase ${wp.status?.phase ?? 'Pending'}, current revision ${wp.status?.currentRevision ?? '-'}${pin})`);
  out.push(`Decision:    ${d.metadata.name} — revision ${d.spec.revision}, trigger ${d.spec.trigger ?? '-'}, at ${d.spec.time ?? d.metadata.creationTimestamp ?? '-'}`);
  const rollbackOf = d.metadata.annotations?.['tmc.kcp.io/rollback-of'];
  if (d.spec.trigger === 'Rollback' || rollbackOf) {
    out.push(`Rollback:    this decision is a rollback${rollbackOf ? ` to revision ${rollbackOf}` : ''}: it re-applies that revision's clusters and replicas instead of scheduling afresh (the verdicts below are that revision's); "tmcctl placement unpin ${wp.metadata.name}" resumes scheduling`);
  }
  if (d.spec.unschedulable?.reason || d.spec.unschedulable?.message) {
    out.push(`Unschedulable: ${d.spec.unschedulable.reason ?? ''}${d.spec.unschedulable.message ? ` — ${d.spec.unschedulable.message}` : ''}`);
  }
  out.push('');
  // selected first, then by score, then by name (explainDecision's order)
  const ordered = explained.candidates;
  let shown = ordered;
  let focused = false;
  if (opts.clusters?.length) {
    focused = true;
    const wanted = new Set(opts.clusters);
    shown = ordered.filter((c) => wanted.has(c.row.clusterName));
    const missing = opts.clusters.filter((n) => !candidates.some((c) => c.clusterName === n));
    if (missing.length && explained.bounded) {
      out.push(`Not listed in this decision's record: ${missing.join(', ')} (over ${explained.considered} clusters the record keeps the chosen, the best others and the first names of each verdict; see "Not chosen" for the counts).`, '');
    } else if (missing.length) out.push(`Not considered by this decision: ${missing.join(', ')} (not registered in the location workspace at ${d.spec.time ?? 'that time'}).`, '');
  } else if (!opts.all && ordered.length > DEFAULT_ROWS) {
    const runnersUp = ordered.filter((c) => c.result === 'not chosen').slice(0, RUNNERS_UP);
    shown = [...ordered.filter((c) => c.result === 'selected'), ...runnersUp];
  }
  if (candidates.length === 0) {
    out.push('No candidate clusters: none is registered in the location workspace, or the placement selects no workload yet.');
  } else if (shown.length > 0) {
    const rows = shown.map((c) => [c.row.clusterName, c.result, ...c.verdicts, ...c.scores,
      c.total === undefined ? '-' : String(c.total), c.replicas === undefined ? '-' : String(c.replicas)]);
    // a plugin that both filters and scores (TaintToleration) gets two columns: name its score one
    const scoreHeaders = scorers.map((p) => (filters.includes(p) ? `${p}(score)` : p));
    out.push(table(['CLUSTER', 'RESULT', ...filters, ...scoreHeaders, 'TOTAL', 'REPLICAS'], rows).trimEnd());
    out.push('');
    if (shown.length < explained.considered && !focused) {
      const every = explained.bounded ? `--all shows the ${candidates.length} the record lists` : '--all shows every row';
      out.push(`Showing the ${chosen.size} chosen and the ${shown.length - chosen.size} best other clusters of ${explained.considered}; ${every}, --cluster NAME one cluster's.`);
    }
    out.push(`Filters run in this order: ${filters.join(' → ') || '<none>'}. Scores are score×weight; TOTAL is their sum.`);
  }
  out.push(`Selected:    ${selected.length ? selected.map((s) => `${s.clusterName}${s.replicas !== undefined ? ` (${s.replicas} replicas)` : ''}${s.clusterKey ? ` key ${s.clusterKey}` : ''}`).join(', ') : '<none>'}`);
  out.push(`Previous:    ${clusterList(d.spec.previous)}`);
  const lowest = explained.lowestChosen;
  const others = (focused ? shown.map((c) => c.row) : candidates).filter((c) => !chosen.has(c.clusterName));
  if (explained.bounded && !focused) {
    const listedOthers = explained.candidates.filter((c) => c.result === 'not chosen').map((c) => c.row.clusterName);
    const lines = boundedRejections(explained.bounded, chosen.size, listedOthers);
    if (lines.length) out.push('Not chosen:', ...lines);
  } else if (others.length) {
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

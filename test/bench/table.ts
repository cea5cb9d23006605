/** Renders the rows of `npm run bench` as one plain-text table (and the JSON file's shape). */
import { formatGoal, formatNumber, goalMet, ratioOf, type BenchRow } from './report.js';

export interface TableRow extends BenchRow {
  bench: string;
}

/** One line per row; `previous` (a former run's rows, by bench + metric) adds a column to compare. */
export function renderTable(rows: readonly TableRow[], previous?: ReadonlyMap<string, BenchRow>): string {
  const header = ['bench', 'metric', 'goal', 'measured', 'baseline', 'ratio', 'met', 'load'];
  if (previous) header.push('previous run');
  header.push('note');
  const lines = rows.map((r) => {
    const ratio = ratioOf(r);
    const met = goalMet(r);
    const note = [r.bytes ? `bytes ${r.bytes.measured} vs ${r.bytes.baseline}` : '', r.note ?? ''].filter(Boolean).join('; ');
    const cells = [
      r.bench,
      r.metric,
      formatGoal(r),
      `${formatNumber(r.measured)} ${r.unit}`,
      r.baseline === undefined ? '' : `${formatNumber(r.baseline)} ${r.unit}${r.baselineName ? ` (${r.baselineName})` : ''}`,
      ratio === undefined ? '' : `${ratio.toFixed(2)}×`,
      met === undefined ? '' : met ? 'yes' : 'NO',
      r.load === undefined ? '' : r.load.toFixed(2),
    ];
    if (previous) {
      const p = previous.get(rowKey(r));
      cells.push(p ? `${formatNumber(p.measured)} ${p.unit}` : '');
    }
    cells.push(note);
    return cells;
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join(' | ').trimEnd();
  return [fmt(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...lines.map(fmt)].join('\n');
}

export function rowKey(r: { bench: string; metric: string }): string {
  return `${r.bench}\u0000${r.metric}`;
}

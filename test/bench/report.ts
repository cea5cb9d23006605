/**
 * The contract between a bench and `npm run bench` (run.ts): a bench's `run()` returns
 * `{ rows, details }`; every row becomes one line of the table and one entry of the JSON file.
 *
 * A row carries its own same-run baseline (the raw server, the previous engine, the raw client…)
 * because on this shared machine absolute figures swing with load; the ratio to a baseline taken
 * minutes apart would mean little. Use `alternate()` so baseline and subject take turns.
 */
import { loadavg } from 'node:os';

/** What a metric should reach: on the measured value itself, or on measured / baseline. */
export interface Goal {
  op: '<=' | '>=';
  value: number;
  on?: 'measured' | 'ratio';
}

export interface BenchRow {
  /** e.g. 'placement decision, 1 000 clusters, p99' */
  metric: string;
  goal?: Goal;
  measured: number;
  /** the same figure for the baseline, measured in the same run */
  baseline?: number;
  /** what the baseline is: 'raw node:https', 'previous engine', … */
  baselineName?: string;
  /** unit of measured and baseline: 'ms', '/s', 'MiB' */
  unit: string;
  /** response sizes when subject and baseline answer differently sized bodies */
  bytes?: { measured: number; baseline: number };
  /** 1-minute load average while this row was measured; the runner fills it in when absent */
  load?: number;
  note?: string;
}

export interface BenchOutput {
  rows: BenchRow[];
  /** anything else worth keeping in the JSON file (per-run samples, write counts, …) */
  details?: unknown;
}

export function isBenchOutput(x: unknown): x is BenchOutput {
  return typeof x === 'object' && x !== null && Array.isArray((x as BenchOutput).rows);
}

/** The 1-minute load average now (the machine is shared: read ratios with this beside them). */
export function loadAverage(): number {
  return Number(loadavg()[0].toFixed(2));
}

/** measured / baseline, or undefined without a usable baseline. */
export function ratioOf(row: BenchRow): number | undefined {
  if (row.baseline === undefined || !Number.isFinite(row.baseline) || row.baseline === 0) return undefined;
  return row.measured / row.baseline;
}

/** Whether the row meets its goal; undefined when it has none or the goal needs a missing baseline. */
export function goalMet(row: BenchRow): boolean | undefined {
  if (!row.goal) return undefined;
  const x = row.goal.on === 'ratio' ? ratioOf(row) : row.measured;
  if (x === undefined || !Number.isFinite(x)) return undefined;
  return row.goal.op === '<=' ? x <= row.goal.value : x >= row.goal.value;
}

export function formatGoal(row: BenchRow): string {
  if (!row.goal) return '';
  return row.goal.on === 'ratio' ? `${row.goal.op} ${row.goal.value}×` : `${row.goal.op} ${formatNumber(row.goal.value)} ${row.unit}`;
}

export function formatNumber(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return '-';
  const a = Math.abs(x);
  if (a >= 100) return String(Math.round(x));
  if (a >= 10) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  return x.toFixed(3);
}

/**
 * Runs each side `rounds` times, taking turns (a, b, a, b…; the first side alternates per round
 * too), so slow phases of a shared machine hit both sides alike. Returns each side's results in
 * round order.
 */
export async function alternate<T>(rounds: number, sides: Record<string, () => Promise<T> | T>): Promise<Record<string, T[]>> {
  const names = Object.keys(sides);
  const out: Record<string, T[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? names : [...names].reverse();
    for (const n of order) out[n].push(await sides[n]());
  }
  return out;
}

/** Median of samples (NaN when empty). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

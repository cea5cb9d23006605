/**
 * Printing: kubectl-style tables (upper-case headers, columns padded by three spaces), JSON and
 * YAML, and ages as kubectl shows them (`45s`, `3m`, `2d4h`).
 */
import { stringify } from 'yaml';
import { UsageError } from './errors.js';

export type OutputFormat = 'table' | 'json' | 'yaml';

/** Validates `-o`; `allowed` lists what the command supports (table first = the default). */
export function outputFormat(value: string | undefined, allowed: readonly OutputFormat[] = ['table', 'json', 'yaml']): OutputFormat {
  const v = (value ?? allowed[0]) as OutputFormat;
  if (!allowed.includes(v)) throw new UsageError(`unsupported output format "${value}": use one of ${allowed.join(', ')}`);
  return v;
}

export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('   ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n') + '\n';
}

export function serialize(value: unknown, format: 'json' | 'yaml'): string {
  return format === 'json' ? JSON.stringify(value, null, 2) + '\n' : stringify(value, { lineWidth: 0 });
}

/** kubectl's HumanDuration, roughly: the two most significant units. */
export function age(timestamp: string | undefined, now = Date.now()): string {
  if (!timestamp) return '<unknown>';
  const t = Date.parse(timestamp);
  if (Number.isNaN(t)) return '<unknown>';
  const s = Math.max(0, Math.floor((now - t) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 ? `${m}m${s % 60}s` : `${m}m`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 && h < 8 ? `${h}h${m % 60}m` : `${h}h`;
  const d = Math.floor(h / 24);
  if (d < 8) return h % 24 ? `${d}d${h % 24}h` : `${d}d`;
  return d < 730 ? `${d}d` : `${Math.floor(d / 365)}y`;
}

/**
 * Cell helpers for computed printer columns, matching what kube's table printers show
 * (`<none>`, `<pending>`, durations like `5m3s`).
 */
import type { KubeObject } from '../../storage/types.js';

/** kube's HumanDuration-ish short form used in job durations: 45s, 3m12s, 2h5m, 3d4h. */
export function shortDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h${m % 60 ? `${m % 60}m` : ''}`;
  const d = Math.floor(h / 24);
  return `${d}d${h % 24 ? `${h % 24}h` : ''}`;
}

export const orNone = (v: string | undefined | null): string => (v ? v : '<none>');

export function keyCount(...maps: unknown[]): number {
  return maps.reduce<number>((n, m) => n + (m && typeof m === 'object' ? Object.keys(m).length : 0), 0);
}

export function selectorString(sel: { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> } | undefined): string {
  if (!sel) return '<none>';
  const parts = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) {
    const op = e.operator;
    if (op === 'Exists') parts.push(e.key);
    else if (op === 'DoesNotExist') parts.push(`!${e.key}`);
    else parts.push(`${e.key} ${op.toLowerCase()} (${(e.values ?? []).join(',')})`);
  }
  return parts.length ? parts.join(',') : '<none>';
}

export function mapString(m: Record<string, string> | undefined): string {
  const parts = Object.entries(m ?? {}).map(([k, v]) => `${k}=${v}`);
  return parts.length ? parts.join(',') : '<none>';
}

type WithContainers = { spec?: { template?: { spec?: { containers?: Array<{ name?: string; image?: string }> } } } };

export const containerNames = (o: KubeObject): string =>
  ((o as WithContainers).spec?.template?.spec?.containers ?? []).map((c) => c.name ?? '').join(',');
export const containerImages = (o: KubeObject): string =>
  ((o as WithContainers).spec?.template?.spec?.containers ?? []).map((c) => c.image ?? '').join(',');

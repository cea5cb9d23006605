/**
 * Polling with a deadline, for the commands that wait for a condition (`ws create`, `bind`,
 * `cluster register`). Errors thrown by `probe` are remembered and retried: a just-created object
 * may not be visible yet, a binding may not serve its resources yet.
 */
import { CliError } from './errors.js';

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Says what we waited for, for the timeout message. */
  what: string;
  /** Extra detail for the timeout message, computed from the last observed value. */
  explain?: () => string;
}

/** Calls `probe` until it returns a value other than undefined; throws CliError on timeout. */
export async function waitFor<T>(probe: () => Promise<T | undefined>, o: WaitOptions): Promise<T> {
  const deadline = Date.now() + o.timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
      lastError = undefined;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() >= deadline) {
      const detail = o.explain?.() || (lastError instanceof Error ? lastError.message : '');
      throw new CliError(`timed out after ${Math.round(o.timeoutMs / 1000)}s waiting for ${o.what}${detail ? `: ${detail}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, Math.min(o.intervalMs ?? 200, Math.max(0, deadline - Date.now()))));
  }
}

/** `30s`, `2m`, `1500ms`, `45` (seconds) → milliseconds; undefined for anything else. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  return Math.round(n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit]!);
}

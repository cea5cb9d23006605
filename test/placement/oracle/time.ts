/**
 * Time as data: the engine never reads a clock, the caller passes `now`. Timestamps in objects are
 * RFC3339 strings; an unparsable or missing one is `undefined` and callers decide what that means.
 */
export function toMillis(t: Date | number | string): number {
  if (t instanceof Date) return t.getTime();
  if (typeof t === 'number') return t;
  const ms = Date.parse(t);
  if (Number.isNaN(ms)) throw new TypeError(`invalid time "${t}"`);
  return ms;
}

export function parseTime(s: string | undefined): number | undefined {
  if (!s) return undefined;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? undefined : ms;
}

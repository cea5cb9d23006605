/**
 * Kubernetes time formats. metav1.Time is RFC 3339 with second precision; metav1.MicroTime (Lease
 * renewTime, events.k8s.io eventTime) carries microseconds.
 *
 * May import: nothing outside src/apis.
 */

/** The last second formatted: every write stamps a time or two, mostly within the same second. */
let lastSecond = NaN;
let lastText = '';

/** metav1.Time: RFC 3339, seconds (sub-second part dropped, as Kubernetes serializes it). */
export function rfc3339(at: Date | number = Date.now()): string {
  const ms = typeof at === 'number' ? at : at.getTime();
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastText = new Date(second * 1000).toISOString().replace('.000Z', 'Z');
    lastSecond = second;
  }
  return lastText;
}

/** metav1.MicroTime: RFC 3339 with six fractional digits (milliseconds padded). */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

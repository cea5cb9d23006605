/**
 * Time as an injected dependency. Every retry, backoff and lease in client/ and controllers/ goes
 * through a Clock so tests drive time by hand (see testing/fake-clock.ts) instead of sleeping.
 */

/** An opaque timer handle; only the Clock that made it can clear it. */
export type TimerHandle = unknown;

export interface Clock {
  /** Milliseconds since the epoch (Date.now semantics). */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** The process clock. Timers are unref'd so a pending retry never keeps a process alive. */
export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

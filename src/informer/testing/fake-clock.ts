/**
 * A manually driven Clock for tests (like k8s.io/utils/clock/testing). Time moves only through
 * `advance`/`fireNext`; every requested delay is recorded in `delays`, so backoff growth can be
 * asserted without real sleeps.
 */
import type { Clock, TimerHandle } from '../clock.js';

interface FakeTimer { id: number; due: number; fn: () => void }

export class FakeClock implements Clock {
  private current: number;
  private nextId = 1;
  private timers = new Map<number, FakeTimer>();
  private scheduledWaiters: Array<() => void> = [];
  /** Every delay passed to setTimeout, in order (cleared timers included). */
  readonly delays: number[] = [];

  constructor(startMs = 1_700_000_000_000) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.delays.push(ms);
    this.timers.set(id, { id, due: this.current + Math.max(0, ms), fn });
    const waiters = this.scheduledWaiters.splice(0);
    for (const w of waiters) w();
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle as number);
  }

  /** Number of timers waiting to fire. */
  pendingCount(): number {
    return this.timers.size;
  }

  /** Resolves the next time anything calls setTimeout (or at once if `ifPending` and one waits). */
  nextTimer(ifPending = false): Promise<void> {
    if (ifPending && this.timers.size > 0) return Promise.resolve();
    return new Promise((resolve) => this.scheduledWaiters.push(resolve));
  }

  /** Jump to the earliest pending timer, fire it, and let its promise continuations run. */
  async fireNext(): Promise<boolean> {
    const next = this.earliest();
    if (!next) return false;
    this.current = Math.max(this.current, next.due);
    this.timers.delete(next.id);
    next.fn();
    await flushMicrotasks();
    return true;
  }

  /** Move time forward by `ms`, firing due timers in order (including ones they schedule). */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      const next = this.earliest();
      if (!next || next.due > target) break;
      this.current = next.due;
      this.timers.delete(next.id);
      next.fn();
      await flushMicrotasks();
    }
    this.current = target;
    await flushMicrotasks();
  }

  private earliest(): FakeTimer | undefined {
    let best: FakeTimer | undefined;
    for (const t of this.timers.values()) {
      if (!best || t.due < best.due || (t.due === best.due && t.id < best.id)) best = t;
    }
    return best;
  }
}

/** Let pending promise chains settle: a few macrotask turns, no wall-clock waiting. */
export async function flushMicrotasks(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((r) => setImmediate(r));
}

/** Capped exponential backoff: initial, 2×, 4×, … up to max; `reset()` after a success. */
export class Backoff {
  private nextMs: number;

  constructor(private readonly initialMs = 1000, private readonly maxMs = 30_000) {
    this.nextMs = initialMs;
  }

  /** The delay to wait now; doubles the one after it. */
  next(): number {
    const delay = this.nextMs;
    this.nextMs = Math.min(this.nextMs * 2, this.maxMs);
    return delay;
  }

  reset(): void {
    this.nextMs = this.initialMs;
  }
}

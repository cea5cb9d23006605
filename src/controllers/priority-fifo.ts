/**
 * The ready list of the work queue: highest priority first, FIFO among equal priorities. A key
 * re-added with a higher priority moves up (its old slot is skipped lazily when reached).
 */

export class PriorityFifo {
  /** priority → keys in arrival order; `head` avoids O(n) shifts. */
  private readonly buckets = new Map<number, { keys: string[]; head: number }>();
  /** Distinct priorities present, highest first. */
  private priorities: number[] = [];
  /** Each queued key's current priority; a bucket entry that disagrees is stale. */
  private readonly current = new Map<string, number>();

  get length(): number {
    return this.current.size;
  }

  has(key: string): boolean {
    return this.current.has(key);
  }

  /** Adds `key`, or raises its priority if already queued (never lowers it). */
  push(key: string, priority: number): void {
    const existing = this.current.get(key);
    if (existing !== undefined && existing >= priority) return;
    this.current.set(key, priority);
    let bucket = this.buckets.get(priority);
    if (!bucket) {
      this.buckets.set(priority, bucket = { keys: [], head: 0 });
      this.priorities.push(priority);
      this.priorities.sort((a, b) => b - a);
    }
    bucket.keys.push(key);
  }

  shift(): string | undefined {
    while (this.priorities.length > 0) {
      const priority = this.priorities[0];
      const bucket = this.buckets.get(priority) as { keys: string[]; head: number };
      while (bucket.head < bucket.keys.length) {
        const key = bucket.keys[bucket.head++];
        if (this.current.get(key) === priority) {
          this.current.delete(key);
          this.compact(priority, bucket);
          return key;
        }
      }
      this.compact(priority, bucket);
    }
    return undefined;
  }

  clear(): void {
    this.buckets.clear();
    this.priorities = [];
    this.current.clear();
  }

  private compact(priority: number, bucket: { keys: string[]; head: number }): void {
    if (bucket.head >= bucket.keys.length) {
      this.buckets.delete(priority);
      this.priorities = this.priorities.filter((p) => p !== priority);
    } else if (bucket.head > 1024 && bucket.head * 2 > bucket.keys.length) {
      bucket.keys = bucket.keys.slice(bucket.head);
      bucket.head = 0;
    }
  }
}

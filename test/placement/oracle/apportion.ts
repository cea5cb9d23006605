/**
 * Webster / Sainte-Laguë apportionment with per-party caps: seats go one at a time to the party
 * with the highest weight / (2·seats + 1), skipping parties at their cap. Ties go to the party with
 * fewer seats, then to the earlier party in the given order (callers pass clusters best-first), so
 * the remainder is deterministic. Divisor methods are house-monotone: one more seat never takes a
 * seat from anyone, so scaling a static split up or down moves only the difference.
 *
 * O(total · log n) with a binary heap; weights must be finite and ≥ 0 (0 never gets a seat).
 */
export function webster(total: number, weights: readonly number[], caps?: readonly number[]): number[] {
  const n = weights.length;
  const seats = new Array<number>(n).fill(0);
  const heap: number[] = [];
  const cap = (i: number) => (caps ? caps[i] : Infinity);
  // a before b?
  const before = (a: number, b: number): boolean => {
    const pa = weights[a] * (2 * seats[b] + 1);
    const pb = weights[b] * (2 * seats[a] + 1);
    if (pa !== pb) return pa > pb;
    if (seats[a] !== seats[b]) return seats[a] < seats[b];
    return a < b;
  };
  const up = (k: number) => {
    while (k > 0) {
      const p = (k - 1) >> 1;
      if (!before(heap[k], heap[p])) break;
      [heap[k], heap[p]] = [heap[p], heap[k]];
      k = p;
    }
  };
  const down = (k: number) => {
    for (;;) {
      const l = 2 * k + 1;
      const r = l + 1;
      let m = k;
      if (l < heap.length && before(heap[l], heap[m])) m = l;
      if (r < heap.length && before(heap[r], heap[m])) m = r;
      if (m === k) return;
      [heap[k], heap[m]] = [heap[m], heap[k]];
      k = m;
    }
  };
  for (let i = 0; i < n; i++) {
    if (weights[i] > 0 && cap(i) > 0) {
      heap.push(i);
      up(heap.length - 1);
    }
  }
  for (let given = 0; given < total && heap.length > 0; given++) {
    const i = heap[0];
    seats[i]++;
    if (seats[i] >= cap(i)) {
      const last = heap.pop()!;
      if (heap.length > 0) {
        heap[0] = last;
        down(0);
      }
    } else {
      down(0);
    }
  }
  return seats;
}

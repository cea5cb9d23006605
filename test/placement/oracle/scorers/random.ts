/**
 * Random: a deterministic pseudo-random score per (seed, cluster): FNV-1a of
 * `<seed>/<cluster name>` mod 101, where the seed defaults to the workload's uid. The same
 * workload always sees the same order (no flapping); different workloads see different orders.
 */
import type { ScorePlugin } from './types.js';

export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export const randomScorer: ScorePlugin = {
  name: 'Random',
  score(clusters, ctx) {
    const out = new Int32Array(clusters.length);
    for (let i = 0; i < clusters.length; i++) out[i] = fnv1a(`${ctx.workload.seed}/${clusters[i].name}`) % 101;
    return out;
  },
};

/**
 * Balance (seed alias RoundRobin): spread placements across clusters. A cluster's score falls
 * with the number of other placements already on it: 100 × (1 − count / maxCount), OCM's Balance
 * prioritizer shifted to 0..100. Stateless round-robin: the emptiest cluster wins, so successive
 * placements rotate over the clusters.
 */
import { clampScore, type ScorePlugin } from './types.js';

export const balanceScorer: ScorePlugin = {
  name: 'Balance',
  score(clusters, ctx) {
    const out = new Int32Array(clusters.length);
    const counts = new Float64Array(clusters.length);
    const placed = ctx.placementCounts;
    let max = 0;
    for (let i = 0; i < clusters.length; i++) {
      const name = clusters[i].name;
      const v = placed.get(name);
      const n = v === undefined && !placed.has(name) ? 0 : (v as number);
      counts[i] = n;
      if (n > max) max = n;
    }
    for (let i = 0; i < clusters.length; i++) out[i] = max === 0 ? 100 : clampScore(100 * (1 - counts[i] / max));
    return out;
  },
};

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
    let max = 0;
    for (const c of clusters) max = Math.max(max, ctx.placementCounts[c.name] ?? 0);
    for (let i = 0; i < clusters.length; i++) {
      out[i] = max === 0 ? 100 : clampScore(100 * (1 - (ctx.placementCounts[clusters[i].name] ?? 0) / max));
    }
    return out;
  },
};

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
    const counts = clusters.map((c) => (Object.hasOwn(ctx.placementCounts, c.name) ? ctx.placementCounts[c.name] : 0));
    let max = 0;
    for (const n of counts) if (n > max) max = n;
    for (let i = 0; i < clusters.length; i++) out[i] = max === 0 ? 100 : clampScore(100 * (1 - counts[i] / max));
    return out;
  },
};

/** Steady: 100 for clusters that already hold the workload, 0 otherwise: damps churn (OCM). */
import type { ScorePlugin } from './types.js';

export const steadyScorer: ScorePlugin = {
  name: 'Steady',
  score(clusters) {
    const out = new Int32Array(clusters.length);
    for (let i = 0; i < clusters.length; i++) out[i] = clusters[i].isPrevious ? 100 : 0;
    return out;
  },
};

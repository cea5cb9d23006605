/**
 * TaintToleration: the PreferNoSchedule penalty. Counts untolerated PreferNoSchedule taints per
 * cluster and scores 100 × (1 − count / maxCount) (kube-scheduler's normalisation), so clean
 * clusters score 100 and the most-tainted 0.
 */
import { tolerates } from '../tolerations.js';
import { clampScore, type ScorePlugin } from './types.js';

export const taintTolerationScorer: ScorePlugin = {
  name: 'TaintToleration',
  score(clusters, ctx) {
    const tolerations = ctx.spec.tolerations ?? [];
    const counts = new Int32Array(clusters.length);
    let max = 0;
    for (let i = 0; i < clusters.length; i++) {
      let n = 0;
      for (const t of clusters[i].taints) {
        if (t.effect === 'PreferNoSchedule' && !tolerations.some((tol) => tolerates(tol, t))) n++;
      }
      counts[i] = n;
      if (n > max) max = n;
    }
    const out = new Int32Array(clusters.length);
    for (let i = 0; i < clusters.length; i++) out[i] = max === 0 ? 100 : clampScore(100 * (1 - counts[i] / max));
    return out;
  },
};

/**
 * TaintToleration: the PreferNoSchedule penalty. Counts untolerated PreferNoSchedule taints per
 * cluster and scores 100 × (1 − count / maxCount) (kube-scheduler's normalisation), so clean
 * clusters score 100 and the most-tainted 0.
 */
import type { Taint, Toleration } from '../types.js';
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
      const taints = clusters[i].taints;
      for (let k = 0; k < taints.length; k++) if (taints[k].effect === 'PreferNoSchedule' && !tolerated(tolerations, taints[k])) n++;
      counts[i] = n;
      if (n > max) max = n;
    }
    const out = new Int32Array(clusters.length);
    for (let i = 0; i < clusters.length; i++) out[i] = max === 0 ? 100 : clampScore(100 * (1 - counts[i] / max));
    return out;
  },
};

function tolerated(tolerations: readonly Toleration[], taint: Taint): boolean {
  for (let k = 0; k < tolerations.length; k++) if (tolerates(tolerations[k], taint)) return true;
  return false;
}

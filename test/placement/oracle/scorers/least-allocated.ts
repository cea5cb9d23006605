/**
 * LeastAllocated (seed alias LeastLoaded): prefer clusters with the most room left after placing
 * this workload, averaged over cpu and memory (kube-scheduler's NodeResourcesFit LeastAllocated).
 * A cluster reporting neither scores 0: unknown room is not preferred over known room.
 */
import { usedFraction } from '../cluster-view.js';
import { clampScore, type ScorePlugin } from './types.js';

export const leastAllocatedScorer: ScorePlugin = {
  name: 'LeastAllocated',
  score(clusters, ctx) {
    const out = new Int32Array(clusters.length);
    const req = ctx.workload.request;
    const n = ctx.replicasPerCluster;
    const extra = { cpu: (Number(req?.cpu ?? 0n) / 1e9) * n, memory: (Number(req?.memory ?? 0n) / 1e9) * n };
    for (let i = 0; i < clusters.length; i++) {
      let sum = 0;
      let known = 0;
      for (const r of ['cpu', 'memory'] as const) {
        const f = usedFraction(clusters[i], r, extra[r]);
        if (f === undefined) continue;
        sum += 1 - f;
        known++;
      }
      out[i] = known === 0 ? 0 : clampScore((sum / known) * 100);
    }
    return out;
  },
};

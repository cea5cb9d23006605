/**
 * LeastAllocated (seed alias LeastLoaded): prefer clusters with the most room left after placing
 * this workload, averaged over cpu and memory (kube-scheduler's NodeResourcesFit LeastAllocated).
 * A cluster reporting neither scores 0: unknown room is not preferred over known room.
 */
import { clampScore, type ScorePlugin } from './types.js';

export const leastAllocatedScorer: ScorePlugin = {
  name: 'LeastAllocated',
  score(clusters, ctx) {
    const out = new Int32Array(clusters.length);
    const req = ctx.workload.request;
    const n = ctx.replicasPerCluster;
    const extraCpu = (Number(req?.cpu ?? 0n) / 1e9) * n;
    const extraMemory = (Number(req?.memory ?? 0n) / 1e9) * n;
    // usedFraction (cluster-view.ts) inlined for cpu and memory: this runs for every feasible cluster
    for (let i = 0; i < clusters.length; i++) {
      const c = clusters[i];
      let sum = 0;
      let known = 0;
      const ac = c.allocatableN.cpu;
      if (ac > 0) {
        const free = c.freeN.cpu;
        sum += 1 - ((Number.isNaN(free) ? 0 : ac - free) + extraCpu) / ac;
        known++;
      }
      const am = c.allocatableN.memory;
      if (am > 0) {
        const free = c.freeN.memory;
        sum += 1 - ((Number.isNaN(free) ? 0 : am - free) + extraMemory) / am;
        known++;
      }
      out[i] = known === 0 ? 0 : clampScore((sum / known) * 100);
    }
    return out;
  },
};

/**
 * BalancedAllocation (alias Balanced): prefer clusters whose cpu and memory use stay even after
 * placing this workload: (1 − |cpu% − mem%| / 2) × 100, kube-scheduler's formula for two
 * resources. Needs both fractions; otherwise 0.
 */
import { clampScore, type ScorePlugin } from './types.js';

export const balancedAllocationScorer: ScorePlugin = {
  name: 'BalancedAllocation',
  score(clusters, ctx) {
    const out = new Int32Array(clusters.length);
    const req = ctx.workload.request;
    const n = ctx.replicasPerCluster;
    const extraCpu = (Number(req?.cpu ?? 0n) / 1e9) * n;
    const extraMemory = (Number(req?.memory ?? 0n) / 1e9) * n;
    // usedFraction (cluster-view.ts) inlined: this runs for every feasible cluster
    for (let i = 0; i < clusters.length; i++) {
      const c = clusters[i];
      const ac = c.allocatableN.cpu;
      const am = c.allocatableN.memory;
      if (!(ac > 0) || !(am > 0)) continue;
      const fc = c.freeN.cpu;
      const fm = c.freeN.memory;
      const cpu = ((Number.isNaN(fc) ? 0 : ac - fc) + extraCpu) / ac;
      const mem = ((Number.isNaN(fm) ? 0 : am - fm) + extraMemory) / am;
      out[i] = clampScore((1 - Math.abs(Math.min(cpu, 1) - Math.min(mem, 1)) / 2) * 100);
    }
    return out;
  },
};

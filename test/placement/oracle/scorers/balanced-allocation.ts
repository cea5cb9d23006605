/**
 * BalancedAllocation (alias Balanced): prefer clusters whose cpu and memory use stay even after
 * placing this workload: (1 − |cpu% − mem%| / 2) × 100, kube-scheduler's formula for two
 * resources. Needs both fractions; otherwise 0.
 */
import { usedFraction } from '../cluster-view.js';
import { clampScore, type ScorePlugin } from './types.js';

export const balancedAllocationScorer: ScorePlugin = {
  name: 'BalancedAllocation',
  score(clusters, ctx) {
    const out = new Int32Array(clusters.length);
    const req = ctx.workload.request;
    const n = ctx.replicasPerCluster;
    const extra = { cpu: (Number(req?.cpu ?? 0n) / 1e9) * n, memory: (Number(req?.memory ?? 0n) / 1e9) * n };
    for (let i = 0; i < clusters.length; i++) {
      const cpu = usedFraction(clusters[i], 'cpu', extra.cpu);
      const mem = usedFraction(clusters[i], 'memory', extra.memory);
      if (cpu === undefined || mem === undefined) continue;
      out[i] = clampScore((1 - Math.abs(Math.min(cpu, 1) - Math.min(mem, 1)) / 2) * 100);
    }
    return out;
  },
};

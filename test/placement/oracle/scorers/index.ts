/**
 * Which scorers run, with which weights (OCM's prioritizerPolicy):
 * - Additive (default): the defaults below, with listed names overriding their weights.
 * - Exact: only the listed ones.
 * In both modes TaintToleration (the PreferNoSchedule penalty) keeps weight 1 unless listed: it is
 * the cluster owner's signal, not the placement author's preference. Weight 0 switches a scorer off.
 * Seed names map onto scorers: RoundRobin → Balance, LeastLoaded → LeastAllocated,
 * LocationAware → Locality, Random → Random; Balanced → BalancedAllocation.
 */
import type { WorkloadPlacementSpec } from '../types.js';
import { balanceScorer } from './balance.js';
import { balancedAllocationScorer } from './balanced-allocation.js';
import { leastAllocatedScorer } from './least-allocated.js';
import { localityScorer } from './locality.js';
import { randomScorer } from './random.js';
import { steadyScorer } from './steady.js';
import { taintTolerationScorer } from './taint-toleration.js';
import type { ScorePlugin } from './types.js';

export const SCORERS: Readonly<Record<string, ScorePlugin>> = {
  LeastAllocated: leastAllocatedScorer,
  BalancedAllocation: balancedAllocationScorer,
  Balance: balanceScorer,
  Steady: steadyScorer,
  Locality: localityScorer,
  Random: randomScorer,
  TaintToleration: taintTolerationScorer,
};

export const ALIASES: Readonly<Record<string, string>> = {
  RoundRobin: 'Balance',
  LeastLoaded: 'LeastAllocated',
  LocationAware: 'Locality',
  Balanced: 'BalancedAllocation',
};

export const DEFAULT_WEIGHTS: Readonly<Record<string, number>> = {
  LeastAllocated: 1,
  BalancedAllocation: 1,
  Balance: 1,
  Steady: 1,
  TaintToleration: 1,
};

export interface WeightedScorer {
  plugin: ScorePlugin;
  weight: number;
}

/** Resolves the active scorers in a fixed (registry) order; unknown names become warnings. */
export function resolveScorers(spec: WorkloadPlacementSpec, warnings: string[]): WeightedScorer[] {
  const mode = spec.prioritizers?.mode ?? 'Additive';
  const weights = new Map<string, number>(mode === 'Exact' ? [['TaintToleration', 1]] : Object.entries(DEFAULT_WEIGHTS));
  for (const p of spec.prioritizers?.configurations ?? []) {
    const name = ALIASES[p.name] ?? p.name;
    if (!SCORERS[name]) {
      warnings.push(`unknown prioritizer "${p.name}" ignored`);
      continue;
    }
    const w = p.weight ?? 1;
    if (!Number.isFinite(w)) {
      warnings.push(`prioritizer "${p.name}" has a non-finite weight; ignored`);
      continue;
    }
    weights.set(name, w);
  }
  const out: WeightedScorer[] = [];
  for (const [name, plugin] of Object.entries(SCORERS)) {
    const w = weights.get(name) ?? 0;
    if (w !== 0) out.push({ plugin, weight: w });
  }
  return out;
}

export type { ScoreContext, ScorePlugin } from './types.js';

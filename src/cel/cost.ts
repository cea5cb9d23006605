/**
 * Cost accounting. cel-js has structural parse limits but no runtime cost, so we add one:
 * an evaluation runs with an active `CostMeter`; the engine charges it for every AST node the
 * program has (once per evaluation), for every comprehension step (nodes in the step body, per
 * element), and library functions charge for the size of what they traverse (lists, strings).
 * The units approximate cel-go's actual cost (one unit per node visit / element traversed), so
 * kube's budgets below keep their meaning.
 *
 * The meter is module state rather than an argument because cel-js calls our function handlers
 * without any per-evaluation context; evaluation is synchronous, so one active meter at a time is
 * exact (nested evaluations save and restore it).
 */

import { CelCostError, COST_LIMIT_MESSAGE } from './errors.js';

/** kube-apiserver's limits (apiserver pkg/apis/cel/config.go). */
export const KUBE_COST_LIMITS = {
  /** Budget for one expression evaluation. */
  perCallLimit: 1_000_000,
  /** Budget shared by all rules of one custom resource / one policy binding. */
  runtimeBudgetPerObject: 10_000_000,
  /** Budget for matchConditions. */
  matchConditionsBudget: 2_500_000,
} as const;

export class CostMeter {
  /** Units consumed so far. */
  used = 0;
  /** Set once the budget is crossed; checked after evaluation, since `||`/`&&` and `exists()` can swallow the thrown error. */
  exceeded = false;
  constructor(readonly budget: number) {}

  charge(units: number): void {
    this.used += units;
    if (this.used > this.budget) {
      this.exceeded = true;
      throw new CelCostError(COST_LIMIT_MESSAGE, { code: 'cost_limit_exceeded' });
    }
  }
}

let active: CostMeter | undefined;

/** Charge the meter of the evaluation in progress (no-op outside an evaluation). */
export function charge(units: number): void {
  if (active !== undefined) active.charge(units);
}

/**
 * Makes `meter` the active one and returns the previous one, which the caller must restore with
 * `restoreMeter` in a `finally` (no closure, so the hot path allocates nothing).
 */
export function enterMeter(meter: CostMeter | undefined): CostMeter | undefined {
  const prev = active;
  active = meter;
  return prev;
}

export function restoreMeter(prev: CostMeter | undefined): void {
  active = prev;
}

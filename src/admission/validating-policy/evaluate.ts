/**
 * Evaluates one policy for one binding and one param object: matchConditions (all must be true),
 * then every validation. Variables are evaluated on first use and memoised. Returns the failures
 * (validation false, or an evaluation error under failurePolicy Fail); never throws.
 */
import { KUBE_COST_LIMITS, celActivation, isCelError, type CelSchema } from '../../cel/index.js';
import type { CompiledExpr, CompiledPolicy } from './compile.js';

export interface PolicyInput {
  object: unknown;
  oldObject: unknown;
  request: unknown;
  params: unknown;
  namespaceObject: unknown;
  /** Schema of the reviewed kind, so its integer fields are CEL ints. */
  schema?: CelSchema;
}

export interface Failure {
  message: string;
  /** metav1.StatusReason; undefined = Invalid. */
  reason?: string;
}

export type Outcome = { skipped: true } | { skipped: false; failures: Failure[] };

/** The budget shared by all expressions of one binding evaluation (kube: 10M). */
export const BINDING_BUDGET = KUBE_COST_LIMITS.runtimeBudgetPerObject;

class EvalError extends Error {}

export function evaluatePolicy(p: CompiledPolicy, input: PolicyInput): Outcome {
  const act = celActivation({
    object: input.object ?? null, oldObject: input.oldObject ?? null, request: input.request,
    params: input.params ?? null, namespaceObject: input.namespaceObject ?? null, variables: {}, authorizer: null,
  }, { object: input.schema, oldObject: input.schema });
  const vars = act.variables as Record<string, unknown>;
  const varErrors = new Map<string, string>();
  let remaining = BINDING_BUDGET;

  const run = (e: CompiledExpr, budget: number): unknown => {
    if (!e.rule) throw new EvalError(`compilation failed: ${e.error?.message ?? 'unknown error'}`);
    for (const name of e.uses) ensureVariable(name);
    try {
      const { value, cost } = e.rule.program.evaluateWithCost(act, { costBudget: Math.min(budget, remaining) });
      remaining -= cost;
      return value;
    } catch (err) {
      throw new EvalError(isCelError(err) ? err.summary : String(err));
    }
  };
  const ensureVariable = (name: string): void => {
    if (name in vars) return;
    const prev = varErrors.get(name);
    if (prev) throw new EvalError(prev);
    const v = p.variables.find((x) => x.name === name);
    if (!v) throw new EvalError(`no such key: ${name}`);
    try {
      vars[name] = run(v.expr, KUBE_COST_LIMITS.perCallLimit);
    } catch (err) {
      const msg = `composited variable "${name}" fails to evaluate: ${(err as Error).message}`;
      varErrors.set(name, msg);
      throw new EvalError(msg);
    }
  };

  for (const mc of p.matchConditions) {
    let v: unknown;
    try { v = run(mc.expr, KUBE_COST_LIMITS.matchConditionsBudget); } catch (err) {
      if (p.failurePolicy === 'Ignore') return { skipped: true };
      return { skipped: false, failures: [{ message: `failed to evaluate match condition '${mc.name}': ${(err as Error).message}`, reason: 'Forbidden' }] };
    }
    if (v !== true) return { skipped: true };
  }

  const failures: Failure[] = [];
  for (const val of p.validations) {
    let v: unknown;
    try {
      v = run(val.expr, KUBE_COST_LIMITS.perCallLimit);
      if (typeof v !== 'boolean') throw new EvalError(`expression must evaluate to a bool, got ${typeof v}`);
    } catch (err) {
      if (p.failurePolicy === 'Fail') failures.push({ message: `expression '${val.expr.expression}' resulted in error: ${(err as Error).message}` });
      continue;
    }
    if (v) continue;
    failures.push({ message: messageOf(val, run), reason: val.reason });
  }
  return { skipped: false, failures };
}

function messageOf(val: CompiledPolicy['validations'][number], run: (e: CompiledExpr, b: number) => unknown): string {
  if (val.messageExpr) {
    try {
      const m = run(val.messageExpr, KUBE_COST_LIMITS.perCallLimit);
      if (typeof m === 'string' && m.trim() && !m.includes('\n') && m.length <= 5 * 1024) return m.trim();
    } catch { /* fall back to message, as kube does */ }
  }
  if (val.message?.trim()) return val.message.trim();
  return `failed expression: ${val.expr.expression.trim()}`;
}

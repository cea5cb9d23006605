/**
 * CEL as an injected dependency. The engine does not build a CEL environment itself (src/cel owns
 * that); it is handed either an evaluator or a compiler and memoizes programs per call, so a
 * placement's expression is compiled once however many clusters it is evaluated against.
 */
import type { CelCompiler, CelEvaluator, CelResult } from './types.js';

export type CelProgram = (vars: Record<string, unknown>) => CelResult;

export class CelRuntime {
  private readonly programs = new Map<string, CelProgram>();

  constructor(private readonly compiler?: CelCompiler, private readonly evaluator?: CelEvaluator) {}

  /** Evaluates; every failure (none configured, compile error, runtime error) comes back as {error}. */
  evaluate(expression: string, vars: Record<string, unknown>): CelResult {
    let program = this.programs.get(expression);
    if (!program) {
      program = this.compile(expression);
      this.programs.set(expression, program);
    }
    try {
      const r = program(vars);
      if (typeof r === 'boolean' || (typeof r === 'object' && r !== null && typeof r.error === 'string')) return r;
      return { error: `expression must evaluate to a bool, got ${typeof r}` };
    } catch (e) {
      return { error: (e as Error).message ?? String(e) };
    }
  }

  private compile(expression: string): CelProgram {
    if (this.compiler) {
      try {
        const p = this.compiler(expression);
        if (typeof p === 'function') return p;
        const error = p.error;
        return () => ({ error });
      } catch (e) {
        const error = (e as Error).message ?? String(e);
        return () => ({ error });
      }
    }
    const evaluator = this.evaluator;
    if (evaluator) return (vars) => evaluator(expression, vars);
    return () => ({ error: 'no CEL evaluator configured' });
  }
}

/**
 * The CEL the placement engine and overrides evaluate (clusterSelector.expression, rules[],
 * overrides[].clusterSelector.expression), built on src/cel: `cluster` and `workload` are dyn
 * variables, results must be bool, and the per-call cost budget is Kubernetes'. Compiled
 * programs are memoized per expression (src/cel caches too; this skips even the cache lookup).
 */
import { compileRule, celErrorMessage } from '../../cel/index.js';
import type { CelCompiler } from '../../placement/index.js';

export function defaultCelCompiler(): CelCompiler {
  const programs = new Map<string, ReturnType<CelCompiler>>();
  return (expression) => {
    let program = programs.get(expression);
    if (program) return program;
    try {
      const rule = compileRule(expression, { vars: ['cluster', 'workload'], expect: 'bool' });
      program = (vars) => {
        const r = rule.eval(vars);
        if (r.error) return { error: celErrorMessage(r.error) };
        return r.value === true;
      };
    } catch (e) {
      program = { error: celErrorMessage(e) };
    }
    programs.set(expression, program);
    return program;
  };
}

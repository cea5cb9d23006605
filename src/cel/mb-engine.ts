/**
 * The primary engine, on @marcbachmann/cel-js: one typed `Environment` per env spec (with the
 * Kubernetes libraries registered), programs parsed + type-checked once and cached (LRU), cost
 * metering woven into the checked AST (see cost.ts), and every engine error translated into our
 * typed errors.
 */

import { Environment, EvaluationError, ParseError, TypeError as MbTypeError } from '@marcbachmann/cel-js';
import { LruCache } from '../machinery/lru-cache.js';
import { charge, CostMeter, enterMeter, KUBE_COST_LIMITS, restoreMeter } from './cost.js';
import {
  type CelEngine, type CelEnvSpec, type CompileLimits, type CompiledProgram, type EvalOptions,
  DEFAULT_COMPILE_LIMITS, envKey,
} from './engine.js';
import {
  CelCompileError, CelCostError, CelError, CelRuntimeError, CelTypeError, COST_LIMIT_MESSAGE,
} from './errors.js';
import { widenHasMacros } from './has-macro.js';
import { registerKubeLibraries } from './lib/index.js';
import { regexMatches } from './lib/regex.js';
import { boundTypeDeduction, rewireDeepEquality } from './mb-deep-values.js';

export interface MbEngineOptions {
  limits?: Partial<CompileLimits>;
  /** Compiled programs kept (LRU). */
  programCacheSize?: number;
  /** Environments kept (LRU); one per distinct env spec. */
  envCacheSize?: number;
  /** Register the Kubernetes libraries (default true). Off only for measuring the raw engine. */
  kubeLibraries?: boolean;
}

type ParsedFn = ((ctx?: Record<string, unknown>) => unknown) & {
  ast: AstNode;
  check(): { valid: boolean; type?: string; error?: Error };
};

/** The parts of cel-js's ASTNode we touch (not all exported by its typings). */
interface AstNode {
  op: string;
  args: unknown;
  start?: number;
  meta: { alternate?: AstNode; macro?: Record<string, unknown>; evaluate: EvalFn };
  evaluate: EvalFn;
}
type EvalFn = (this: AstNode, ev: unknown, ast: AstNode, ctx: unknown) => unknown;

export class MbCelEngine implements CelEngine {
  readonly name = 'marcbachmann/cel-js';
  readonly limits: CompileLimits;
  readonly #programs: LruCache<string, CompiledProgram | CelError>;
  readonly #envs: LruCache<string, Environment>;
  readonly #kubeLibraries: boolean;

  constructor(opts: MbEngineOptions = {}) {
    boundTypeDeduction();
    this.limits = { ...DEFAULT_COMPILE_LIMITS, ...opts.limits };
    this.#programs = new LruCache(opts.programCacheSize ?? 4096);
    this.#envs = new LruCache(opts.envCacheSize ?? 64);
    this.#kubeLibraries = opts.kubeLibraries ?? true;
  }

  /** Cache counters, for metrics and tests. */
  get cacheStats(): { programs: number; hits: number; misses: number } {
    return { programs: this.#programs.size, hits: this.#programs.hits, misses: this.#programs.misses };
  }

  compile(expression: string, env: CelEnvSpec): CompiledProgram {
    const id = envKey(env);
    const key = `${id}\u0000${expression}`;
    let entry = this.#programs.get(key);
    if (entry === undefined) {
      entry = this.#compileUncached(expression, env, id);
      this.#programs.set(key, entry);
    }
    if (entry instanceof CelError) throw entry;
    return entry;
  }

  /** The cel-js Environment for a spec (exposed for the benchmark and advanced callers). */
  environment(env: CelEnvSpec): Environment {
    const id = envKey(env);
    let e = this.#envs.get(id);
    if (e === undefined) {
      e = this.#newEnvironment(env);
      this.#envs.set(id, e);
    }
    return e;
  }

  #newEnvironment(spec: CelEnvSpec): Environment {
    const env = new Environment({
      enableOptionalTypes: true,
      // kube (cel-go) accepts mixed literals such as [1, 'a'] as list(dyn)
      homogeneousAggregateLiterals: false,
      limits: { maxAstNodes: this.limits.maxAstNodes, maxDepth: this.limits.maxDepth },
    });
    if (this.#kubeLibraries) registerKubeLibraries(env);
    for (const [name, type] of Object.entries(spec.variables)) {
      try {
        env.registerVariable(name, type);
      } catch (e) {
        throw new CelTypeError(`invalid declaration of variable '${name}' as '${type}': ${(e as Error).message}`,
          { code: 'invalid_environment' });
      }
    }
    return env;
  }

  #compileUncached(expression: string, spec: CelEnvSpec, _id: string): CompiledProgram | CelError {
    if (expression.length > this.limits.maxExpressionLength) {
      return new CelCostError(
        `expression is too long: ${expression.length} characters, the limit is ${this.limits.maxExpressionLength}`,
        { code: 'expression_too_large' });
    }
    let env: Environment;
    try {
      env = this.environment(spec);
    } catch (e) {
      return translateError(e, expression, 'compile');
    }
    let parsed: ParsedFn;
    try {
      parsed = env.parse(expression) as unknown as ParsedFn;
      widenHasMacros(parsed.ast);
    } catch (e) {
      return translateError(e, expression, 'compile');
    }
    let checked: { valid: boolean; type?: string; error?: Error };
    try {
      checked = parsed.check();
    } catch (e) {
      return translateError(e, expression, 'compile');
    }
    if (!checked.valid) return translateError(checked.error, expression, 'compile');
    const { nodes, comprehensions } = instrument(parsed.ast);
    return new MbProgram(expression, parsed, checked.type ?? 'dyn', nodes, comprehensions > 0);
  }
}

class MbProgram implements CompiledProgram {
  constructor(
    readonly expression: string,
    readonly fn: ParsedFn,
    readonly outputType: string,
    readonly staticCost: number,
    readonly hasComprehensions: boolean,
  ) {}

  evaluate(activation: Readonly<Record<string, unknown>>, opts?: EvalOptions): unknown {
    return this.#run(activation, opts?.costBudget).value;
  }

  evaluateWithCost(activation: Readonly<Record<string, unknown>>, opts?: EvalOptions): { value: unknown; cost: number } {
    return this.#run(activation, opts?.costBudget);
  }

  #run(activation: Readonly<Record<string, unknown>>, budget: number = KUBE_COST_LIMITS.perCallLimit): { value: unknown; cost: number } {
    const meter = new CostMeter(budget);
    const prev = enterMeter(meter);
    let value: unknown;
    try {
      meter.charge(this.staticCost);
      value = this.fn(activation as Record<string, unknown>);
    } catch (e) {
      if (meter.exceeded) throw costError(this.expression);
      throw translateError(e, this.expression);
    } finally {
      restoreMeter(prev);
    }
    // `||`, `&&` and exists() may have swallowed the budget error
    if (meter.exceeded) throw costError(this.expression);
    if (value === undefined) {
      throw new CelRuntimeError('evaluation produced no value', { code: 'internal', expression: this.expression });
    }
    return { value, cost: meter.used };
  }
}

function costError(expression: string): CelCostError {
  return new CelCostError(COST_LIMIT_MESSAGE, { code: 'cost_limit_exceeded', expression });
}

/** Maps anything cel-js (or a library function) throws to one of our typed errors. */
export function translateError(e: unknown, expression: string, phase: 'compile' | 'eval' = 'eval'): CelError {
  if (e instanceof CelError) return e;
  if (e instanceof ParseError) {
    const offset = e.range?.start;
    if (e.code === 'limit_exceeded') {
      return new CelCostError(`expression is too complex: ${e.summary}`, { code: 'expression_too_large', expression, offset, cause: e });
    }
    return new CelCompileError(e.summary, { code: e.code || 'syntax_error', expression, offset, cause: e });
  }
  if (e instanceof MbTypeError) {
    return new CelTypeError(e.summary, { code: e.code || 'type_error', expression, offset: e.range?.start, cause: e });
  }
  if (e instanceof EvaluationError) {
    if (e.cause instanceof CelCostError) return e.cause;
    return new CelRuntimeError(e.summary, { code: e.code || 'evaluation_error', expression, offset: e.range?.start, cause: e });
  }
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    return new CelCostError('expression is too deeply nested to evaluate', { code: 'expression_too_large', expression, cause: e });
  }
  // Engine-internal failures (e.g. cel-js's "overload overlaps" on empty-list macros) are still
  // reported as evaluation errors of this expression, never as crashes.
  const msg = e instanceof Error ? e.message : String(e);
  if (phase === 'compile') return new CelTypeError(msg, { code: 'internal', expression, cause: e });
  return new CelRuntimeError(msg, { code: 'internal', expression, cause: e });
}

function isAstNode(x: unknown): x is AstNode {
  return typeof x === 'object' && x !== null && typeof (x as AstNode).op === 'string' && 'meta' in (x as object);
}

/**
 * Walks the checked AST: counts nodes (the static cost) and wraps every comprehension step so
 * each iteration charges the meter for the nodes in its body. Must run after check(), which
 * fixes each node's evaluate function (we read `meta.evaluate` as the checker left it).
 */
function instrument(root: AstNode): { nodes: number; comprehensions: number } {
  const seen = new Set<AstNode>();
  let comprehensions = 0;
  const count = (node: AstNode): number => {
    if (seen.has(node)) return 0;
    seen.add(node);
    let n = 1;
    const meta = node.meta;
    if ((node.op === 'rcall' || node.op === 'call') && (node.args as unknown[])[0] === 'matches') rewireMatches(node);
    if (node.op === '==' || node.op === '!=' || node.op === 'in') rewireDeepEquality(node as unknown as Parameters<typeof rewireDeepEquality>[0]);
    if (meta.alternate) return n + count(meta.alternate);
    if (meta.macro) {
      for (const v of Object.values(meta.macro)) n += countAny(v);
      return n;
    }
    if (node.op === 'comprehension') {
      comprehensions++;
      const args = node.args as { iterable: AstNode; init: AstNode; step: AstNode };
      n += count(args.iterable) + count(args.init);
      const stepCost = count(args.step);
      wrapStep(args.step, Math.max(1, stepCost));
      return n + stepCost;
    }
    return n + countAny(node.args);
  };
  const countAny = (v: unknown): number => {
    if (isAstNode(v)) return count(v);
    if (Array.isArray(v)) { let n = 0; for (const x of v) n += countAny(x); return n; }
    return 0;
  };
  const nodes = count(root);
  return { nodes, comprehensions };
}

interface Evaluator { run(node: AstNode, ctx: unknown): unknown }

/**
 * cel-js's built-in `matches` runs a backtracking JS RegExp, which a pattern such as `(a+)+$`
 * turns into an exponential-time freeze of the whole server. Its declaration is frozen in the
 * engine's global registry, so we reroute each `matches` call node (receiver and global forms) to
 * the RE2 implementation in lib/regex.ts instead.
 */
function rewireMatches(node: AstNode): void {
  const args = node.args as unknown[];
  const operands = node.op === 'rcall' ? [args[1], ...(args[2] as unknown[])] : (args[1] as unknown[]);
  if (operands.length !== 2 || !operands.every(isAstNode)) return;
  const [subject, pattern] = operands as [AstNode, AstNode];
  node.evaluate = function re2Matches(ev, _ast, ctx) {
    const s = (ev as Evaluator).run(subject, ctx);
    const p = (ev as Evaluator).run(pattern, ctx);
    if (typeof s !== 'string' || typeof p !== 'string') {
      throw new EvaluationError({ code: 'no_matching_overload', message: `found no matching overload for 'matches' applied to '(${typeof s}, ${typeof p})'` });
    }
    return regexMatches(s, p);
  };
}

function wrapStep(step: AstNode, units: number): void {
  const meta = step.meta;
  let inner: EvalFn;
  if (meta.alternate) {
    const alt = meta.alternate;
    inner = (ev, _ast, ctx) => alt.evaluate(ev, alt, ctx);
  } else if (meta.macro) {
    const macro = meta.macro as { evaluate: (ev: unknown, m: unknown, ctx: unknown) => unknown };
    inner = (ev, _ast, ctx) => macro.evaluate(ev, macro, ctx);
  } else {
    inner = meta.evaluate;
  }
  step.evaluate = function meteredStep(this: AstNode, ev, ast, ctx) {
    charge(units);
    return inner.call(this, ev, ast, ctx);
  };
}

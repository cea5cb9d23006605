/**
 * Secondary engine on @bufbuild/cel (the cel-spec conformance leader), behind the same
 * `CelEngine` interface so it can be swapped in where strict spec fidelity matters more than
 * speed. Standard CEL only: no Kubernetes libraries, no type check at compile time (outputType is
 * `dyn`), and no runtime cost metering (only the compile-time size limits apply).
 */

import { celEnv, isCelError, isCelList, isCelMap, parse, plan, type CelEnv } from '@bufbuild/cel';
import { LruCache } from '../machinery/lru-cache.js';
import {
  type CelEngine, type CelEnvSpec, type CompileLimits, type CompiledProgram, type EvalOptions,
  DEFAULT_COMPILE_LIMITS, envKey,
} from './engine.js';
import { CelCompileError, CelCostError, CelError, CelRuntimeError } from './errors.js';

export class BbCelEngine implements CelEngine {
  readonly name = 'bufbuild/cel';
  readonly limits: CompileLimits;
  // the planner is cached per env, so one shared env keeps compiles fast
  readonly #env: CelEnv = celEnv();
  readonly #programs = new LruCache<string, CompiledProgram | CelError>(4096);

  constructor(opts: { limits?: Partial<CompileLimits> } = {}) {
    this.limits = { ...DEFAULT_COMPILE_LIMITS, ...opts.limits };
  }

  compile(expression: string, env: CelEnvSpec): CompiledProgram {
    const key = `${envKey(env)}\u0000${expression}`;
    let entry = this.#programs.get(key);
    if (entry === undefined) {
      entry = this.#compile(expression);
      this.#programs.set(key, entry);
    }
    if (entry instanceof CelError) throw entry;
    return entry;
  }

  #compile(expression: string): CompiledProgram | CelError {
    if (expression.length > this.limits.maxExpressionLength) {
      return new CelCostError(`expression is too long: ${expression.length} characters, the limit is ${this.limits.maxExpressionLength}`,
        { code: 'expression_too_large' });
    }
    try {
      const fn = plan(this.#env, parse(expression)) as (ctx?: Record<string, unknown>) => unknown;
      return new BbProgram(expression, fn);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      // bufbuild reports "<input>:line:col: message"
      const m = /^<input>:(\d+):(\d+): (.*)$/s.exec(msg);
      let offset: number | undefined;
      if (m) {
        const lines = expression.split('\n');
        offset = lines.slice(0, Number(m[1]) - 1).reduce((n, l) => n + l.length + 1, 0) + Number(m[2]);
      }
      return new CelCompileError(m ? m[3] : msg, { code: 'syntax_error', expression, offset, cause: e });
    }
  }
}

class BbProgram implements CompiledProgram {
  readonly outputType = 'dyn';
  readonly staticCost = 0;
  readonly hasComprehensions = false;
  constructor(readonly expression: string, readonly fn: (ctx?: Record<string, unknown>) => unknown) {}

  evaluate(activation: Readonly<Record<string, unknown>>, opts?: EvalOptions): unknown {
    return this.evaluateWithCost(activation, opts).value;
  }

  evaluateWithCost(activation: Readonly<Record<string, unknown>>, _opts?: EvalOptions): { value: unknown; cost: number } {
    let r: unknown;
    try {
      r = this.fn(activation as Record<string, unknown>);
    } catch (e) {
      throw new CelRuntimeError(e instanceof Error ? e.message : String(e), { code: 'internal', expression: this.expression, cause: e });
    }
    if (isCelError(r)) throw new CelRuntimeError(r.message, { code: 'evaluation_error', expression: this.expression, cause: r });
    return { value: toPlain(r), cost: 0 };
  }
}

/** bufbuild's list/map wrappers → arrays and Maps, the shapes the rest of src/cel uses. */
function toPlain(v: unknown): unknown {
  if (isCelList(v)) return Array.from(v, toPlain);
  if (isCelMap(v)) return new Map(Array.from(v.entries(), ([k, x]) => [k, toPlain(x)]));
  return v;
}

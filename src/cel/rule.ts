/**
 * The convenience API admission, CRD validation and placement call: compile a rule once for a
 * set of variables (and the schemas that shape them), then evaluate it many times, getting a
 * value or a typed error back — never a throw.
 */

import { KUBE_COST_LIMITS } from './cost.js';
import type { CelEngine, CelTypeName, CompiledProgram } from './engine.js';
import { CelError, CelRuntimeError, CelTypeError } from './errors.js';
import { MbCelEngine, translateError } from './mb-engine.js';
import { type CelSchema, fromCelValue, toCelValue } from './values.js';

let shared: CelEngine | undefined;

/** The process-wide engine (cel-js with the Kubernetes libraries, shared compile cache). */
export function defaultEngine(): CelEngine {
  return (shared ??= new MbCelEngine());
}

export type RuleOutputType = 'bool' | 'string' | 'int' | 'double' | 'list' | 'map' | 'dyn';

export interface RuleOptions {
  /** Variable names (typed dyn) or names with declared CEL types. */
  vars: readonly string[] | Readonly<Record<string, CelTypeName>>;
  /** Schema per variable, for int conversion and property-name escaping (see values.ts). */
  schemaFor?: Readonly<Record<string, CelSchema | undefined>>;
  /** Reject at compile time rules whose checked type cannot be this (kube: rules must be bool). */
  expect?: RuleOutputType;
  /** Environment id for the compile cache (defaults to one derived from `vars`). */
  envId?: string;
  engine?: CelEngine;
}

export interface RuleEvalOptions {
  /** Cost units this evaluation may spend (default kube's per-call limit, 1,000,000). */
  costBudget?: number;
}

export type RuleResult = { value: unknown; cost: number; error?: undefined } | { error: CelError; value?: undefined };

/** Activations made by `celActivation` are already converted and are passed through as-is. */
const converted = new WeakSet<object>();

/**
 * Converts raw JSON variables once (e.g. one admitted object checked by many rules). The result
 * can be given to any rule's `eval` without being converted again.
 */
export function celActivation(
  raw: Readonly<Record<string, unknown>>,
  schemaFor?: Readonly<Record<string, CelSchema | undefined>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(raw)) out[k] = toCelValue(raw[k], schemaFor?.[k]);
  converted.add(out);
  return out;
}

export class CompiledRule {
  readonly #program: CompiledProgram;
  readonly #schemaFor?: Readonly<Record<string, CelSchema | undefined>>;
  readonly #expect: RuleOutputType;

  constructor(program: CompiledProgram, schemaFor: RuleOptions['schemaFor'], expect: RuleOutputType) {
    this.#program = program;
    this.#schemaFor = schemaFor;
    this.#expect = expect;
  }

  get expression(): string { return this.#program.expression; }
  get outputType(): string { return this.#program.outputType; }
  /** AST nodes after macro expansion: the fixed part of each evaluation's cost. */
  get staticCost(): number { return this.#program.staticCost; }
  get program(): CompiledProgram { return this.#program; }

  /** Evaluates against raw JSON variables (converted here) or a `celActivation`. */
  eval(activation: Readonly<Record<string, unknown>>, opts?: RuleEvalOptions): RuleResult {
    const act = converted.has(activation) ? activation : celActivation(activation, this.#schemaFor);
    try {
      const { value, cost } = this.#program.evaluateWithCost(act, { costBudget: opts?.costBudget ?? KUBE_COST_LIMITS.perCallLimit });
      if (this.#expect !== 'dyn' && !matches(value, this.#expect)) {
        return { error: new CelRuntimeError(`expression must evaluate to a ${this.#expect}, got ${describe(value)}`, { code: 'wrong_result_type', expression: this.expression }) };
      }
      return { value: fromCelValue(value), cost };
    } catch (e) {
      return { error: translateError(e, this.expression) };
    }
  }
}

/** Compiles (cached) a rule. Throws a `CelError` on syntax, type or size problems. */
export function compileRule(expression: string, opts: RuleOptions): CompiledRule {
  const variables: Record<string, CelTypeName> = Array.isArray(opts.vars)
    ? Object.fromEntries((opts.vars as readonly string[]).map((n) => [n, 'dyn']))
    : { ...(opts.vars as Record<string, CelTypeName>) };
  const engine = opts.engine ?? defaultEngine();
  const program = engine.compile(expression, { variables, id: opts.envId });
  const expect = opts.expect ?? 'dyn';
  if (expect !== 'dyn' && program.outputType !== 'dyn' && !program.outputType.startsWith(expect)) {
    throw new CelTypeError(`expression must evaluate to a ${expect}, but its type is ${program.outputType}`,
      { code: 'wrong_result_type', expression });
  }
  return new CompiledRule(program, opts.schemaFor, expect);
}

/** `compileRule` without the throw. */
export function tryCompileRule(expression: string, opts: RuleOptions): { rule: CompiledRule; error?: undefined } | { error: CelError; rule?: undefined } {
  try {
    return { rule: compileRule(expression, opts) };
  } catch (e) {
    return { error: translateError(e, expression, 'compile') };
  }
}

function matches(v: unknown, t: RuleOutputType): boolean {
  switch (t) {
    case 'bool': return typeof v === 'boolean';
    case 'string': return typeof v === 'string';
    case 'int': return typeof v === 'bigint';
    case 'double': return typeof v === 'number';
    case 'list': return Array.isArray(v);
    case 'map': return typeof v === 'object' && v !== null && !Array.isArray(v);
    default: return true;
  }
}

function describe(v: unknown): string {
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'double';
  if (Array.isArray(v)) return 'list';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'map' : typeof v;
}

/**
 * The one interface the rest of TMC uses for CEL. Implementations: `mb-engine.ts` (primary, on
 * @marcbachmann/cel-js, with the Kubernetes libraries) and `bb-engine.ts` (on @bufbuild/cel,
 * standard CEL only) — swappable because callers only see `CelEngine` and `CompiledProgram`.
 */

/**
 * A CEL type name as the engine's declarations spell it: `dyn`, `bool`, `int`, `uint`, `double`,
 * `string`, `bytes`, `timestamp`, `duration`, `list`, `map`, `list<string>`, `map<string, dyn>`, …
 */
export type CelTypeName = string;

/** Names the variables an expression may use, with their declared types. */
export interface CelEnvSpec {
  variables: Readonly<Record<string, CelTypeName>>;
  /**
   * A stable id for this environment (e.g. `crd-rule`, `vap`, `placement`); defaults to a key
   * derived from the variables. Programs are cached per (expression, id).
   */
  id?: string;
}

export interface EvalOptions {
  /** Cost units this evaluation may spend (default `KUBE_COST_LIMITS.perCallLimit`). */
  costBudget?: number;
}

export interface CompiledProgram {
  readonly expression: string;
  /** The type the checker inferred for the result (`bool`, `int`, `dyn`, …). */
  readonly outputType: string;
  /** Number of AST nodes (after macro expansion): the fixed cost of one evaluation. */
  readonly staticCost: number;
  /** True when the program has comprehensions, so its cost depends on the data. */
  readonly hasComprehensions: boolean;
  /**
   * Evaluates against an activation of already CEL-shaped values (see `values.ts`): ints are
   * BigInt. Returns the raw CEL value; throws a `CelError` (never anything else).
   */
  evaluate(activation: Readonly<Record<string, unknown>>, opts?: EvalOptions): unknown;
  /** Like `evaluate`, and also reports the cost units spent. */
  evaluateWithCost(activation: Readonly<Record<string, unknown>>, opts?: EvalOptions): { value: unknown; cost: number };
}

export interface CompileLimits {
  /** Longest accepted expression text, in characters. */
  maxExpressionLength: number;
  /** Most AST nodes the parser may produce. */
  maxAstNodes: number;
  /** Deepest nesting of calls / selects / aggregates. */
  maxDepth: number;
}

export const DEFAULT_COMPILE_LIMITS: CompileLimits = {
  maxExpressionLength: 20_000,
  maxAstNodes: 10_000,
  maxDepth: 250,
};

export interface CelEngine {
  readonly name: string;
  /** Parses and type-checks (cached). Throws `CelCompileError`, `CelTypeError` or `CelCostError`. */
  compile(expression: string, env: CelEnvSpec): CompiledProgram;
}

/** The default env id: variables sorted by name, with their types. */
export function envKey(env: CelEnvSpec): string {
  if (env.id !== undefined) return env.id;
  return Object.keys(env.variables).sort().map((k) => `${k}:${env.variables[k]}`).join(',');
}

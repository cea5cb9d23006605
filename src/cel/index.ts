/** Public API of the CEL layer. */
export type { CelEngine, CelEnvSpec, CelTypeName, CompiledProgram, CompileLimits, EvalOptions } from './engine.js';
export { DEFAULT_COMPILE_LIMITS, envKey } from './engine.js';
export {
  CelError, CelCompileError, CelTypeError, CelRuntimeError, CelCostError, isCelError, celErrorMessage,
  COST_LIMIT_MESSAGE, type CelErrorKind, type CelErrorPosition,
} from './errors.js';
export { KUBE_COST_LIMITS, CostMeter } from './cost.js';
export { MbCelEngine, type MbEngineOptions } from './mb-engine.js';
export { type CelSchema, toCelValue, fromCelValue, escapePropertyName } from './values.js';
export {
  compileRule, tryCompileRule, celActivation, CompiledRule, defaultEngine,
  type RuleOptions, type RuleEvalOptions, type RuleResult, type RuleOutputType,
} from './rule.js';
export { BbCelEngine } from './bb-engine.js';
export { tryCompileRegex } from './lib/regex.js';

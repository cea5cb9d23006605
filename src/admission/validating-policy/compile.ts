/**
 * Compiles a ValidatingAdmissionPolicy's expressions once per stored version of the policy
 * (cached by object identity: the watch cache replaces the object on every change). Never
 * throws: an expression that does not compile carries its error, which the strategy reports at
 * write time and the evaluator treats as an evaluation failure (failurePolicy decides).
 */
import { tryCompileRule, type CelError, type CompiledRule, type RuleOutputType } from '../../cel/index.js';
import type { KubeObject } from '../../storage/types.js';

/** Every VAP expression sees these (all dyn, as the objects are of any kind). */
export const POLICY_VARS = ['object', 'oldObject', 'request', 'params', 'namespaceObject', 'variables', 'authorizer'] as const;

export interface CompiledExpr {
  expression: string;
  rule?: CompiledRule;
  error?: CelError;
  /** Names of `variables.<name>` this expression reads (evaluated lazily, on demand). */
  uses: string[];
}

export interface CompiledValidation {
  expr: CompiledExpr;
  message?: string;
  messageExpr?: CompiledExpr;
  reason?: string;
}

export interface CompiledPolicy {
  name: string;
  paramKind?: { apiVersion?: string; kind?: string };
  failurePolicy: 'Fail' | 'Ignore';
  matchConstraints?: MatchResources;
  matchConditions: Array<{ name: string; expr: CompiledExpr }>;
  variables: Array<{ name: string; expr: CompiledExpr }>;
  validations: CompiledValidation[];
}

export interface RuleWithOperations {
  apiGroups?: string[]; apiVersions?: string[]; resources?: string[]; operations?: string[];
  resourceNames?: string[]; scope?: string;
}
export interface LabelSelectorSpecLike {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }>;
}
export interface MatchResources {
  namespaceSelector?: LabelSelectorSpecLike;
  objectSelector?: LabelSelectorSpecLike;
  resourceRules?: RuleWithOperations[];
  excludeResourceRules?: RuleWithOperations[];
  matchPolicy?: string;
}

const VAR_USE = /\bvariables\.([A-Za-z_][A-Za-z0-9_]*)/g;

export function compileExpr(expression: unknown, expect: RuleOutputType): CompiledExpr {
  const text = typeof expression === 'string' ? expression : '';
  const uses = [...new Set([...text.matchAll(VAR_USE)].map((m) => m[1]))];
  const c = tryCompileRule(text, { vars: POLICY_VARS, expect, envId: 'vap' });
  return c.error ? { expression: text, error: c.error, uses } : { expression: text, rule: c.rule, uses };
}

const cache = new WeakMap<KubeObject, CompiledPolicy>();

export function compilePolicy(policy: KubeObject): CompiledPolicy {
  let hit = cache.get(policy);
  if (hit) return hit;
  const spec = (policy.spec ?? {}) as Record<string, any>;
  hit = {
    name: policy.metadata.name ?? '',
    paramKind: spec.paramKind,
    failurePolicy: spec.failurePolicy === 'Ignore' ? 'Ignore' : 'Fail',
    matchConstraints: spec.matchConstraints,
    matchConditions: arr(spec.matchConditions).map((m) => ({ name: String(m?.name ?? ''), expr: compileExpr(m?.expression, 'bool') })),
    variables: arr(spec.variables).map((v) => ({ name: String(v?.name ?? ''), expr: compileExpr(v?.expression, 'dyn') })),
    validations: arr(spec.validations).map((v) => ({
      expr: compileExpr(v?.expression, 'bool'),
      message: typeof v?.message === 'string' ? v.message : undefined,
      messageExpr: v?.messageExpression !== undefined ? compileExpr(v.messageExpression, 'string') : undefined,
      reason: typeof v?.reason === 'string' ? v.reason : undefined,
    })),
  };
  cache.set(policy, hit);
  return hit;
}

function arr(v: unknown): any[] {
  return Array.isArray(v) ? v : [];
}

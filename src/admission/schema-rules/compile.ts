/**
 * Compiles the `x-kubernetes-validations` of one schema node, once: results are cached by the
 * node's identity (a CRD version's schema is rebuilt only when the CRD changes, so this is
 * "compile once per CRD version") and never thrown — a rule that does not compile carries its
 * error, reported at CRD create time by `validateSchemaRules` and as a field error at runtime.
 */
import { tryCompileRule, type CelError, type CompiledRule } from '../../cel/index.js';
import type { JSONSchemaProps, ValidationRule } from '../../registry/types.js';
import { celTypeOf } from './cel-types.js';
import { parseFieldPath, type PathSegment } from './field-path.js';

export interface CompiledValidation {
  rule: ValidationRule;
  program?: CompiledRule;
  compileError?: CelError;
  messageProgram?: CompiledRule;
  messageError?: CelError;
  /** The rule mentions `oldSelf`: evaluated only on update with an old value (unless optionalOldSelf). */
  transition: boolean;
  fieldPath?: PathSegment[];
  fieldPathError?: string;
}

const cache = new WeakMap<JSONSchemaProps, CompiledValidation[]>();
const OLD_SELF = /\boldSelf\b/;

export function compiledRulesFor(node: JSONSchemaProps, isRoot = false): CompiledValidation[] {
  let hit = cache.get(node);
  if (!hit) {
    hit = (node['x-kubernetes-validations'] ?? []).map((r) => compileOne(node, r, isRoot));
    cache.set(node, hit);
  }
  return hit;
}

function compileOne(node: JSONSchemaProps, rule: ValidationRule, isRoot: boolean): CompiledValidation {
  const selfType = isRoot ? 'map<string, dyn>' : celTypeOf(node);
  // optionalOldSelf makes oldSelf an optional of self's type. It must be declared precisely as
  // `optional<T>`: declared `dyn`, cel-js types `oldSelf.value()` as a dyn that makes ordering
  // operators against a typed operand ambiguous at compile time ("Operator overload 'int >= int'
  // overlaps with 'double >= int'"), so `oldSelf.value() >= self` did not compile.
  const vars = { self: selfType, oldSelf: rule.optionalOldSelf ? `optional<${selfType}>` : selfType };
  const envId = `crd-rule:${vars.self}:${vars.oldSelf}`;
  const out: CompiledValidation = { rule, transition: OLD_SELF.test(rule.rule ?? '') };
  const c = tryCompileRule(String(rule.rule ?? ''), { vars, expect: 'bool', envId });
  if (c.error) out.compileError = c.error; else out.program = c.rule;
  if (rule.messageExpression !== undefined) {
    const m = tryCompileRule(String(rule.messageExpression), { vars, expect: 'string', envId });
    if (m.error) out.messageError = m.error; else out.messageProgram = m.rule;
  }
  if (rule.fieldPath !== undefined && rule.fieldPath !== '') {
    const p = parseFieldPath(rule.fieldPath);
    if (p) out.fieldPath = p; else out.fieldPathError = `fieldPath must be a valid path: ${rule.fieldPath}`;
  }
  return out;
}

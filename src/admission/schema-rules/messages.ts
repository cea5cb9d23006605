/** Kube's wording for CEL rule failures (apiextensions-apiserver schema/cel/validation.go). */
import type { FieldError } from '../../errors/status.js';
import type { ValidationRule } from '../../registry/types.js';

/** What kube names a rule by in error texts: its message, else its rule. */
export function ruleErrorString(rule: ValidationRule): string {
  const m = rule.message?.trim();
  return m ? m : String(rule.rule ?? '').trim();
}

/** The detail of a failed (false) rule without a usable messageExpression. */
export function ruleMessageOrDefault(rule: ValidationRule): string {
  const m = rule.message?.trim();
  return m ? m : `failed rule: ${String(rule.rule ?? '').trim()}`;
}

/** `fieldErrorForReason`: the reason picks the cause type; value is the node's schema type. */
export function fieldErrorForReason(field: string, type: string, detail: string, reason: ValidationRule['reason']): FieldError {
  switch (reason) {
    case 'FieldValueForbidden': return { type: 'FieldValueForbidden', field, detail };
    case 'FieldValueRequired': return { type: 'FieldValueRequired', field, detail };
    case 'FieldValueDuplicate': return { type: 'FieldValueDuplicate', field, value: type, detail };
    default: return { type: 'FieldValueInvalid', field, value: type, detail };
  }
}

/** messageExpression output limit (kube: 5 KiB). */
export const MAX_MESSAGE_EXPRESSION_LENGTH = 5 * 1024;

/** A messageExpression result kube accepts: non-blank, one line, at most 5 KiB. */
export function usableMessage(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (!s || s.includes('\n') || s.length > MAX_MESSAGE_EXPRESSION_LENGTH) return undefined;
  return s;
}

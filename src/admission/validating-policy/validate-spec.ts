/**
 * Write-time validation of policies and bindings (kube's admissionregistration validation, the
 * parts that matter for enforcement): expressions must compile, required fields must be set,
 * enums must hold.
 */
import type { FieldError } from '../../errors/status.js';
import type { KubeObject } from '../../storage/types.js';
import { compileExpr } from './compile.js';

const compileFailed = (field: string, value: string, msg: string): FieldError =>
  ({ type: 'FieldValueInvalid', field, value, detail: `compilation failed: ${msg}` });

export function validatePolicySpec(o: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = (o.spec ?? {}) as Record<string, any>;
  const validations = Array.isArray(spec.validations) ? spec.validations : [];
  const audits = Array.isArray(spec.auditAnnotations) ? spec.auditAnnotations : [];
  if (!validations.length && !audits.length)
    errs.push({ type: 'FieldValueRequired', field: 'spec.validations', detail: 'validations or auditAnnotations must contain at least one item' });
  if (!spec.matchConstraints?.resourceRules?.length)
    errs.push({ type: 'FieldValueRequired', field: 'spec.matchConstraints.resourceRules', detail: '' });
  if (spec.failurePolicy !== undefined && spec.failurePolicy !== 'Fail' && spec.failurePolicy !== 'Ignore')
    errs.push({ type: 'FieldValueNotSupported', field: 'spec.failurePolicy', value: spec.failurePolicy, detail: 'supported values: "Fail", "Ignore"' });
  if (spec.paramKind && (!spec.paramKind.apiVersion || !spec.paramKind.kind))
    errs.push({ type: 'FieldValueRequired', field: spec.paramKind.kind ? 'spec.paramKind.apiVersion' : 'spec.paramKind.kind', detail: '' });
  validations.forEach((v: any, i: number) => {
    const at = `spec.validations[${i}]`;
    if (typeof v?.expression !== 'string' || !v.expression.trim()) { errs.push({ type: 'FieldValueRequired', field: `${at}.expression`, detail: '' }); return; }
    const c = compileExpr(v.expression, 'bool');
    if (c.error) errs.push(compileFailed(`${at}.expression`, v.expression, c.error.message));
    if (v.messageExpression !== undefined) {
      const m = compileExpr(v.messageExpression, 'string');
      if (m.error) errs.push(compileFailed(`${at}.messageExpression`, String(v.messageExpression), m.error.message));
    }
    if (v.reason !== undefined && !['Unauthorized', 'Forbidden', 'Invalid', 'RequestEntityTooLarge'].includes(v.reason))
      errs.push({ type: 'FieldValueNotSupported', field: `${at}.reason`, value: v.reason, detail: 'supported values: "Forbidden", "Invalid", "RequestEntityTooLarge", "Unauthorized"' });
  });
  for (const [list, expect] of [['matchConditions', 'bool'], ['variables', 'dyn']] as const) {
    (Array.isArray(spec[list]) ? spec[list] : []).forEach((m: any, i: number) => {
      if (!m?.name) errs.push({ type: 'FieldValueRequired', field: `spec.${list}[${i}].name`, detail: '' });
      const c = compileExpr(m?.expression, expect);
      if (c.error) errs.push(compileFailed(`spec.${list}[${i}].expression`, String(m?.expression ?? ''), c.error.message));
    });
  }
  return errs;
}

const ACTIONS = ['Deny', 'Warn', 'Audit'];

export function validateBindingSpec(o: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = (o.spec ?? {}) as Record<string, any>;
  if (!spec.policyName) errs.push({ type: 'FieldValueRequired', field: 'spec.policyName', detail: '' });
  const actions = Array.isArray(spec.validationActions) ? spec.validationActions : [];
  if (!actions.length) errs.push({ type: 'FieldValueRequired', field: 'spec.validationActions', detail: 'at least one validation action is required' });
  actions.forEach((a: unknown, i: number) => {
    if (!ACTIONS.includes(a as string)) errs.push({ type: 'FieldValueNotSupported', field: `spec.validationActions[${i}]`, value: a, detail: 'supported values: "Audit", "Deny", "Warn"' });
  });
  if (actions.includes('Deny') && actions.includes('Warn'))
    errs.push({ type: 'FieldValueInvalid', field: 'spec.validationActions', value: actions, detail: 'must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)' });
  const ref = spec.paramRef;
  if (ref) {
    if (ref.name && ref.selector) errs.push({ type: 'FieldValueForbidden', field: 'spec.paramRef.name', detail: 'name and selector are mutually exclusive' });
    if (!ref.name && !ref.selector) errs.push({ type: 'FieldValueRequired', field: 'spec.paramRef', detail: 'one of name or selector must be set' });
    if (ref.parameterNotFoundAction !== undefined && !['Allow', 'Deny'].includes(ref.parameterNotFoundAction))
      errs.push({ type: 'FieldValueNotSupported', field: 'spec.paramRef.parameterNotFoundAction', value: ref.parameterNotFoundAction, detail: 'supported values: "Allow", "Deny"' });
  }
  return errs;
}

/**
 * The schema steps of a write, in kube's order: unknown fields (strict decoding), defaulting,
 * then validation of metadata and the structural schema. Thin glue over schema/ so the generic
 * store reads as a list of steps.
 */
import { badRequest, type FieldError } from '../errors/status.js';
import type { KubeObject } from '../storage/types.js';
import { applyDefaults } from './schema/defaults.js';
import { prune } from './schema/prune.js';
import { validateObject } from './schema/validate.js';
import { validateObjectMeta } from './schema/meta.js';
import type { FieldValidation, ResourceDef } from './types.js';

/**
 * Drops fields the schema does not know. Strict refuses them with kube's strict-decoding message,
 * Warn reports them as warnings, Ignore drops them silently (kube's pruning).
 */
export function checkUnknownFields(def: ResourceDef, obj: KubeObject, mode: FieldValidation, warnings: string[]): void {
  if (!def.schema) return;
  const unknown = prune(def.schema, obj, { resourceRoot: true });
  if (unknown.length === 0) return;
  if (mode === 'Strict') {
    const list = unknown.map((p) => `unknown field "${p}"`).join(', ');
    throw badRequest(`${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: strict decoding error: ${list}`);
  }
  if (mode === 'Warn') for (const p of unknown) warnings.push(`unknown field "${p}"`);
}

export function defaultObject(def: ResourceDef, obj: KubeObject): void {
  if (def.schema) applyDefaults(def.schema, obj);
  def.strategy?.defaults?.(obj);
}

export function validateAgainstSchema(def: ResourceDef, obj: KubeObject): FieldError[] {
  const errs: FieldError[] = validateObjectMeta(obj.metadata, {
    namespaced: def.namespaced,
    nameValidator: def.strategy?.validateName,
  });
  if (def.schema) errs.push(...validateObject(def.schema, obj));
  return errs;
}

/**
 * ObjectMeta validation every object goes through (apimachinery api/validation/objectmeta.go):
 * name or generateName, name format, namespace presence by scope, labels, annotations (keys and the
 * 256 KiB total), finalizers, ownerReferences, generation. Field paths and wording as kube's.
 */
import type { FieldError } from '../../errors/status.js';
import { labelValueErrors, qualifiedNameErrors } from '../../machinery/labels.js';
import { dns1123LabelErrors, dns1123SubdomainErrors, type NameValidator } from '../../machinery/names.js';
import { forbidden, invalid, required, tooLong } from './errors.js';

/** apimachinery TotalAnnotationSizeLimitB. */
export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

export interface ObjectMetaOptions {
  namespaced: boolean;
  /** Validates the name (default: DNS-1123 subdomain). generateName is checked as a prefix. */
  nameValidator?: NameValidator;
  /** Path of the metadata (default `metadata`). */
  path?: string;
}

export function validateObjectMeta(meta: Record<string, unknown> | undefined, opts: ObjectMetaOptions): FieldError[] {
  const p = opts.path ?? 'metadata';
  const m = meta ?? {};
  const errs: FieldError[] = [];
  validateNames(m, p, opts.nameValidator ?? dns1123SubdomainErrors, errs);
  validateNamespace(m.namespace, opts.namespaced, `${p}.namespace`, errs);
  if (typeof m.generation === 'number' && m.generation < 0)
    errs.push(invalid(`${p}.generation`, m.generation, 'must be greater than or equal to 0'));
  errs.push(...validateLabels(m.labels, `${p}.labels`));
  errs.push(...validateAnnotations(m.annotations, `${p}.annotations`));
  errs.push(...validateFinalizers(m.finalizers, `${p}.finalizers`));
  errs.push(...validateOwnerReferences(m.ownerReferences, `${p}.ownerReferences`));
  return errs;
}

function validateNames(m: Record<string, unknown>, p: string, nameValidator: NameValidator, errs: FieldError[]): void {
  const name = m.name;
  const generateName = m.generateName;
  if (typeof generateName === 'string' && generateName !== '') {
    // generateName is a prefix: a trailing '-' is fine (names.ValidateNameFunc with prefix=true).
    const prefix = generateName.endsWith('-') ? generateName.slice(0, -1) : generateName;
    for (const msg of nameValidator(prefix)) errs.push(invalid(`${p}.generateName`, generateName, msg));
  }
  if (name === undefined || name === '') {
    if (!generateName) errs.push(required(`${p}.name`, 'name or generateName is required'));
    return;
  }
  if (typeof name !== 'string') { errs.push(invalid(`${p}.name`, name, 'must be a string')); return; }
  for (const msg of nameValidator(name)) errs.push(invalid(`${p}.name`, name, msg));
}

function validateNamespace(ns: unknown, namespaced: boolean, p: string, errs: FieldError[]): void {
  const empty = ns === undefined || ns === '';
  if (namespaced) {
    if (empty) errs.push(required(p));
    else if (typeof ns === 'string') for (const msg of dns1123LabelErrors(ns)) errs.push(invalid(p, ns, msg));
  } else if (!empty) {
    errs.push(forbidden(p, 'not allowed on this type'));
  }
}

/** ValidateLabels: keys must be qualified names, values valid label values (path: the map). */
export function validateLabels(labels: unknown, p: string): FieldError[] {
  if (labels === undefined || labels === null) return [];
  if (typeof labels !== 'object' || Array.isArray(labels)) return [invalid(p, labels, 'must be a map of string keys to string values')];
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels)) {
    for (const msg of qualifiedNameErrors(k)) errs.push(invalid(p, k, msg));
    if (typeof v !== 'string') errs.push(invalid(p, v, 'must be a string'));
    else for (const msg of labelValueErrors(v)) errs.push(invalid(p, v, msg));
  }
  return errs;
}

/** ValidateAnnotations: keys are (lower-cased) qualified names; total size of keys+values ≤ 256 KiB. */
export function validateAnnotations(annotations: unknown, p: string): FieldError[] {
  if (annotations === undefined || annotations === null) return [];
  if (typeof annotations !== 'object' || Array.isArray(annotations)) return [invalid(p, annotations, 'must be a map of string keys to string values')];
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(annotations)) {
    for (const msg of qualifiedNameErrors(k.toLowerCase())) errs.push(invalid(p, k, msg));
    if (typeof v !== 'string') { errs.push(invalid(p, v, 'must be a string')); continue; }
    total += Buffer.byteLength(k) + Buffer.byteLength(v);
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(tooLong(p, TOTAL_ANNOTATION_SIZE_LIMIT));
  return errs;
}

/** ValidateFinalizers: qualified names; names without a '/' must be one of kube's standard ones. */
export function validateFinalizers(finalizers: unknown, p: string): FieldError[] {
  if (finalizers === undefined || finalizers === null) return [];
  if (!Array.isArray(finalizers)) return [invalid(p, finalizers, 'must be a list of strings')];
  const errs: FieldError[] = [];
  for (const f of finalizers) {
    if (typeof f !== 'string') { errs.push(invalid(p, f, 'must be a string')); continue; }
    const msgs = qualifiedNameErrors(f);
    for (const msg of msgs) errs.push(invalid(p, f, msg));
    if (!msgs.length && !f.includes('/') && !STANDARD_FINALIZERS.has(f))
      errs.push(invalid(p, f, 'name is neither a standard finalizer name nor is it fully qualified'));
  }
  return errs;
}

function validateOwnerReferences(refs: unknown, p: string): FieldError[] {
  if (refs === undefined || refs === null) return [];
  if (!Array.isArray(refs)) return [invalid(p, refs, 'must be a list')];
  const errs: FieldError[] = [];
  let controllers = 0;
  refs.forEach((r: Record<string, unknown>) => {
    if (typeof r !== 'object' || r === null) { errs.push(invalid(p, r, 'must be an object')); return; }
    if (!r.apiVersion) errs.push(invalid(`${p}.apiVersion`, r.apiVersion ?? '', 'version must not be empty'));
    if (!r.kind) errs.push(invalid(`${p}.kind`, r.kind ?? '', 'kind must not be empty'));
    if (!r.name) errs.push(invalid(`${p}.name`, r.name ?? '', 'name must not be empty'));
    if (!r.uid) errs.push(invalid(`${p}.uid`, r.uid ?? '', 'uid must not be empty'));
    if (r.controller === true) controllers++;
  });
  if (controllers > 1) errs.push(invalid(p, refs, 'Only one reference can have Controller set to true'));
  return errs;
}

/**
 * CRD names validation (ValidateCustomResourceDefinitionNames): plural, singular, shortNames and
 * categories are DNS-1035 labels; kind and listKind are too once lower-cased; kind ≠ listKind.
 */
import type { FieldError } from '../../errors/status.js';
import { invalid, required } from '../schema/errors.js';
import type { CRDNames } from './types.js';

const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** apimachinery IsDNS1035Label, worded as kube words it. */
export function dns1035LabelErrors(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push('must be no more than 63 characters');
  if (!DNS1035_LABEL.test(v))
    errs.push("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')");
  return errs;
}

function label(errs: FieldError[], path: string, v: string | undefined, requiredField: boolean): void {
  if (!v) { if (requiredField) errs.push(required(path)); return; }
  const msgs = dns1035LabelErrors(v);
  if (msgs.length) errs.push(invalid(path, v, msgs.join(',')));
}

function kindName(errs: FieldError[], path: string, v: string | undefined): void {
  if (!v) { errs.push(required(path)); return; }
  const msgs = dns1035LabelErrors(v.toLowerCase());
  if (msgs.length) errs.push(invalid(path, v, `may have mixed case, but should otherwise match: ${msgs.join(',')}`));
}

export function validateNames(names: CRDNames | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const n = names ?? {};
  label(errs, `${path}.plural`, n.plural, true);
  label(errs, `${path}.singular`, n.singular, true);
  kindName(errs, `${path}.kind`, n.kind);
  kindName(errs, `${path}.listKind`, n.listKind);
  if (n.kind && n.listKind && n.kind === n.listKind)
    errs.push(invalid(`${path}.listKind`, n.listKind, 'kind and listKind may not be the same'));
  for (const s of n.shortNames ?? []) label(errs, `${path}.shortNames`, s, true);
  for (const c of n.categories ?? []) label(errs, `${path}.categories`, c, true);
  return errs;
}

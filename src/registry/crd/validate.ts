/**
 * validateCRD: what kube checks when a CustomResourceDefinition is created or updated
 * (apiextensions validation.go): name = <plural>.<group>, group is a dotted domain, names, scope,
 * exactly one storage version, structural schemas, printer columns, scale paths, conversion.
 * Validates a defaulted copy, so callers need not default first.
 */
import type { FieldError } from '../../errors/status.js';
import { dns1123SubdomainErrors } from '../../machinery/names.js';
import { forbidden, invalid, notSupported, required } from '../schema/errors.js';
import { validateStructuralSchema } from '../schema/structural.js';
import { defaultCRD } from './defaults.js';
import { isSimpleJSONPath } from './jsonpath.js';
import { validateNames } from './names.js';
import type { CRDPrinterColumn, CRDScale, CRDSpec, CRDVersion, CustomResourceDefinition } from './types.js';
import { cloneValue } from '../../machinery/objects.js';

const COLUMN_TYPES = ['boolean', 'date', 'integer', 'number', 'string'];
const COLUMN_FORMATS = ['byte', 'date', 'date-time', 'double', 'float', 'int32', 'int64', 'password'];

export function validateCRD(input: CustomResourceDefinition): FieldError[] {
  const crd = defaultCRD(cloneValue(input));
  const spec = crd.spec ?? {};
  const errs: FieldError[] = [];
  const expectedName = `${spec.names?.plural ?? ''}.${spec.group ?? ''}`;
  if (crd.metadata?.name !== expectedName)
    errs.push(invalid('metadata.name', crd.metadata?.name ?? '', 'must be spec.names.plural+"."+spec.group'));
  errs.push(...validateSpec(spec, 'spec'));
  return errs;
}

/** The spec checks, shared with APIResourceSchema (same group/names/scope/versions shape). */
export function validateSpec(spec: CRDSpec, p: string): FieldError[] {
  const errs: FieldError[] = [];
  validateGroup(spec.group, `${p}.group`, errs);
  errs.push(...validateNames(spec.names, `${p}.names`));
  if (!spec.scope) errs.push(required(`${p}.scope`));
  else if (spec.scope !== 'Cluster' && spec.scope !== 'Namespaced') errs.push(notSupported(`${p}.scope`, spec.scope, ['Cluster', 'Namespaced']));
  validateVersions(spec.versions ?? [], `${p}.versions`, errs);
  validateConversion(spec, `${p}.conversion`, errs);
  return errs;
}

function validateGroup(group: string | undefined, p: string, errs: FieldError[]): void {
  if (!group) { errs.push(required(p)); return; }
  for (const msg of dns1123SubdomainErrors(group)) errs.push(invalid(p, group, msg));
  if (!group.includes('.')) errs.push(invalid(p, group, 'should be a domain with at least one dot'));
}

function validateVersions(versions: CRDVersion[], p: string, errs: FieldError[]): void {
  if (versions.length === 0) { errs.push(required(p, 'must have exactly one version marked as storage version')); return; }
  const storage = versions.filter((v) => v.storage === true).length;
  if (storage !== 1) errs.push(invalid(p, versions, 'must have exactly one version marked as storage version'));
  if (!versions.some((v) => v.served)) errs.push(invalid(p, versions, 'must have at least one version served'));
  const names = versions.map((v) => v.name);
  if (new Set(names).size !== names.length) errs.push(invalid(p, versions, 'must contain unique version names'));
  versions.forEach((v, i) => validateVersion(v, `${p}[${i}]`, errs));
}

function validateVersion(v: CRDVersion, p: string, errs: FieldError[]): void {
  if (!v.name) errs.push(required(`${p}.name`));
  else if (!/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(v.name))
    errs.push(invalid(`${p}.name`, v.name, "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"));
  errs.push(...validateStructuralSchema(v.schema?.openAPIV3Schema, `${p}.schema.openAPIV3Schema`));
  (v.additionalPrinterColumns ?? []).forEach((c, i) => validateColumn(c, `${p}.additionalPrinterColumns[${i}]`, errs));
  if (v.subresources?.scale) validateScale(v.subresources.scale, `${p}.subresources.scale`, errs);
  (v.selectableFields ?? []).forEach((f, i) => {
    const fp = `${p}.selectableFields[${i}].jsonPath`;
    if (!f.jsonPath) errs.push(required(fp));
    else if (!isSimpleJSONPath(f.jsonPath)) errs.push(invalid(fp, f.jsonPath, 'must be a simple json path starting with .'));
  });
  if (v.deprecationWarning !== undefined && !v.deprecated)
    errs.push(invalid(`${p}.deprecationWarning`, v.deprecationWarning, 'can only be set for deprecated versions'));
}

function validateColumn(c: CRDPrinterColumn, p: string, errs: FieldError[]): void {
  if (!c.name) errs.push(required(`${p}.name`));
  if (!c.type) errs.push(required(`${p}.type`));
  else if (!COLUMN_TYPES.includes(c.type)) errs.push(notSupported(`${p}.type`, c.type, COLUMN_TYPES));
  if (c.format && !COLUMN_FORMATS.includes(c.format)) errs.push(notSupported(`${p}.format`, c.format, COLUMN_FORMATS));
  if (c.priority !== undefined && c.priority < 0) errs.push(invalid(`${p}.priority`, c.priority, 'must be greater than or equal to 0'));
  if (!c.jsonPath) errs.push(required(`${p}.jsonPath`));
  else if (!isSimpleJSONPath(c.jsonPath)) errs.push(invalid(`${p}.jsonPath`, c.jsonPath, 'must be a simple json path starting with .'));
}

function validateScale(s: CRDScale, p: string, errs: FieldError[]): void {
  const check = (field: keyof CRDScale, prefixes: string[], msg: string, isRequired: boolean) => {
    const v = s[field];
    const fp = `${p}.${field}`;
    if (!v) { if (isRequired) errs.push(required(fp)); return; }
    if (!isSimpleJSONPath(v) || !prefixes.some((pre) => v.startsWith(pre)) || v.includes('['))
      errs.push(invalid(fp, v, msg));
  };
  check('specReplicasPath', ['.spec.'], 'should be a json path under .spec', true);
  check('statusReplicasPath', ['.status.'], 'should be a json path under .status', true);
  check('labelSelectorPath', ['.spec.', '.status.'], 'should be a json path under either .spec or .status', false);
}

function validateConversion(spec: CRDSpec, p: string, errs: FieldError[]): void {
  const c = spec.conversion;
  if (!c) return;
  if (c.strategy !== 'None' && c.strategy !== 'Webhook') { errs.push(notSupported(`${p}.strategy`, c.strategy, ['None', 'Webhook'])); return; }
  if (c.strategy === 'Webhook' && !c.webhook) errs.push(required(`${p}.webhook`, 'required when strategy is set to Webhook'));
  if (c.strategy === 'None' && c.webhook) errs.push(forbidden(`${p}.webhook`, 'should not be set when strategy is not set to Webhook'));
}

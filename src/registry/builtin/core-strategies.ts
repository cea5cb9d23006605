/**
 * Strategy hooks for core types whose semantics a schema cannot express: namespace phase, config
 * keys, secret stringData folding, per-type secret requirements and `immutable`.
 */
import type { FieldError } from '../../errors/status.js';
import { dns1123LabelErrors } from '../../machinery/names.js';
import type { KubeObject } from '../../storage/types.js';
import { forbidden, invalid, required } from '../schema/errors.js';
import { key } from '../schema/paths.js';
import { deepEqual } from '../schema/values.js';
import type { Strategy } from '../types.js';

export const namespaceStrategy: Strategy = {
  validateName: dns1123LabelErrors,
  // Phase is the server's: Active on create, unchanged by spec updates.
  prepareForCreate(obj) { obj.status = { ...(obj.status ?? {}), phase: 'Active' }; },
  prepareForUpdate(obj, old) { if (!obj.status?.phase) obj.status = old.status ?? { phase: 'Active' }; },
};

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const CONFIG_KEY_MSG = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

/** validation.IsConfigMapKey, with kube's `data[key]` paths. */
function configKeyErrors(map: unknown, field: string): FieldError[] {
  if (!map || typeof map !== 'object') return [];
  const errs: FieldError[] = [];
  for (const k of Object.keys(map)) {
    const p = key(field, k);
    if (k.length > 253) errs.push(invalid(p, k, 'must be no more than 253 characters'));
    if (!CONFIG_KEY.test(k)) errs.push(invalid(p, k, CONFIG_KEY_MSG));
    if (k === '.' || k === '..') errs.push(invalid(p, k, `must not be '${k}'`));
    else if (k.startsWith('..')) errs.push(invalid(p, k, "must not start with '..'"));
  }
  return errs;
}

const IMMUTABLE_MSG = 'field is immutable when `immutable` is set';

/** Once `immutable: true`, data may not change and immutable may not be unset. */
function immutableErrors(obj: KubeObject, old: KubeObject, fields: string[]): FieldError[] {
  if (old.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (obj.immutable !== true) errs.push(forbidden('immutable', IMMUTABLE_MSG));
  for (const f of fields) if (!deepEqual(obj[f] ?? {}, old[f] ?? {})) errs.push(forbidden(f, IMMUTABLE_MSG));
  return errs;
}

/** Schema validation reports a wrong type; these checks only look inside a real map. */
const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export const configMapStrategy: Strategy = {
  validate(obj) {
    const errs = [...configKeyErrors(obj.data, 'data'), ...configKeyErrors(obj.binaryData, 'binaryData')];
    for (const k of Object.keys(obj.binaryData ?? {}))
      if (isMap(obj.data) && k in obj.data) errs.push(invalid(key('binaryData', k), k, 'duplicate of key present in data'));
    return errs;
  },
  validateUpdate(obj, old) { return immutableErrors(obj, old, ['data', 'binaryData']); },
};

/** stringData is write-only: kube folds it into data (base64) before storing. */
function foldStringData(obj: KubeObject): void {
  if (!obj.stringData || typeof obj.stringData !== 'object') { delete obj.stringData; return; }
  obj.data ??= {};
  // a data that is not a map is reported by schema validation; there is nothing to fold into
  if (!isMap(obj.data)) { delete obj.stringData; return; }
  for (const [k, v] of Object.entries(obj.stringData)) obj.data[k] = Buffer.from(String(v), 'utf8').toString('base64');
  delete obj.stringData;
}

/** Keys some secret types require (ValidateSecret). */
const REQUIRED_KEYS: Record<string, string[]> = {
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/dockercfg': ['.dockercfg'],
};

export const secretStrategy: Strategy = {
  // also the type's defaulting, so server-side apply compares a stringData manifest as stored
  defaults: foldStringData,
  prepareForCreate: foldStringData,
  prepareForUpdate: foldStringData,
  validate(obj) {
    const errs = configKeyErrors(obj.data, 'data');
    const type = obj.type ?? 'Opaque';
    for (const k of REQUIRED_KEYS[type] ?? []) if (!isMap(obj.data) || !(k in obj.data)) errs.push(required(key('data', k)));
    if (type === 'kubernetes.io/service-account-token' && !obj.metadata.annotations?.['kubernetes.io/service-account.name'])
      errs.push(required(key('metadata.annotations', 'kubernetes.io/service-account.name')));
    return errs;
  },
  validateUpdate(obj, old) {
    const errs = immutableErrors(obj, old, ['data']);
    if ((obj.type ?? 'Opaque') !== (old.type ?? 'Opaque')) errs.push(invalid('type', obj.type, 'field is immutable'));
    return errs;
  },
};

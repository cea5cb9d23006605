/**
 * Query-parameter parsing for resource requests (ListOptions, CreateOptions, PatchOptions,
 * DeleteOptions), validated with kube's wording.
 */
import { StatusError, badRequest } from '../errors/status.js';
import { parseFieldSelector } from '../machinery/fields.js';
import { parseLabelSelector } from '../machinery/labels.js';
import type { FieldValidation, ListQuery } from '../registry/generic-store.js';

/**
 * A boolean query parameter as kube's parameter codec reads it (Convert_Slice_string_To_bool):
 * absent is false; `0` or `false` in any case is false; anything else — `true`, `True`, `1`, an
 * empty value — is true. Clients rely on this (the Python client sends `watch=True`).
 */
export function boolParam(q: URLSearchParams, name: string): boolean | undefined {
  const v = q.get(name);
  if (v === null) return undefined;
  return !(v === '0' || v.toLowerCase() === 'false');
}

/**
 * An int64 query parameter as Go's strconv.ParseInt reads it; anything else is a 400 worded as
 * kube's (a bad `gracePeriodSeconds` must never fall through to a delete with the default).
 */
export function int64Param(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null) return undefined;
  return parseGoInt64(v, name);
}

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

function parseGoInt64(v: string, name: string): number {
  if (!/^[+-]?\d+$/.test(v)) throw badRequest(`${name}: strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  const big = BigInt(v);
  if (big > INT64_MAX || big < INT64_MIN) throw badRequest(`${name}: strconv.ParseInt: parsing ${JSON.stringify(v)}: value out of range`);
  return Number(big);
}

export function dryRunParam(q: URLSearchParams): boolean {
  const vals = q.getAll('dryRun');
  if (vals.length === 0) return false;
  for (const v of vals) {
    if (v !== 'All') throw invalidOptions('dryRun', v, 'supported values: "All"');
  }
  return true;
}

export function fieldValidationParam(q: URLSearchParams): FieldValidation {
  const v = q.get('fieldValidation');
  if (v === null || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw badRequest(`fieldValidation parameter unsupported: ${v}; supported values: "Ignore", "Warn", "Strict"`);
}

function invalidOptions(field: string, value: string, detail: string): StatusError {
  return new StatusError(422, 'Invalid', `Invalid value: ${JSON.stringify(value)}: ${field}: ${detail}`, {
    causes: [{ reason: 'FieldValueNotSupported', message: `Unsupported value: ${JSON.stringify(value)}: ${detail}`, field }],
  });
}

function listOptionsInvalid(field: string, value: string, detail: string): StatusError {
  const msg = `ListOptions.meta.k8s.io "" is invalid: ${field}: ${value ? `Invalid value: ${JSON.stringify(value)}: ` : 'Forbidden: '}${detail}`;
  return new StatusError(422, 'Invalid', msg, {
    group: 'meta.k8s.io', kind: 'ListOptions',
    causes: [{ reason: value ? 'FieldValueInvalid' : 'FieldValueForbidden', message: detail, field }],
  });
}

export interface ParsedListOptions extends ListQuery {
  watch: boolean;
  allowWatchBookmarks: boolean;
  timeoutSeconds?: number;
  sendInitialEvents?: boolean;
}

export function listParams(q: URLSearchParams): ParsedListOptions {
  const watch = boolParam(q, 'watch') ?? false;
  const rv = q.get('resourceVersion') ?? undefined;
  const rvMatch = q.get('resourceVersionMatch') ?? undefined;
  const cont = q.get('continue') || undefined;
  // a non-positive limit means no limit, as in kube
  let limit = q.get('limit') === '' ? undefined : int64Param(q, 'limit');
  if (limit !== undefined && limit <= 0) limit = undefined;
  if (rv !== undefined && rv !== '' && !/^\d+$/.test(rv)) {
    throw listOptionsInvalid('resourceVersion', rv, 'must be a non-negative integer');
  }
  if (rvMatch !== undefined && rvMatch !== '') {
    if (rvMatch !== 'NotOlderThan' && rvMatch !== 'Exact') {
      throw listOptionsInvalid('resourceVersionMatch', rvMatch, 'supported values: "Exact", "NotOlderThan"');
    }
    if (!rv) throw listOptionsInvalid('resourceVersionMatch', '', 'resourceVersionMatch is forbidden unless resourceVersion is provided');
    if (cont) throw listOptionsInvalid('resourceVersionMatch', '', 'resourceVersionMatch is forbidden when continue is provided');
    if (rvMatch === 'Exact' && rv === '0') throw listOptionsInvalid('resourceVersionMatch', '', 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"');
  }
  const sendInitialEvents = boolParam(q, 'sendInitialEvents');
  if (watch && rvMatch && sendInitialEvents === undefined) {
    throw listOptionsInvalid('resourceVersionMatch', '', 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided');
  }
  if (sendInitialEvents !== undefined && watch && rvMatch !== 'NotOlderThan') {
    throw listOptionsInvalid('resourceVersionMatch', rvMatch ?? '', "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan");
  }
  // zero or less means the server's default, as in kube
  let timeoutSeconds = q.get('timeoutSeconds') === '' ? undefined : int64Param(q, 'timeoutSeconds');
  if (timeoutSeconds !== undefined && timeoutSeconds <= 0) timeoutSeconds = undefined;
  return {
    watch,
    allowWatchBookmarks: boolParam(q, 'allowWatchBookmarks') ?? false,
    timeoutSeconds,
    sendInitialEvents,
    labelSelector: parseLabelSelector(q.get('labelSelector') ?? undefined),
    fieldSelector: parseFieldSelector(q.get('fieldSelector') ?? undefined),
    limit,
    continue: cont,
    resourceVersion: rv || undefined,
    resourceVersionMatch: (rvMatch || undefined) as ListQuery['resourceVersionMatch'],
  };
}

/**
 * Query-parameter parsing for resource requests (ListOptions, CreateOptions, PatchOptions,
 * DeleteOptions), validated with kube's wording.
 */
import { StatusError, badRequest } from '../errors/status.js';
import { parseFieldSelector } from '../machinery/fields.js';
import { parseLabelSelector } from '../machinery/labels.js';
import type { FieldValidation, ListQuery } from '../registry/generic-store.js';

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
  const watch = q.get('watch') === 'true' || q.get('watch') === '1';
  const rv = q.get('resourceVersion') ?? undefined;
  const rvMatch = q.get('resourceVersionMatch') ?? undefined;
  const cont = q.get('continue') || undefined;
  const limitStr = q.get('limit');
  let limit: number | undefined;
  if (limitStr !== null && limitStr !== '') {
    limit = Number(limitStr);
    if (!Number.isInteger(limit) || limit < 0) throw badRequest(`limit: invalid value ${JSON.stringify(limitStr)}: must be a non-negative integer`);
    if (limit === 0) limit = undefined;
  }
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
  const sie = q.get('sendInitialEvents');
  const sendInitialEvents = sie === null ? undefined : sie === 'true';
  if (watch && rvMatch && sendInitialEvents === undefined) {
    throw listOptionsInvalid('resourceVersionMatch', '', 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided');
  }
  if (sendInitialEvents !== undefined && watch && rvMatch !== 'NotOlderThan') {
    throw listOptionsInvalid('resourceVersionMatch', rvMatch ?? '', "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan");
  }
  const ts = q.get('timeoutSeconds');
  let timeoutSeconds: number | undefined;
  if (ts !== null && ts !== '') {
    timeoutSeconds = Number(ts);
    if (!Number.isFinite(timeoutSeconds) || timeoutSeconds < 0) throw badRequest(`timeoutSeconds: invalid value ${JSON.stringify(ts)}`);
  }
  return {
    watch,
    allowWatchBookmarks: q.get('allowWatchBookmarks') === 'true',
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

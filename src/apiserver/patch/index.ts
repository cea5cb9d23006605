/**
 * Patch entry point for the PATCH handler: pick the patch kind from the Content-Type, decode the
 * body (JSON, or YAML/JSON for apply), and apply it. Pure: no I/O, the clock is passed in.
 */
import { decodeBodySync } from '../body.js';
import type { JSONSchemaProps } from '../../registry/types.js';
import type { KubeObject } from '../../storage/types.js';
import { badRequest } from '../../errors/status.js';
import { isObject } from './json-value.js';
import { applyJsonPatch } from './json-patch.js';
import { applyMergePatch } from './merge-patch.js';
import { strategicMergePatch } from './strategic-merge.js';
import { serverSideApply } from './server-side-apply.js';
import type { ManagedFieldsEntry } from './managed-fields.js';
import type { FieldSet } from './field-set.js';
import {
  APPLY_PATCH_CONTENT_TYPE, JSON_PATCH_CONTENT_TYPE, MERGE_PATCH_CONTENT_TYPE,
  STRATEGIC_MERGE_PATCH_CONTENT_TYPE, unsupportedPatchType,
} from './patch-errors.js';

export * from './patch-errors.js';
export { applyJsonPatch, decodeJsonPatch, type JsonPatchOperation } from './json-patch.js';
export { mergePatch, applyMergePatch, createMergePatch } from './merge-patch.js';
export { strategicMergePatch } from './strategic-merge.js';
export {
  FieldSet, toFieldSet, compare, removeItems, STRIPPED_FIELDS, pathString, type FieldPath, type Comparison,
} from './fields.js';
export {
  updateManagedFields, decodeManagedFields, encodeManagedFields, resetFieldsFor, defaultFieldManager,
  type ManagedFieldsEntry, type UpdateManagedFieldsOptions,
} from './managed-fields.js';
export {
  serverSideApply, validatePatchOptions, applyConflictError,
  type ServerSideApplyOptions, type ServerSideApplyResult,
} from './server-side-apply.js';

export type PatchKind = 'json' | 'merge' | 'strategic' | 'apply';

/**
 * The patch kind for a request Content-Type (parameters such as charset are ignored). Anything
 * else — and strategic merge on a resource that is not built in — is 415 listing what is accepted.
 */
export function patchKindFor(contentType: string | undefined, builtin: boolean): PatchKind {
  const mt = (contentType ?? '').split(';')[0].trim().toLowerCase();
  switch (mt) {
    case JSON_PATCH_CONTENT_TYPE: return 'json';
    case MERGE_PATCH_CONTENT_TYPE: return 'merge';
    case STRATEGIC_MERGE_PATCH_CONTENT_TYPE:
      if (builtin) return 'strategic';
      break;
    case APPLY_PATCH_CONTENT_TYPE: return 'apply';
  }
  throw unsupportedPatchType(builtin);
}

/** Decodes a request body: JSON for json/merge/strategic, YAML (a superset of JSON) for apply. */
export function decodePatchBody(kind: PatchKind, body: string | Uint8Array | unknown): unknown {
  if (typeof body !== 'string' && !(body instanceof Uint8Array)) return body;
  const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  if (kind === 'apply') {
    // the request-body decoder: one YAML parser with its bounds (depth, alias expansion, linear
    // duplicate-key check) for every body, rather than a second parser without them
    return decodeBodySync(Buffer.from(text, 'utf8'), 'application/yaml');
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(`error decoding patch: ${(e as Error).message}`);
  }
}

export interface ApplyPatchOptions {
  schema?: JSONSchemaProps;
  /** Whether strategic merge is allowed (built-in types only). */
  builtin: boolean;
  /** For apply: the field manager, force, request apiVersion, subresource, clock, reset fields. */
  manager?: string;
  force?: boolean;
  apiVersion?: string;
  subresource?: string;
  now?: Date;
  resetFields?: FieldSet;
  /** For apply: the type's defaulting (see ServerSideApplyOptions.defaults). */
  defaults?: (obj: KubeObject) => void;
}

export interface ApplyPatchResult {
  object: KubeObject;
  /** Only for apply; other patch kinds get theirs from updateManagedFields after admission. */
  managedFields?: ManagedFieldsEntry[];
}

/**
 * Applies a patch of `kind` to `liveObj` (undefined only for an apply that creates). `body` may be
 * the raw text or the already decoded value.
 */
export function applyPatch(kind: PatchKind, liveObj: KubeObject | undefined, body: unknown, opts: ApplyPatchOptions): ApplyPatchResult {
  const decoded = decodePatchBody(kind, body);
  if (kind === 'apply') {
    if (!isObject(decoded)) throw badRequest('error decoding YAML: the apply patch must be a YAML or JSON object');
    const r = serverSideApply({
      liveObj, appliedObj: decoded as KubeObject, manager: opts.manager ?? '', force: opts.force,
      apiVersion: opts.apiVersion ?? String(decoded.apiVersion ?? ''), subresource: opts.subresource,
      schema: opts.schema, now: opts.now ?? new Date(), resetFields: opts.resetFields, defaults: opts.defaults,
    });
    return { object: r.object, managedFields: r.managedFields };
  }
  if (!liveObj) throw badRequest(`a ${kind} patch needs an existing object`);
  switch (kind) {
    case 'json': return { object: applyJsonPatch(liveObj, decoded) };
    case 'merge': return { object: applyMergePatch(liveObj, decoded) };
    case 'strategic':
      if (!opts.builtin) throw unsupportedPatchType(false);
      return { object: strategicMergePatch(liveObj, decoded, opts.schema) };
  }
}

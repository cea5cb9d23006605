/**
 * DELETE of one object (returns the object while finalizers hold it, a Success Status once gone)
 * and of a collection (returns the list of deleted objects).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest, invalid } from '../../errors/status.js';
import type { DeleteOptions, RequestScope } from '../../registry/generic-store.js';
import type { ResourceDef } from '../../registry/types.js';
import { decodeBody, readBody } from '../body.js';
import type { ApiContext } from '../context.js';
import { boolParam, int64Param, listParams } from '../params.js';
import type { RequestInfo } from '../request-info.js';
import { successStatus, writeJSON } from '../responses.js';

/**
 * DeleteOptions from the body and the query, typed as kube decodes them: a field of the wrong type
 * is a 400 before anything is deleted (kube's decoder fails the same way).
 */
async function deleteOptions(req: IncomingMessage, q: URLSearchParams): Promise<DeleteOptions & { dryRun: boolean }> {
  const body = await decodeBody(await readBody(req), req.headers['content-type'] ?? 'application/json');
  const opts: DeleteOptions & { dryRun: boolean } = { dryRun: false };
  let orphan: boolean | undefined;
  if (body !== undefined) {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest('DeleteOptions must be a JSON object');
    const b = body as Record<string, unknown>;
    if (b.preconditions != null) {
      const p = typed(b.preconditions, 'object', 'preconditions', 'v1.Preconditions') as Record<string, unknown>;
      opts.preconditions = {
        uid: optional(p.uid, 'string', 'preconditions.uid', 'string') as string | undefined,
        resourceVersion: optional(p.resourceVersion, 'string', 'preconditions.resourceVersion', 'string') as string | undefined,
      };
    }
    opts.propagationPolicy = optional(b.propagationPolicy, 'string', 'propagationPolicy', 'v1.DeletionPropagation') as string | undefined;
    const grace = optional(b.gracePeriodSeconds, 'number', 'gracePeriodSeconds', 'int64') as number | undefined;
    if (grace !== undefined && !Number.isInteger(grace)) throw unmarshal('number ' + String(grace), 'gracePeriodSeconds', 'int64');
    if (grace !== undefined) opts.gracePeriodSeconds = grace;
    orphan = optional(b.orphanDependents, 'boolean', 'orphanDependents', 'bool') as boolean | undefined;
    if (b.dryRun != null) {
      const dr = typed(b.dryRun, 'array', 'dryRun', '[]string') as unknown[];
      for (const v of dr) {
        if (typeof v !== 'string') throw unmarshal(jsonKind(v), 'dryRun', 'string');
        if (v !== 'All') throw badRequest(`dryRun: Unsupported value: ${JSON.stringify(v)}: supported values: "All"`);
      }
      if (dr.length) opts.dryRun = true;
    }
  }
  const grace = int64Param(q, 'gracePeriodSeconds');
  if (grace !== undefined) opts.gracePeriodSeconds = grace;
  const pp = q.get('propagationPolicy');
  if (pp) opts.propagationPolicy = pp;
  orphan = boolParam(q, 'orphanDependents') ?? orphan;
  if (orphan !== undefined && opts.propagationPolicy) {
    throw invalid('DeleteOptions', 'meta.k8s.io', '', [{
      type: 'FieldValueInvalid', field: 'propagationPolicy', value: opts.propagationPolicy,
      detail: 'orphanDependents and deletionPropagation cannot be both set',
    }]);
  }
  if (orphan) opts.propagationPolicy = 'Orphan';
  if (opts.propagationPolicy && !['Orphan', 'Background', 'Foreground'].includes(opts.propagationPolicy)) {
    throw badRequest(`propagationPolicy: Unsupported value: "${opts.propagationPolicy}": supported values: "Foreground", "Background", "Orphan"`);
  }
  return opts;
}

function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'object' : typeof v;
}

/** encoding/json's wording for a field of the wrong type. */
function unmarshal(what: string, field: string, goType: string) {
  return badRequest(`json: cannot unmarshal ${what} into Go struct field DeleteOptions.${field} of type ${goType}`);
}

function typed(v: unknown, want: 'object' | 'array' | 'string' | 'number' | 'boolean', field: string, goType: string): unknown {
  if (jsonKind(v) !== want) throw unmarshal(jsonKind(v), field, goType);
  return v;
}

function optional(v: unknown, want: 'string' | 'number' | 'boolean', field: string, goType: string): unknown {
  return v == null ? undefined : typed(v, want, field, goType);
}

export async function handleDelete(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, info: RequestInfo,
  def: ResourceDef, scope: RequestScope, q: URLSearchParams): Promise<void> {
  if (info.subresource) throw badRequest(`DELETE is not supported on the ${info.subresource} subresource`);
  const opts = await deleteOptions(req, q);
  if (opts.dryRun) scope.dryRun = true;
  const out = await ctx.generic.delete(scope, def, info.name, opts);
  if (!out.deleted || def.strategy?.returnDeletedObject) {
    writeJSON(res, 200, out.object, scope.warnings);
    return;
  }
  writeJSON(res, 200, successStatus({ name: info.name, group: def.group, kind: def.resource, uid: out.object.metadata.uid }), scope.warnings);
}

export async function handleDeleteCollection(ctx: ApiContext, req: IncomingMessage, res: ServerResponse,
  def: ResourceDef, scope: RequestScope, q: URLSearchParams): Promise<void> {
  const opts = await deleteOptions(req, q);
  if (opts.dryRun) scope.dryRun = true;
  const items = await ctx.generic.deleteCollection(scope, def, listParams(q), opts);
  writeJSON(res, 200, {
    kind: def.listKind, apiVersion: def.group ? `${def.group}/${def.version}` : def.version,
    metadata: {}, items,
  }, scope.warnings);
}

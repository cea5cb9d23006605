/**
 * DELETE of one object (returns the object while finalizers hold it, a Success Status once gone)
 * and of a collection (returns the list of deleted objects).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest } from '../../errors/status.js';
import type { DeleteOptions, RequestScope } from '../../registry/generic-store.js';
import type { ResourceDef } from '../../registry/types.js';
import { decodeBody, readBody } from '../body.js';
import type { ApiContext } from '../context.js';
import { listParams } from '../params.js';
import type { RequestInfo } from '../request-info.js';
import { successStatus, writeJSON } from '../responses.js';

async function deleteOptions(req: IncomingMessage, q: URLSearchParams): Promise<DeleteOptions & { dryRun: boolean }> {
  const body = decodeBody(await readBody(req), req.headers['content-type'] ?? 'application/json');
  const opts: DeleteOptions & { dryRun: boolean } = { dryRun: false };
  if (body !== undefined) {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest('DeleteOptions must be a JSON object');
    const b = body as Record<string, any>;
    if (b.preconditions) opts.preconditions = { uid: b.preconditions.uid, resourceVersion: b.preconditions.resourceVersion };
    if (b.propagationPolicy) opts.propagationPolicy = b.propagationPolicy;
    if (b.gracePeriodSeconds !== undefined) opts.gracePeriodSeconds = b.gracePeriodSeconds;
    if (Array.isArray(b.dryRun) && b.dryRun.includes('All')) opts.dryRun = true;
  }
  const pp = q.get('propagationPolicy');
  if (pp) opts.propagationPolicy = pp;
  if (opts.propagationPolicy && !['Orphan', 'Background', 'Foreground'].includes(opts.propagationPolicy)) {
    throw badRequest(`propagationPolicy: Unsupported value: "${opts.propagationPolicy}": supported values: "Foreground", "Background", "Orphan"`);
  }
  return opts;
}

export async function handleDelete(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, info: RequestInfo,
  def: ResourceDef, scope: RequestScope, q: URLSearchParams): Promise<void> {
  if (info.subresource) throw badRequest(`DELETE is not supported on the ${info.subresource} subresource`);
  const opts = await deleteOptions(req, q);
  if (opts.dryRun) scope.dryRun = true;
  const out = await ctx.generic.delete(scope, def, info.name, opts);
  if (!out.deleted) {
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

/**
 * GET of one object and LIST of a collection, as JSON or as a Table.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest } from '../../errors/status.js';
import type { RequestScope } from '../../registry/generic-store.js';
import type { ResourceDef } from '../../registry/types.js';
import type { ApiContext } from '../context.js';
import { wantsTable } from '../negotiation.js';
import { listParams } from '../params.js';
import type { RequestInfo } from '../request-info.js';
import { writeJSON } from '../responses.js';
import { toTable, type IncludeObject } from '../table.js';

function includeObject(q: URLSearchParams): IncludeObject {
  const v = q.get('includeObject');
  if (v === 'None' || v === 'Object') return v;
  return 'Metadata';
}

export async function handleGet(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, info: RequestInfo,
  def: ResourceDef, scope: RequestScope, q: URLSearchParams): Promise<void> {
  const table = wantsTable(req.headers.accept);
  const obj = await ctx.generic.get(scope, def, info.name);
  if (info.subresource && info.subresource !== 'status') throw badRequest(`the server does not support the subresource "${info.subresource}"`);
  if (table.table) {
    writeJSON(res, 200, toTable(def, [obj], { include: includeObject(q), tableVersion: table.version, resourceVersion: obj.metadata.resourceVersion }));
    return;
  }
  writeJSON(res, 200, obj);
}

export async function handleList(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, info: RequestInfo,
  def: ResourceDef, scope: RequestScope, q: URLSearchParams): Promise<void> {
  const table = wantsTable(req.headers.accept);
  const opts = listParams(q);
  const result = await ctx.generic.list(scope, def, opts);
  if (table.table) {
    writeJSON(res, 200, toTable(def, result.items, {
      include: includeObject(q), tableVersion: table.version, resourceVersion: result.resourceVersion,
      continue: result.continue, remainingItemCount: result.remainingItemCount,
    }));
    return;
  }
  const metadata: Record<string, unknown> = { resourceVersion: result.resourceVersion };
  if (result.continue) metadata.continue = result.continue;
  if (result.remainingItemCount !== undefined) metadata.remainingItemCount = result.remainingItemCount;
  writeJSON(res, 200, {
    kind: def.listKind,
    apiVersion: def.group ? `${def.group}/${def.version}` : def.version,
    metadata,
    items: result.items,
  });
  void info;
}

/**
 * GET of one object and LIST of a collection, as JSON or as a Table.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest } from '../../errors/status.js';
import type { RequestScope } from '../../registry/generic-store.js';
import type { ResourceDef } from '../../registry/types.js';
import type { RawListResult } from '../../storage/types.js';
import type { ApiContext } from '../context.js';
import { wantsTable } from '../negotiation.js';
import { listParams } from '../params.js';
import type { RequestInfo } from '../request-info.js';
import { writeJSON, writeRaw } from '../responses.js';
import { toTable, type IncludeObject } from '../table.js';

function includeObject(q: URLSearchParams): IncludeObject {
  const v = q.get('includeObject');
  if (v === 'None' || v === 'Object') return v;
  return 'Metadata';
}

export async function handleGet(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, info: RequestInfo,
  def: ResourceDef, scope: RequestScope, q: URLSearchParams): Promise<void> {
  const table = wantsTable(req.headers.accept);
  if (table.table) {
    const obj = await ctx.generic.get(scope, def, info.name);
    checkReadableSubresource(info);
    writeJSON(res, 200, toTable(def, [obj], { include: includeObject(q), tableVersion: table.version, resourceVersion: obj.metadata.resourceVersion }));
    return;
  }
  // plain JSON: the stored text is the response (no parse, no re-serialize)
  const text = await ctx.generic.getRaw(scope, def, info.name);
  checkReadableSubresource(info);
  writeRaw(res, 200, text, 'application/json');
}

/** GET serves the object itself and its /status (the whole object, as kube does). */
function checkReadableSubresource(info: RequestInfo): void {
  if (info.subresource && info.subresource !== 'status') throw badRequest(`the server does not support the subresource "${info.subresource}"`);
}

export async function handleList(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, _info: RequestInfo,
  def: ResourceDef, scope: RequestScope, q: URLSearchParams): Promise<void> {
  const table = wantsTable(req.headers.accept);
  const opts = listParams(q);
  if (table.table) {
    const result = await ctx.generic.list(scope, def, opts);
    writeJSON(res, 200, toTable(def, result.items, {
      include: includeObject(q), tableVersion: table.version, resourceVersion: result.resourceVersion,
      continue: result.continue, remainingItemCount: result.remainingItemCount,
    }));
    return;
  }
  const result = await ctx.generic.listRaw(scope, def, opts);
  writeRaw(res, 200, listText(def, result), 'application/json');
}

/**
 * The list document around items that are already JSON text: the same bytes JSON.stringify of
 * `{kind, apiVersion, metadata, items}` would give, without walking the items again.
 */
function listText(def: ResourceDef, result: RawListResult): string {
  const metadata: Record<string, unknown> = { resourceVersion: result.resourceVersion };
  if (result.continue) metadata.continue = result.continue;
  if (result.remainingItemCount !== undefined) metadata.remainingItemCount = result.remainingItemCount;
  const apiVersion = def.group ? `${def.group}/${def.version}` : def.version;
  return `{"kind":${JSON.stringify(def.listKind)},"apiVersion":${JSON.stringify(apiVersion)},"metadata":${JSON.stringify(metadata)},"items":[${result.items.join(',')}]}`;
}

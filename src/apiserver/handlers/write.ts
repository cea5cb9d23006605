/**
 * CREATE (POST), UPDATE (PUT) and PATCH (json, merge, strategic, server-side apply).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StatusError, badRequest, methodNotAllowed } from '../../errors/status.js';
import type { RequestScope } from '../../registry/generic-store.js';
import type { ResourceDef } from '../../registry/types.js';
import type { KubeObject } from '../../storage/types.js';
import { decodeBody, readBody, requireObject } from '../body.js';
import type { ApiContext } from '../context.js';
import { patchTypeOf } from '../negotiation.js';
import type { RequestInfo } from '../request-info.js';
import { boolParam } from '../params.js';
import { writeJSON } from '../responses.js';

function writeSubresourceOK(info: RequestInfo, def: ResourceDef): void {
  if (info.subresource === '' || info.subresource === 'status') {
    if (info.subresource === 'status' && !def.subresources.status)
      throw new StatusError(404, 'NotFound', `the server could not find the requested resource (${def.resource}/status)`);
    return;
  }
  throw new StatusError(404, 'NotFound', `the server could not find the requested resource (subresource ${info.subresource} of ${def.resource})`);
}

export async function handleCreate(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, info: RequestInfo,
  def: ResourceDef, scope: RequestScope): Promise<void> {
  if (info.name) throw methodNotAllowed(`POST is not supported on a named ${def.resource}; use PUT or PATCH`);
  const body = requireObject(await decodeBody(await readBody(req), req.headers['content-type'])) as KubeObject;
  // the body was decoded for this request alone: the store may write to it instead of a copy
  const created = await ctx.generic.create(scope, def, body, undefined, true);
  writeJSON(res, 201, created, scope.warnings);
}

export async function handleUpdate(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, info: RequestInfo,
  def: ResourceDef, scope: RequestScope): Promise<void> {
  writeSubresourceOK(info, def);
  const body = requireObject(await decodeBody(await readBody(req), req.headers['content-type'])) as KubeObject;
  const updated = await ctx.generic.update(scope, def, info.name, body, info.subresource);
  writeJSON(res, 200, updated, scope.warnings);
}

export async function handlePatch(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, info: RequestInfo,
  def: ResourceDef, scope: RequestScope, q: URLSearchParams): Promise<void> {
  writeSubresourceOK(info, def);
  const type = patchTypeOf(req.headers['content-type'], def.builtin);
  const raw = await readBody(req);
  const force = q.get('force');
  if (type !== 'apply' && force !== null) {
    throw new StatusError(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch', {
      group: 'meta.k8s.io', kind: 'PatchOptions', causes: [{ reason: 'FieldValueForbidden', message: 'Forbidden: may not be specified for non-apply patch', field: 'force' }],
    });
  }
  if (type === 'apply') {
    if (!scope.fieldManager) {
      throw new StatusError(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch', {
        group: 'meta.k8s.io', kind: 'PatchOptions', causes: [{ reason: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager' }],
      });
    }
    const applied = requireObject(await decodeBody(raw, 'application/yaml'), 'the apply configuration') as KubeObject;
    const manager = scope.fieldManager;
    const forced = boolParam(q, 'force') ?? false;
    const now = new Date();
    const { object, created } = await ctx.generic.patch(scope, def, info.name, info.subresource, async (live) => ({
      object: ctx.patcher.apply(def, live, applied, manager, forced, now),
      managedFieldsSet: true,
    }), { allowCreate: true });
    writeJSON(res, created ? 201 : 200, object, scope.warnings);
    return;
  }
  if (raw.length === 0) throw badRequest('the request body of a patch may not be empty');
  const { object } = await ctx.generic.patch(scope, def, info.name, info.subresource, async (live) => {
    if (!live) throw badRequest('cannot patch an object that does not exist');
    return { object: ctx.patcher.patch(type, def, live, raw) };
  }, { allowCreate: false });
  writeJSON(res, 200, object, scope.warnings);
}

/**
 * The `/scale` subresource on the wire: GET, PUT (a Scale body, JSON or protobuf) and PATCH
 * (json, merge and strategic patches applied to the current Scale, as `kubectl scale` sends a
 * merge patch `{"spec":{"replicas":N}}`). What a Scale means lives in registry/scale.ts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest, methodNotAllowed, unsupportedMediaType } from '../../errors/status.js';
import type { RequestScope } from '../../registry/generic-store.js';
import { readScale, writeScale, type Scale } from '../../registry/scale.js';
import type { ResourceDef } from '../../registry/types.js';
import type { KubeObject } from '../../storage/types.js';
import { decodeBody, readBody, requireObject } from '../body.js';
import type { ApiContext } from '../context.js';
import { patchTypeOf } from '../negotiation.js';
import type { RequestInfo } from '../request-info.js';
import { writeJSON } from '../responses.js';

/** What the patcher needs to know about Scale: a built-in kind (strategic merge allowed), no schema. */
function scaleDef(parent: ResourceDef): ResourceDef {
  return {
    group: 'autoscaling', version: 'v1', resource: parent.resource, kind: 'Scale', listKind: '', singular: '',
    namespaced: parent.namespaced, verbs: ['get', 'patch', 'update'], subresources: {}, printerColumns: [],
    builtin: true, source: 'subresource:scale',
  };
}

export async function handleScale(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, info: RequestInfo,
  def: ResourceDef, scope: RequestScope): Promise<void> {
  switch (info.verb) {
    case 'get':
      writeJSON(res, 200, await readScale(ctx.generic, scope, def, info.name));
      return;
    case 'update': {
      const body = requireObject(await decodeBody(await readBody(req), req.headers['content-type']));
      writeJSON(res, 200, await writeScale(ctx.generic, scope, def, info.name, () => body), scope.warnings);
      return;
    }
    case 'patch': {
      const type = patchTypeOf(req.headers['content-type'], true);
      if (type === 'apply') {
        throw unsupportedMediaType('server-side apply is not supported on the scale subresource; use a merge or json patch (kubectl scale) or PUT');
      }
      const raw = await readBody(req);
      if (raw.length === 0) throw badRequest('the request body of a patch may not be empty');
      const sdef = scaleDef(def);
      const patch = (current: Scale) => ctx.patcher.patch(type, sdef, current as unknown as KubeObject, raw);
      writeJSON(res, 200, await writeScale(ctx.generic, scope, def, info.name, patch), scope.warnings);
      return;
    }
    default:
      throw methodNotAllowed(`the scale subresource supports get, update and patch, not ${info.verb}`);
  }
}

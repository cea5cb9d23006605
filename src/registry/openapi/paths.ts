/**
 * The path items of one ResourceDef: collection, item, /status and /scale, each operation carrying
 * `x-kubernetes-action` and `x-kubernetes-group-version-kind` (an object), as kube publishes them.
 */
import type { ResourceDef } from '../types.js';
import { DELETE_OPTIONS, PATCH, SCALE, STATUS, componentName, operationId, ref, tagOf } from './names.js';
import { deleteParams, listParams, patchParams, pathName, pathNamespace, pretty, writeParams } from './parameters.js';

const CR_PATCH_TYPES = ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json'];
/** Only compiled-in types accept strategic merge patch; kubectl picks SMP when it is listed. */
const BUILTIN_PATCH_TYPES = [...CR_PATCH_TYPES, 'application/strategic-merge-patch+json'];

type Op = Record<string, unknown>;
type PathItem = Record<string, unknown>;

const json = (schema: object) => ({ 'application/json': { schema }, 'application/yaml': { schema } });
const response = (description: string, schema: object) => ({ description, content: json(schema) });

export function pathsForDef(def: ResourceDef): Record<string, PathItem> {
  const prefix = def.group ? `/apis/${def.group}/${def.version}` : `/api/${def.version}`;
  const gvk = { group: def.group, version: def.version, kind: def.kind };
  const kindRef = ref(componentName(gvk, def.builtin));
  const listRef = ref(componentName({ ...gvk, kind: def.listKind }, def.builtin));
  const tags = [tagOf(def.group, def.version)];
  const ns = def.namespaced;
  const base = ns ? `${prefix}/namespaces/{namespace}/${def.resource}` : `${prefix}/${def.resource}`;
  const scopeParams = ns ? [pathNamespace, pretty] : [pretty];
  const patchTypes = def.builtin ? BUILTIN_PATCH_TYPES : CR_PATCH_TYPES;

  const op = (verb: string, action: string, description: string, extra: Op, opts: { suffix?: string; allNamespaces?: boolean; kindOverride?: object } = {}): Op => ({
    tags, description,
    operationId: operationId(verb, def.group, def.version, def.kind, { namespaced: ns, ...opts }),
    ...extra,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': opts.kindOverride ?? gvk,
  });
  const itemOps = (suffix: string, what: string, objRef: object, kindOverride?: object): PathItem => ({
    get: op('read', 'get', `read ${what} of the specified ${def.kind}`, { responses: { 200: response('OK', objRef), 401: { description: 'Unauthorized' } } }, { suffix, kindOverride }),
    put: op('replace', 'put', `replace ${what} of the specified ${def.kind}`, {
      parameters: writeParams, requestBody: { content: json(objRef), required: true },
      responses: { 200: response('OK', objRef), 201: response('Created', objRef), 401: { description: 'Unauthorized' } },
    }, { suffix, kindOverride }),
    patch: op('patch', 'patch', `partially update ${what} of the specified ${def.kind}`, {
      parameters: patchParams,
      requestBody: { content: Object.fromEntries(patchTypes.map((t) => [t, { schema: ref(PATCH) }])), required: true },
      responses: { 200: response('OK', objRef), 201: response('Created', objRef), 401: { description: 'Unauthorized' } },
    }, { suffix, kindOverride }),
    parameters: [pathName, ...scopeParams],
  });

  const paths: Record<string, PathItem> = {};
  paths[base] = {
    get: op('list', 'list', `list or watch objects of kind ${def.kind}`, { parameters: listParams, responses: { 200: response('OK', listRef), 401: { description: 'Unauthorized' } } }),
    post: op('create', 'post', `create a ${def.kind}`, {
      parameters: writeParams, requestBody: { content: json(kindRef), required: true },
      responses: { 200: response('OK', kindRef), 201: response('Created', kindRef), 202: response('Accepted', kindRef), 401: { description: 'Unauthorized' } },
    }),
    delete: op('deleteCollection', 'deletecollection', `delete collection of ${def.kind}`, {
      parameters: [...deleteParams, ...listParams], requestBody: { content: json(ref(DELETE_OPTIONS)) },
      responses: { 200: response('OK', ref(STATUS)), 401: { description: 'Unauthorized' } },
    }),
    parameters: scopeParams,
  };
  // create-only kinds (access reviews) have no stored objects to read, list or change
  if (def.verbs.length === 1 && def.verbs[0] === 'create') {
    paths[base] = { post: paths[base].post, parameters: scopeParams };
    return paths;
  }
  const item = itemOps('', 'the', kindRef);
  item.delete = op('delete', 'delete', `delete a ${def.kind}`, {
    parameters: deleteParams, requestBody: { content: json(ref(DELETE_OPTIONS)) },
    responses: { 200: response('OK', ref(STATUS)), 202: response('Accepted', ref(STATUS)), 401: { description: 'Unauthorized' } },
  });
  paths[`${base}/{name}`] = item;
  if (def.subresources.status) paths[`${base}/{name}/status`] = itemOps('Status', 'status', kindRef);
  if (def.subresources.scale)
    paths[`${base}/{name}/scale`] = itemOps('Scale', 'scale', ref(SCALE), { group: 'autoscaling', version: 'v1', kind: 'Scale' });
  if (ns) {
    paths[`${prefix}/${def.resource}`] = {
      get: op('list', 'list', `list or watch objects of kind ${def.kind}`, { parameters: listParams, responses: { 200: response('OK', listRef), 401: { description: 'Unauthorized' } } }, { allNamespaces: true }),
      parameters: [pretty],
    };
  }
  return paths;
}

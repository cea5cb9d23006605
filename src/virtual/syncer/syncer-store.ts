/**
 * The generic store as one physical cluster's syncer sees it (DESIGN.md §5):
 * - reads show only objects labelled `state.tmc.kcp.io/<key>: Sync`;
 * - a status write (PUT/PATCH …/status) becomes the annotation `status.tmc.kcp.io/<key>` (that
 *   cluster's status as JSON) on the upstream object; `.status` is left to aggregation, so the
 *   write is a metadata write on the main resource. The patch is applied to the cluster's own
 *   status (read back from the annotation), not to the aggregate;
 * - other writes may only add or remove the syncer's finalizer `tmc.kcp.io/syncer-<key>`;
 *   create and delete are refused.
 */
import { StatusError, forbidden, notFound } from '../../errors/status.js';
import { deepCopy, deepEqual } from '../../machinery/objects.js';
import { checkTypeMeta, type GenericStore, type PatchProducer, type RequestScope } from '../../registry/generic-store.js';
import type { ResourceDef } from '../../registry/types.js';
import type { KubeObject } from '../../storage/types.js';
import { stateLabel, statusAnnotation, syncerFinalizer } from '../../apis/contract.js';
import { filteredStore } from '../view-store.js';
import { stringifyJSON } from '../../machinery/json-text.js';

const qualified = (def: ResourceDef) => (def.group ? `${def.resource}.${def.group}` : def.resource);

/** The object with `.status` replaced by this cluster's status from the annotation (absent → none). */
export function clusterStatusView(obj: KubeObject, key: string): KubeObject {
  const out = deepCopy(obj);
  const raw = obj.metadata.annotations?.[statusAnnotation(key)];
  delete out.status;
  if (raw) {
    try { out.status = JSON.parse(raw); } catch { /* a corrupt annotation reads as no status; the next write replaces it */ }
  }
  return out;
}

/** What a syncer may change outside status: its own finalizer and nothing else. */
function checkFinalizerOnly(def: ResourceDef, name: string, live: KubeObject, next: KubeObject, key: string): void {
  const mine = syncerFinalizer(key);
  const before = new Set(live.metadata.finalizers ?? []);
  const after = new Set(next.metadata.finalizers ?? []);
  const changed = [...after].filter((f) => !before.has(f)).concat([...before].filter((f) => !after.has(f)));
  const strip = (o: KubeObject) => {
    const c = deepCopy(o);
    delete c.metadata.resourceVersion;
    delete c.metadata.managedFields;
    delete c.metadata.finalizers;
    // status is never written by a main-resource update; ignore it rather than refuse
    if (def.subresources.status) delete c.status;
    return c;
  };
  const others = changed.filter((f) => f !== mine);
  if (others.length === 0 && deepEqual(strip(live), strip(next))) return;
  const what = others.length ? `finalizers ${others.map((f) => `"${f}"`).join(', ')}` : 'fields other than metadata.finalizers';
  throw forbidden(def, name, `the syncer virtual workspace only allows adding or removing the finalizer "${mine}" and writing status; this request changes ${what}`);
}

export function syncerStore(inner: GenericStore, key: string): GenericStore {
  const label = stateLabel(key);
  const visible = (o: KubeObject | undefined): o is KubeObject => o !== undefined && o.metadata.labels?.[label] === 'Sync';
  const view = filteredStore(inner, { filter: () => visible });
  const refuse = (verb: string, def: ResourceDef, name: string) =>
    forbidden(def, name, `the syncer virtual workspace does not allow ${verb} of ${qualified(def)}; a syncer writes status and its finalizer only`);

  view.create = async (_scope, def, body) => { throw refuse('create', def, body?.metadata?.name ?? ''); };
  view.delete = async (_scope, def, name) => { throw refuse('delete', def, name); };
  view.deleteCollection = async (_scope, def) => { throw refuse('delete', def, ''); };

  view.patch = async (scope: RequestScope, def: ResourceDef, name: string, subresource: string, producer: PatchProducer) => {
    if (subresource !== '' && subresource !== 'status') {
      throw new StatusError(404, 'NotFound', `the server could not find the requested resource (subresource ${subresource} of ${def.resource})`);
    }
    // both cases write the main resource: the status annotation is metadata
    return inner.patch(scope, def, name, '', async (live) => {
      if (!visible(live)) throw notFound(def, name);
      if (subresource === 'status') {
        const { object } = await producer(clusterStatusView(live, key));
        checkTypeMeta(def, object);
        const next = deepCopy(live);
        next.metadata.annotations = { ...(next.metadata.annotations ?? {}), [statusAnnotation(key)]: stringifyJSON(object.status ?? {}) };
        // keep the writer's optimistic concurrency: a stale resourceVersion is still a 409
        if (object.metadata?.resourceVersion) next.metadata.resourceVersion = object.metadata.resourceVersion;
        return { object: next };
      }
      const produced = await producer(deepCopy(live));
      checkTypeMeta(def, produced.object);
      checkFinalizerOnly(def, name, live, produced.object, key);
      return produced;
    }, { allowCreate: false });
  };

  view.update = async (scope, def, name, body, subresource) => {
    const { object } = await view.patch(scope, def, name, subresource, async () => ({ object: deepCopy(body) }), { allowCreate: false });
    return object;
  };

  return view;
}

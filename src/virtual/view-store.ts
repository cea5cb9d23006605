/**
 * A filtered view of the generic store: the same write and read semantics (the apiserver's
 * handlers call it exactly as they call the real store), with an extra object filter on every
 * get/list/watch and a hook that may refuse or reshape writes.
 *
 * It is built as an object whose prototype is the real GenericStore, so every method a view does
 * not override (and every internal `this.…` call, e.g. deleteCollection → list) behaves exactly
 * as the real store does — including admission, schema rules and managed fields, which are
 * private to the instance and so cannot be re-created by a subclass.
 */
import { notFound } from '../errors/status.js';
import type { GenericStore, ListQuery, RequestScope } from '../registry/generic-store.js';
import { storageResource, type ResourceDef } from '../registry/types.js';
import type { KeyPrefix, ListResult, ObjectFilter, WatchHandlers, Watcher } from '../storage/types.js';

export interface ViewRules {
  /** Which objects of `def` the view shows to a request in `scope` (combined with its selectors). */
  filter(def: ResourceDef, scope: RequestScope): ObjectFilter;
  /** Called before every write (create, update, patch, delete); throws to refuse it. */
  checkWrite?(def: ResourceDef, scope: RequestScope): void;
}

function and(a: ObjectFilter | undefined, b: ObjectFilter): ObjectFilter {
  return a ? (o) => b(o) && a(o) : b;
}

/** The key prefix the real store would use (its `prefix` is private; this mirrors it). */
function prefixOf(scope: RequestScope, def: ResourceDef, q: ListQuery): KeyPrefix {
  const p: KeyPrefix = { cluster: scope.cluster, resource: storageResource(def) };
  if (def.namespaced && scope.namespace) p.namespace = scope.namespace;
  const name = q.fieldSelector.requiredValue('metadata.name');
  if (name !== undefined) p.name = name;
  return p;
}

/**
 * Returns a GenericStore whose reads only see what `rules.filter` admits. Writes keep the real
 * store's semantics; `checkWrite` may refuse some, and views that reshape writes override them
 * on the returned object (see syncer/syncer-store.ts).
 */
export function filteredStore(inner: GenericStore, rules: ViewRules): GenericStore {
  const view = Object.create(inner) as GenericStore;

  view.get = async (scope, def, name) => {
    const obj = await inner.get(scope, def, name);
    // an object outside the view does not exist for it: the same 404 as a missing one
    if (!rules.filter(def, scope)(obj)) throw notFound(def, name);
    return obj;
  };

  view.list = async (scope: RequestScope, def: ResourceDef, q: ListQuery): Promise<ListResult> => {
    const filter = and(inner.compileFilter(def, q), rules.filter(def, scope));
    return inner.store.list(prefixOf(scope, def, q), {
      filter, limit: q.limit, continue: q.continue,
      resourceVersion: q.resourceVersion, resourceVersionMatch: q.resourceVersionMatch,
    });
  };

  // the store's filtered watch turns "left the filter" into DELETED and "entered it" into ADDED
  view.watch = (scope: RequestScope, def: ResourceDef, q: ListQuery, resourceVersion: string | undefined, handlers: WatchHandlers): Watcher => {
    const filter = and(inner.compileFilter(def, q), rules.filter(def, scope));
    return inner.store.watch(prefixOf(scope, def, q), { filter, resourceVersion }, handlers);
  };

  const check = rules.checkWrite;
  if (check) {
    // `.call(view, …)` keeps internal calls (patch → create for apply) on the view
    view.create = (scope, def, body, preset) => { check(def, scope); return inner.create.call(view, scope, def, body, preset); };
    view.update = (scope, def, name, body, sub) => { check(def, scope); return inner.update.call(view, scope, def, name, body, sub); };
    view.patch = (scope, def, name, sub, producer, opts) => { check(def, scope); return inner.patch.call(view, scope, def, name, sub, producer, opts); };
    view.delete = (scope, def, name, opts) => { check(def, scope); return inner.delete.call(view, scope, def, name, opts); };
    view.deleteCollection = (scope, def, q, opts) => { check(def, scope); return inner.deleteCollection.call(view, scope, def, q, opts); };
  }
  return view;
}

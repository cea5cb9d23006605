/**
 * The Workspace resource's behaviour, as kcp's workspace admission and controllers give it:
 * - a typeless Workspace gets its parent type's `defaultChildWorkspaceType` (`root:universal` when
 *   the parent type names none); a type named without a path is looked up in this workspace and its
 *   ancestors; the type must exist and the parent and child types must allow each other;
 * - `spec.URL` (this server + `/clusters/<path>`, what `kubectl ws` follows) and `spec.cluster` (the
 *   logical cluster's generated name; immutable) are set by the system, as is the phase, mirrored in the label
 *   `tenancy.kcp.io/phase`;
 * - the finalizer `core.kcp.io/logicalcluster` holds a deleted Workspace until its logical cluster
 *   and everything in it are gone (workspace-lifecycle.ts), so `kubectl delete ws` returns when done.
 * The logical cluster exists as soon as the Workspace does, so it is Ready at once, unless its type
 * (or a type it extends) has `initializer: true`: then it starts `Initializing` with those
 * initializers in `status.initializers`, until they are removed from its LogicalCluster
 * (workspace-lifecycle.ts moves it on).
 */
import { rfc3339 } from '../apis/time.js';
import type { FieldError } from '../errors/status.js';
import { dns1123LabelErrors } from '../machinery/names.js';
import { forbidden, invalid } from '../registry/schema/errors.js';
import type { KubeObject } from '../storage/types.js';
import type { Strategy, StrategyContext } from '../registry/types.js';
import { homeClusterName, newLogicalClusterName } from './logical-clusters.js';
import { refString, type TypeRef, type WorkspaceTypes } from './workspaces/workspace-types.js';

export const PHASE_LABEL = 'tenancy.kcp.io/phase';
/** kcp's Workspace condition saying whether every initializer is done. */
export const WORKSPACE_INITIALIZED = 'WorkspaceInitialized';
export const WORKSPACE_FINALIZER = 'core.kcp.io/logicalcluster';
/** The parent of home workspaces (`user:<name>`): not a workspace itself, written only by the server. */
export const HOME_PARENT = 'user';
const DEFAULT_CHILD: Required<TypeRef> = { name: 'universal', path: 'root' };

export interface WorkspaceStrategyDeps {
  externalURL: () => string;
  types?: WorkspaceTypes;
  /** The Workspace object that created a logical cluster (undefined for root). */
  workspaceOf?: (cluster: string) => KubeObject | undefined;
}

/** The logical cluster name of a workspace path, from the Workspace that made it (root's is root). */
export function clusterNameOf(path: string, workspaceOf?: (cluster: string) => KubeObject | undefined): string {
  const name = path === 'root' ? path : workspaceOf?.(path)?.spec?.cluster;
  return typeof name === 'string' && name ? name : path;
}

/** The conditions of a workspace waiting for initializers, or of one that is Ready. */
export function initializationConditions(initializers: string[], now: string): Array<Record<string, string>> {
  if (!initializers.length) {
    return [{ type: 'Ready', status: 'True', lastTransitionTime: now }, { type: WORKSPACE_INITIALIZED, status: 'True', lastTransitionTime: now }];
  }
  const message = `Initializers still exist: [${initializers.join(' ')}]`;
  return [
    { type: 'Ready', status: 'False', reason: 'Initializing', message, lastTransitionTime: now },
    { type: WORKSPACE_INITIALIZED, status: 'False', reason: 'InitializerExists', message, lastTransitionTime: now },
  ];
}

export function workspaceStrategy(d: WorkspaceStrategyDeps): Strategy {
  const parentType = (cluster: string): Required<TypeRef> => {
    if (cluster === 'root') return { name: 'root', path: 'root' };
    const t = d.workspaceOf?.(cluster)?.spec?.type as TypeRef | undefined;
    return t?.name ? { name: t.name, path: t.path ?? 'root' } : DEFAULT_CHILD;
  };
  // kcp names an initializer after the type's logical cluster name (root's is root)
  const clusterName = (path: string) => clusterNameOf(path, d.workspaceOf);
  const setPhase = (obj: KubeObject, phase: string) => {
    obj.status = { ...(obj.status ?? {}), phase };
    obj.metadata.labels = { ...(obj.metadata.labels ?? {}), [PHASE_LABEL]: phase };
  };
  return {
    validateName: (name) => dns1123LabelErrors(name),
    prepareForCreate(obj: KubeObject, ctx: StrategyContext) {
      obj.spec ??= {};
      const type = obj.spec.type as TypeRef | undefined;
      if (!type?.name) {
        const pt = parentType(ctx.cluster);
        const def = d.types?.get(pt.path, pt.name)?.defaultChildWorkspaceType;
        obj.spec.type = def ? { name: def.name, path: def.path ?? pt.path } : { ...DEFAULT_CHILD };
      } else if (!type.path) {
        const found = d.types?.findPath(ctx.cluster, type.name);
        if (found) obj.spec.type = { name: type.name, path: found };
      }
      const path = `${ctx.cluster}:${obj.metadata.name}`;
      // a client's value is not taken: a name must be new, or it would alias another workspace's.
      // A home (only the server writes in HOME_PARENT) is named from its user, as kcp names it.
      obj.spec.cluster = ctx.cluster === HOME_PARENT ? homeClusterName(obj.metadata.name!) : newLogicalClusterName();
      obj.spec.URL = `${d.externalURL()}/clusters/${path}`;
      const typeRef = obj.spec.type as TypeRef;
      const initializers = typeRef?.path && d.types ? d.types.initializers({ name: typeRef.name, path: typeRef.path }, clusterName) : [];
      obj.status = { url: obj.spec.URL, ...(initializers.length ? { initializers } : {}), conditions: initializationConditions(initializers, rfc3339()) };
      setPhase(obj, initializers.length ? 'Initializing' : 'Ready');
      const finalizers = obj.metadata.finalizers ?? [];
      if (!finalizers.includes(WORKSPACE_FINALIZER)) obj.metadata.finalizers = [...finalizers, WORKSPACE_FINALIZER];
      const extra = d.types?.get((obj.spec.type as Required<TypeRef>).path, (obj.spec.type as TypeRef).name)?.additionalWorkspaceLabels;
      if (extra) obj.metadata.labels = { ...extra, ...obj.metadata.labels };
    },
    prepareForUpdate(obj: KubeObject, old: KubeObject) {
      // system-set fields a client's PUT or apply may leave out are kept, not cleared
      obj.spec ??= {};
      for (const f of ['cluster', 'URL', 'type']) if (obj.spec[f] === undefined && old.spec?.[f] !== undefined) obj.spec[f] = old.spec[f];
      const phase = (obj.status?.phase ?? old.status?.phase) as string | undefined;
      if (phase) setPhase(obj, phase);
    },
    validate(obj: KubeObject, ctx: StrategyContext): FieldError[] {
      const type = obj.spec?.type as TypeRef | undefined;
      if (!d.types || !type?.name) return [];
      if (!type.path) return [invalid('spec.type', type.name, `workspace type "${type.name}" not found in ${ctx.cluster} or its parents`)];
      if (!d.types.get(type.path, type.name)) return [invalid('spec.type', refString(type), `workspace type ${refString(type)} not found`)];
      if (ctx.cluster === HOME_PARENT) return [];
      const why = d.types.nestingError(parentType(ctx.cluster), { name: type.name, path: type.path });
      return why ? [invalid('spec.type', refString(type), why)] : [];
    },
    validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
      const errs: FieldError[] = [];
      if (old.spec?.cluster !== undefined && obj.spec?.cluster !== old.spec.cluster) errs.push(invalid('spec.cluster', obj.spec?.cluster, 'field is immutable'));
      const type = obj.spec?.type as TypeRef | undefined;
      if (old.spec?.type && (type?.name !== old.spec.type.name || type?.path !== old.spec.type.path)) errs.push(invalid('spec.type', type ? refString(type) : '', 'field is immutable'));
      if (old.spec?.URL !== undefined && obj.spec?.URL !== old.spec.URL) errs.push(forbidden('spec.URL', 'is set by the system'));
      return errs;
    },
    prepareForDelete(obj: KubeObject) {
      setPhase(obj, 'Terminating');
    },
  };
}

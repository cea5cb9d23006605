/**
 * Resolves a binding's param objects (paramKind + paramRef name/namespace/selector) from the store
 * of the request's workspace. A configuration problem is returned as a message, not thrown: the
 * policy's failurePolicy decides what it means.
 */
import { labelSelectorFromSpec } from '../../machinery/labels.js';
import { storageResource, type ResourceDef } from '../../registry/types.js';
import type { KubeObject, Store } from '../../storage/types.js';
import type { CompiledPolicy, LabelSelectorSpecLike } from './compile.js';

export type KindResolver = (cluster: string, group: string, kind: string) => ResourceDef | undefined;

export interface ParamRef { name?: string; namespace?: string; selector?: LabelSelectorSpecLike; parameterNotFoundAction?: string }

export type ParamResult =
  | { params: Array<KubeObject | null> }
  | { allow: true }
  | { configError: string };

export async function resolveParams(store: Store, resolveKind: KindResolver, policy: CompiledPolicy,
  ref: ParamRef | undefined, cluster: string, requestNamespace: string): Promise<ParamResult> {
  const pk = policy.paramKind;
  if (!pk?.kind) return { params: [null] };
  if (!ref) return { configError: `policy ${policy.name} has paramKind but its binding has no paramRef` };
  const apiVersion = pk.apiVersion ?? 'v1';
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  const def = resolveKind(cluster, group, pk.kind);
  if (!def) return { configError: `failed to find resource referenced by paramKind: '${apiVersion}, Kind=${pk.kind}'` };
  const namespace = def.namespaced ? (ref.namespace || requestNamespace) : '';
  if (def.namespaced && !namespace)
    return { configError: 'cannot use namespaced paramRef in policy binding that matches cluster-scoped resources' };
  const resource = storageResource(def);
  let found: KubeObject[];
  if (ref.name) {
    const o = await store.get({ cluster, resource, namespace, name: ref.name });
    found = o ? [o] : [];
  } else {
    const sel = labelSelectorFromSpec(ref.selector ?? {});
    const res = await store.list({ cluster, resource, ...(namespace ? { namespace } : {}) }, { filter: (o) => sel.matches(o.metadata.labels) });
    found = res.items;
  }
  if (found.length) return { params: found };
  if (ref.parameterNotFoundAction === 'Allow') return { allow: true };
  return { configError: 'no params found for policy binding with `Deny` parameterNotFoundAction' };
}

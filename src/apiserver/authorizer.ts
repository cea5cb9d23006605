/**
 * Request authorization: kube RBAC evaluated per logical cluster over the Role/ClusterRole and
 * binding objects stored in that workspace. `system:masters` is always allowed (as kube). The
 * RBAC objects come from the server's shared store informers (indexed by cluster) and each
 * cluster's evaluation index is cached until one of its roles or bindings changes, so a grant or a
 * revocation takes effect on the next request. The informers' recovery rules carry that through a
 * closed or expired watch: a binding deleted meanwhile arrives as a delete after the relist. A service
 * account is evaluated as itself only in the workspace that issued its token
 * (security/workspace-subject.ts).
 */
import { RBACAuthorizer, type Decision } from '../security/rbac.js';
import { forbiddenError } from '../security/forbidden.js';
import type { Attributes, PolicyRule, RBACObjects } from '../security/rbac-rules.js';
import { GROUP_MASTERS } from '../security/user.js';
import { CLUSTER_NAME_EXTRA } from '../security/service-account-tokens.js';
import { subjectInWorkspace } from '../security/workspace-subject.js';
import type { UserInfo } from '../registry/hooks.js';
import type { StoreInformers } from '../storage/informers.js';
import type { KubeObject } from '../storage/types.js';
import type { Authorizer } from './context.js';
import type { RequestInfo } from './request-info.js';

const RBAC_RESOURCES = {
  roles: 'rbac.authorization.k8s.io/roles',
  clusterRoles: 'rbac.authorization.k8s.io/clusterroles',
  roleBindings: 'rbac.authorization.k8s.io/rolebindings',
  clusterRoleBindings: 'rbac.authorization.k8s.io/clusterrolebindings',
} as const;

export interface RBACWiring {
  authorize: Authorizer;
  /** Whether RBAC allows `user` a request described by attributes (for checks outside a request path: virtual workspaces). */
  allows(user: UserInfo, a: Omit<Attributes, 'user' | 'groups'>): Promise<boolean>;
  /** Resolves once every RBAC informer has listed. */
  start(): Promise<void>;
  /** The decision and its reason, for access reviews (the same evaluation requests get). */
  review(user: UserInfo, a: Omit<Attributes, 'user' | 'groups'>): Promise<Decision>;
  /** The rules `user` holds in a namespace of a cluster, for SelfSubjectRulesReview. */
  rules(user: UserInfo, cluster: string, namespace: string): Promise<PolicyRule[]>;
  stop(): void;
}

const BY_CLUSTER = 'cluster';

/** Logical cluster names and paths (server mode); without it a cluster's name is its path. */
export interface ClusterNames {
  nameOf(path: string): string;
  resolve(nameOrPath: string): string;
}

export function rbacAuthorizer(informers: StoreInformers, clusters?: ClusterNames): RBACWiring {
  const nameOf = (path: string) => clusters?.nameOf(path) ?? path;
  const pathOf = (x: string) => clusters?.resolve(x) ?? x;
  const sources = Object.entries(RBAC_RESOURCES).map(([field, resource]) => ({ field, informer: informers.informer(resource) }));
  for (const { informer } of sources) informer.addIndex(BY_CLUSTER, (o) => [informers.clusterOf(o)]);
  const listRBAC = (cluster: string): RBACObjects => {
    const out: Record<string, KubeObject[]> = {};
    for (const { field, informer } of sources) out[field] = informer.byIndex(BY_CLUSTER, cluster);
    return out as unknown as RBACObjects;
  };
  const rbac = new RBACAuthorizer({ listRBAC, ttlMs: 0 });
  const invalidate = (o: KubeObject) => rbac.invalidate(informers.clusterOf(o));
  const unregister: Array<() => void> = [];
  const start = async () => {
    for (const { informer } of sources) {
      unregister.push(informer.addEventHandler({ onAdd: invalidate, onUpdate: (_old, o) => invalidate(o), onDelete: invalidate }));
    }
    for (const { informer } of sources) await informer.waitForSync();
    // anything decided before the first lists were in is stale
    rbac.invalidate();
  };

  /** RBAC for `user` in `a.cluster`: a service account counts only in its own workspace (kcp's rule), elsewhere it is anonymous. */
  const decide = async (user: UserInfo, a: Omit<Attributes, 'user' | 'groups'>) => {
    const subject = subjectInWorkspace(user, a.cluster, nameOf);
    const attrs: Attributes = { ...a, user: subject.name, groups: subject.groups };
    return { attrs, foreign: subject.name !== user.name, decision: await rbac.authorize(attrs) };
  };

  const authorize: Authorizer = async (user: UserInfo, info: RequestInfo) => {
    if (user.groups.includes(GROUP_MASTERS)) return;
    const { attrs, foreign, decision } = await decide(user, {
      verb: info.verb, cluster: info.cluster, apiGroup: info.group, resource: info.resource, subresource: info.subresource,
      name: info.name, namespace: info.namespace, path: info.path, resourceRequest: info.isResource,
    });
    if (decision.allowed) return;
    if (foreign) {
      // say who asked and why they count as nobody here, not just "system:anonymous"
      throw forbiddenError({ ...attrs, user: user.name }, `a service account of ${user.extra?.[CLUSTER_NAME_EXTRA]?.map(pathOf).join(', ')} has no identity in ${info.cluster}; use a token issued in ${info.cluster}`);
    }
    throw forbiddenError(attrs, decision.reason);
  };
  const allows = async (user: UserInfo, a: Omit<Attributes, 'user' | 'groups'>): Promise<boolean> =>
    user.groups.includes(GROUP_MASTERS) || (await decide(user, { resourceRequest: true, ...a })).decision.allowed;
  const review = async (user: UserInfo, a: Omit<Attributes, 'user' | 'groups'>): Promise<Decision> =>
    (await decide(user, a)).decision;
  const rules = async (user: UserInfo, cluster: string, namespace: string): Promise<PolicyRule[]> => {
    const subject = subjectInWorkspace(user, cluster, nameOf);
    return rbac.rulesFor(cluster, subject.name, subject.groups, namespace);
  };
  return { authorize, allows, review, rules, start, stop: () => { for (const u of unregister.splice(0)) u(); } };
}

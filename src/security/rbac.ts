/**
 * The RBAC authorizer, one policy per logical cluster (workspace).
 *
 * It has no storage dependency: RBAC objects come from an injected `listRBAC(cluster)` (the server
 * backs it with its watch cache). Each cluster's objects are indexed once and cached until
 * `invalidate(cluster)` (call it on any RBAC watch event) or until `ttlMs` passes, a safety net
 * should an event be missed.
 *
 * Semantics are kube's: ClusterRoleBindings grant everywhere in the cluster, RoleBindings grant
 * in their namespace only (whether they reference a Role or a ClusterRole), non-resource URLs
 * are granted only through ClusterRoleBindings, members of `system:masters` may do anything.
 * kcp's verbs (`access`, `bind`, `sync`) are ordinary verbs here; kcp-verbs.ts builds their
 * attributes.
 */
import { labelSelectorFromSpec } from '../machinery/labels.js';
import {
  isResourceRequest, ruleAllows, subjectMatches,
  type Attributes, type ClusterRole, type ClusterRoleBinding, type PolicyRule, type RBACObjects,
  type RoleBinding,
} from './rbac-rules.js';
import { GROUP_MASTERS } from './user.js';

export interface Decision {
  allowed: boolean;
  /** Why it was allowed (which binding); empty on denial, as kube's RBAC authorizer does. */
  reason: string;
}

export type ListRBAC = (cluster: string) => RBACObjects | Promise<RBACObjects>;

export interface RBACAuthorizerOptions {
  listRBAC: ListRBAC;
  /** How long a cluster's index may be used without an invalidation (default 5 s; 0 = forever). */
  ttlMs?: number;
  now?: () => number;
}

/** One cluster's RBAC objects, indexed for evaluation. */
export class PolicyIndex {
  readonly clusterRoleRules = new Map<string, PolicyRule[]>();
  readonly roleRules = new Map<string, PolicyRule[]>(); // key: `${namespace}/${name}`
  readonly clusterRoleBindings: ClusterRoleBinding[];
  readonly roleBindingsByNamespace = new Map<string, RoleBinding[]>();

  constructor(objs: RBACObjects) {
    const clusterRoles = objs.clusterRoles ?? [];
    for (const cr of clusterRoles) this.clusterRoleRules.set(cr.metadata.name, aggregatedRules(cr, clusterRoles));
    for (const r of objs.roles ?? []) this.roleRules.set(`${r.metadata.namespace ?? ''}/${r.metadata.name}`, r.rules ?? []);
    this.clusterRoleBindings = objs.clusterRoleBindings ?? [];
    for (const rb of objs.roleBindings ?? []) {
      const ns = rb.metadata.namespace ?? '';
      let list = this.roleBindingsByNamespace.get(ns);
      if (!list) this.roleBindingsByNamespace.set(ns, (list = []));
      list.push(rb);
    }
  }

  /** The rules a binding's roleRef resolves to (missing role → none, as kube). */
  rulesFor(ref: { kind: string; name: string }, namespace: string): PolicyRule[] {
    if (ref.kind === 'ClusterRole') return this.clusterRoleRules.get(ref.name) ?? [];
    if (ref.kind === 'Role' && namespace) return this.roleRules.get(`${namespace}/${ref.name}`) ?? [];
    return [];
  }
}

/**
 * The aggregated ClusterRole's rules: its own plus those of every ClusterRole matched by one of
 * its selectors (kube's aggregation controller writes them into the object; we compute them).
 */
function aggregatedRules(cr: ClusterRole, all: ClusterRole[]): PolicyRule[] {
  const selectors = cr.aggregationRule?.clusterRoleSelectors;
  if (!selectors?.length) return cr.rules ?? [];
  const compiled = selectors.map(labelSelectorFromSpec);
  const rules = [...(cr.rules ?? [])];
  for (const other of all) {
    if (other === cr) continue;
    if (compiled.some((s) => s.matches(other.metadata.labels))) rules.push(...(other.rules ?? []));
  }
  return rules;
}

/** Pure evaluation of one request against one cluster's policy. */
export function evaluate(a: Attributes, index: PolicyIndex): Decision {
  if (a.groups.includes(GROUP_MASTERS)) return { allowed: true, reason: `member of group "${GROUP_MASTERS}"` };

  for (const crb of index.clusterRoleBindings) {
    if (!crb.subjects?.some((s) => subjectMatches(s, a.user, a.groups, ''))) continue;
    if (index.rulesFor(crb.roleRef, '').some((r) => ruleAllows(a, r))) {
      return { allowed: true, reason: allowedBy('ClusterRoleBinding', crb.metadata.name, crb.roleRef, a, '') };
    }
  }

  // Namespaced grants apply to resource requests in that namespace only.
  const ns = a.namespace ?? '';
  if (ns && isResourceRequest(a)) {
    for (const rb of index.roleBindingsByNamespace.get(ns) ?? []) {
      if (!rb.subjects?.some((s) => subjectMatches(s, a.user, a.groups, ns))) continue;
      if (index.rulesFor(rb.roleRef, ns).some((r) => ruleAllows(a, r))) {
        return { allowed: true, reason: allowedBy('RoleBinding', rb.metadata.name, rb.roleRef, a, ns) };
      }
    }
  }
  return { allowed: false, reason: '' };
}

/**
 * Every rule that applies to a subject in a namespace (kube's RBAC `RulesFor`, behind
 * SelfSubjectRulesReview): the rules of matching ClusterRoleBindings, then of matching
 * RoleBindings in `namespace`.
 */
export function rulesFor(user: string, groups: readonly string[], namespace: string, index: PolicyIndex): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const crb of index.clusterRoleBindings) {
    if (crb.subjects?.some((s) => subjectMatches(s, user, groups, ''))) out.push(...index.rulesFor(crb.roleRef, ''));
  }
  if (namespace) {
    for (const rb of index.roleBindingsByNamespace.get(namespace) ?? []) {
      if (rb.subjects?.some((s) => subjectMatches(s, user, groups, namespace))) out.push(...index.rulesFor(rb.roleRef, namespace));
    }
  }
  return out;
}

/** kube's wording: `RBAC: allowed by RoleBinding "rb/ns" of ClusterRole "view" to User "u"`. */
function allowedBy(kind: string, name: string, ref: { kind: string; name: string }, a: Attributes, ns: string): string {
  const binding = ns ? `${name}/${ns}` : name;
  return `RBAC: allowed by ${kind} "${binding}" of ${ref.kind} "${ref.name}" to User "${a.user}"`;
}

export class RBACAuthorizer {
  private readonly listRBAC: ListRBAC;
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly cache = new Map<string, { index: Promise<PolicyIndex>; loadedAt: number }>();

  constructor(opts: RBACAuthorizerOptions) {
    this.listRBAC = opts.listRBAC;
    this.ttlMs = opts.ttlMs ?? 5000;
    this.now = opts.now ?? Date.now;
  }

  async authorize(a: Attributes): Promise<Decision> {
    // system:masters needs no policy lookup at all (and works before RBAC objects exist).
    if (a.groups.includes(GROUP_MASTERS)) return { allowed: true, reason: `member of group "${GROUP_MASTERS}"` };
    return evaluate(a, await this.indexFor(a.cluster));
  }

  /** The rules granted to a subject in one namespace of a cluster (no system:masters shortcut). */
  async rulesFor(cluster: string, user: string, groups: readonly string[], namespace: string): Promise<PolicyRule[]> {
    return rulesFor(user, groups, namespace, await this.indexFor(cluster));
  }

  /** Drops the cached policy of one cluster, or of all when no cluster is given. */
  invalidate(cluster?: string): void {
    if (cluster === undefined) this.cache.clear();
    else this.cache.delete(cluster);
  }

  private indexFor(cluster: string): Promise<PolicyIndex> {
    const hit = this.cache.get(cluster);
    if (hit && (this.ttlMs === 0 || this.now() - hit.loadedAt < this.ttlMs)) return hit.index;
    // Concurrent requests for the same cluster share one load (an invalidation during the load
    // removes the entry, so the next request loads afresh); a failed load is not cached.
    const index = Promise.resolve().then(() => this.listRBAC(cluster)).then((o) => new PolicyIndex(o));
    const entry = { index, loadedAt: this.now() };
    this.cache.set(cluster, entry);
    index.catch(() => { if (this.cache.get(cluster) === entry) this.cache.delete(cluster); });
    return index;
  }
}

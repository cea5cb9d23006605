/**
 * rbac.authorization.k8s.io/v1 object shapes and kube's rule-matching semantics
 * (plugin/pkg/auth/authorizer/rbac/rbac.go, pkg/apis/rbac/v1/evaluation_helpers.go). Pure.
 */
import type { LabelSelectorSpec } from '../machinery/labels.js';

export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface RBACSubject {
  kind: 'User' | 'Group' | 'ServiceAccount' | string;
  name: string;
  namespace?: string;
  apiGroup?: string;
}

export interface RoleRef { apiGroup?: string; kind: 'Role' | 'ClusterRole' | string; name: string }

interface Meta { name: string; namespace?: string; labels?: Record<string, string> }

export interface Role { metadata: Meta; rules?: PolicyRule[] }
export interface ClusterRole {
  metadata: Meta;
  rules?: PolicyRule[];
  aggregationRule?: { clusterRoleSelectors?: LabelSelectorSpec[] };
}
export interface RoleBinding { metadata: Meta; subjects?: RBACSubject[]; roleRef: RoleRef }
export interface ClusterRoleBinding { metadata: Meta; subjects?: RBACSubject[]; roleRef: RoleRef }

/** Everything RBAC in one logical cluster. */
export interface RBACObjects {
  roles?: Role[];
  clusterRoles?: ClusterRole[];
  roleBindings?: RoleBinding[];
  clusterRoleBindings?: ClusterRoleBinding[];
}

/** What is being asked (kube's authorizer.Attributes, plus kcp's logical cluster). */
export interface Attributes {
  user: string;
  groups: string[];
  verb: string;
  /** Logical cluster the request addresses. */
  cluster: string;
  apiGroup?: string;
  resource?: string;
  subresource?: string;
  name?: string;
  namespace?: string;
  /** URL path, for non-resource requests (`/healthz`, `/`). */
  path?: string;
  /** Defaults to `!!resource`. */
  resourceRequest?: boolean;
}

export function isResourceRequest(a: Attributes): boolean {
  return a.resourceRequest ?? !!a.resource;
}

const has = (list: readonly string[] | undefined, v: string) => !!list && (list.includes('*') || list.includes(v));

export function verbMatches(r: PolicyRule, verb: string): boolean {
  return has(r.verbs, verb);
}

export function apiGroupMatches(r: PolicyRule, group: string): boolean {
  return has(r.apiGroups, group);
}

/** `*`, the exact `resource` or `resource/subresource`, or `*\/subresource`. */
export function resourceMatches(r: PolicyRule, resource: string, subresource: string): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  for (const rr of r.resources ?? []) {
    if (rr === '*' || rr === combined) return true;
    if (subresource && rr === `*/${subresource}`) return true;
  }
  return false;
}

/** No resourceNames = any name; otherwise the request must name one of them. */
export function resourceNameMatches(r: PolicyRule, name: string): boolean {
  if (!r.resourceNames || r.resourceNames.length === 0) return true;
  return r.resourceNames.includes(name);
}

/** `*`, exact, or a prefix ending in `*` (`/healthz/*`). */
export function nonResourceURLMatches(r: PolicyRule, path: string): boolean {
  for (const u of r.nonResourceURLs ?? []) {
    if (u === '*' || u === path) return true;
    if (u.endsWith('*') && path.startsWith(u.slice(0, -1))) return true;
  }
  return false;
}

export function ruleAllows(a: Attributes, r: PolicyRule): boolean {
  if (!verbMatches(r, a.verb)) return false;
  if (isResourceRequest(a)) {
    return apiGroupMatches(r, a.apiGroup ?? '')
      && resourceMatches(r, a.resource ?? '', a.subresource ?? '')
      && resourceNameMatches(r, a.name ?? '');
  }
  return nonResourceURLMatches(r, a.path ?? '');
}

/**
 * Does a binding subject cover this user? ServiceAccount subjects match the username
 * `system:serviceaccount:<ns>:<name>`, the namespace defaulting to the RoleBinding's.
 */
export function subjectMatches(s: RBACSubject, user: string, groups: readonly string[], bindingNamespace: string): boolean {
  switch (s.kind) {
    case 'User': return s.name === user;
    case 'Group': return groups.includes(s.name);
    case 'ServiceAccount': {
      const ns = s.namespace || bindingNamespace;
      return !!ns && user === `system:serviceaccount:${ns}:${s.name}`;
    }
    default: return false;
  }
}

/**
 * Does a request fall under a policy's matchConstraints (and a binding's matchResources)?
 * resourceRules with groups/versions/resources (incl. wildcards and subresource forms)/operations/names/scope,
 * excludeResourceRules, namespaceSelector (applied to the namespace's labels; a cluster-scoped
 * object other than a Namespace always matches) and objectSelector (new or old labels).
 */
import { labelSelectorFromSpec } from '../../machinery/labels.js';
import type { MatchResources, RuleWithOperations } from './compile.js';

export interface MatchRequest {
  group: string; version: string; resource: string; subresource: string;
  operation: string; name: string; namespace: string; namespaced: boolean;
  labels?: Record<string, string>; oldLabels?: Record<string, string>;
  /** Labels of the request's namespace (or of the Namespace object itself). */
  namespaceLabels?: Record<string, string>;
  isNamespace: boolean;
}

const has = (list: string[] | undefined, v: string) => !!list && (list.includes('*') || list.includes(v));

export function ruleMatches(r: RuleWithOperations, q: MatchRequest): boolean {
  if (!has(r.operations, q.operation)) return false;
  if (!has(r.apiGroups, q.group) || !has(r.apiVersions, q.version)) return false;
  if (r.resourceNames?.length && !r.resourceNames.includes(q.name)) return false;
  const scope = r.scope ?? '*';
  if (scope === 'Cluster' && q.namespaced) return false;
  if (scope === 'Namespaced' && !q.namespaced) return false;
  const full = q.subresource ? `${q.resource}/${q.subresource}` : q.resource;
  return (r.resources ?? []).some((res) => {
    if (res === '*/*') return true;
    if (res === '*') return !q.subresource;
    if (res === full) return true;
    const [rr, sub] = res.split('/');
    if (sub === undefined) return false;
    return (rr === '*' && sub === q.subresource) || (rr === q.resource && sub === '*' && !!q.subresource);
  });
}

function selectorMatches(spec: MatchResources['objectSelector'], labels: Record<string, string> | undefined): boolean {
  if (!spec) return true;
  return labelSelectorFromSpec(spec).matches(labels ?? {});
}

/** `mr` undefined (a binding without matchResources) matches everything the policy matches. */
export function matchResources(mr: MatchResources | undefined, q: MatchRequest, required: boolean): boolean {
  if (!mr) return !required;
  if (required || mr.resourceRules?.length) {
    if (!(mr.resourceRules ?? []).some((r) => ruleMatches(r, q))) return false;
  }
  if ((mr.excludeResourceRules ?? []).some((r) => ruleMatches(r, q))) return false;
  if (mr.namespaceSelector && (q.namespaced || q.isNamespace) && !selectorMatches(mr.namespaceSelector, q.namespaceLabels)) return false;
  if (mr.objectSelector && !selectorMatches(mr.objectSelector, q.labels) && !(q.oldLabels && selectorMatches(mr.objectSelector, q.oldLabels))) return false;
  return true;
}

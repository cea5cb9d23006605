/**
 * The 403 a denied request gets, worded exactly as kube's apiserver words it
 * (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/errors.go):
 *
 *   pods "p1" is forbidden: User "u" cannot get resource "pods" in API group "" in the namespace "default"
 *   nodes is forbidden: User "u" cannot list resource "nodes" in API group "" at the cluster scope
 *   forbidden: User "u" cannot get path "/metrics"
 */
import { StatusError, forbidden } from '../errors/status.js';
import { isResourceRequest, type Attributes } from './rbac-rules.js';

/** The `User "u" cannot …` sentence. */
export function forbiddenMessage(a: Attributes): string {
  if (!isResourceRequest(a)) return `User ${q(a.user)} cannot ${a.verb} path ${q(a.path ?? '')}`;
  const resource = a.subresource ? `${a.resource ?? ''}/${a.subresource}` : (a.resource ?? '');
  const where = a.namespace ? `in the namespace ${q(a.namespace)}` : 'at the cluster scope';
  return `User ${q(a.user)} cannot ${a.verb} resource ${q(resource)} in API group ${q(a.apiGroup ?? '')} ${where}`;
}

/** The Status error; `reason` (the authorizer's, if any) is appended after a colon, as kube does. */
export function forbiddenError(a: Attributes, reason = ''): StatusError {
  const msg = forbiddenMessage(a) + (reason ? `: ${reason}` : '');
  if (!isResourceRequest(a)) return new StatusError(403, 'Forbidden', `forbidden: ${msg}`, {});
  return forbidden({ group: a.apiGroup ?? '', resource: a.resource ?? '' }, a.name ?? '', msg);
}

/** Go's %q for the strings that occur here (JSON escaping agrees with it for printable text). */
function q(s: string): string {
  return JSON.stringify(s);
}

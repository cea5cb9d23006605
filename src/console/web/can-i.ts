/**
 * Whether the signed-in user may do something, asked of the server before a button is offered.
 * A SelfSubjectAccessReview when the server serves them; otherwise the request itself with
 * `dryRun=All` and an empty merge patch, which RBAC judges exactly like the real one and which
 * changes nothing.
 */
import { ApiError, type Api } from './api.js';
import { resourcePath, type Resource } from '../model/api-paths.js';

export interface Verdict { allowed: boolean; reason?: string }

export async function canPatch(api: Api, ws: string, r: Resource, namespace: string | undefined, name: string): Promise<Verdict> {
  try {
    const review = await api.post<{ status?: { allowed?: boolean; reason?: string } }>(`/clusters/${ws}/apis/authorization.k8s.io/v1/selfsubjectaccessreviews`, {
      apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: { verb: 'patch', group: r.group, resource: r.resource, namespace, name } },
    });
    if (review.status) {
      const allowed = review.status.allowed === true;
      // a denial usually has no reason (nothing matched): say what was asked
      const asked = `RBAC does not allow you to patch ${r.resource}${r.group ? `.${r.group}` : ''} "${name}"${namespace ? ` in namespace "${namespace}"` : ''}`;
      return { allowed, reason: allowed ? undefined : review.status.reason || asked };
    }
  } catch (err) {
    // 404: this server has no review API; fall through to the dry run
    if (!(err instanceof ApiError) || err.status !== 404) return { allowed: false, reason: (err as Error).message };
  }
  try {
    await api.patch(resourcePath(ws, r, namespace, name), {}, 'merge', '?dryRun=All');
    return { allowed: true };
  } catch (err) {
    return { allowed: false, reason: (err as Error).message };
  }
}

/**
 * RBAC set-up the authorization tests share: a Role over ConfigMaps in a workspace's `default`
 * namespace and a RoleBinding of it to one user or group, created through the API as an admin.
 */
import { request, type Creds } from './http.js';

const RBAC = 'rbac.authorization.k8s.io';

export interface ConfigMapGrant {
  /** The verbs on configmaps the Role `cm-reader` allows. */
  verbs: string[];
  /** The RoleBinding's name. */
  binding: string;
  subject: { kind: 'User' | 'Group'; name: string };
  /** Default `root`. */
  workspace?: string;
}

/** Creates the Role and the RoleBinding; throws with the server's answer unless both are created. */
export async function grantConfigMaps(url: string, admin: Creds, g: ConfigMapGrant): Promise<void> {
  const base = `/clusters/${g.workspace ?? 'root'}/apis/${RBAC}/v1/namespaces/default`;
  const create = async (resource: string, body: unknown) => {
    const r = await request(url, admin, 'POST', `${base}/${resource}`, body);
    if (r.status !== 201) throw new Error(`create ${resource}: ${r.status} ${r.text}`);
  };
  await create('roles', { apiVersion: `${RBAC}/v1`, kind: 'Role', metadata: { name: 'cm-reader' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: g.verbs }] });
  await create('rolebindings', {
    apiVersion: `${RBAC}/v1`, kind: 'RoleBinding', metadata: { name: g.binding },
    roleRef: { apiGroup: RBAC, kind: 'Role', name: 'cm-reader' }, subjects: [{ apiGroup: RBAC, ...g.subject }],
  });
}

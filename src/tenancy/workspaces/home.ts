/**
 * Home workspaces, as kcp serves them: `GET /clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces/~`
 * answers the requesting user's home workspace, creating it on first use (for admins too). It is
 * the logical cluster `user:<name>` (type `root:home`, no parent workspace a user can see), and the
 * user is bound to `cluster-admin` there (ClusterRoleBinding `workspace-admin`).
 *
 * Here a home is a Workspace named after the user in the hidden cluster `user`, which only the
 * server writes; so it has a spec.URL, a LogicalCluster and a deletion cascade like any workspace.
 */
import { systemScope } from '../../registry/system-scope.js';
import { StatusError } from '../../errors/status.js';
import { dns1123LabelErrors } from '../../machinery/names.js';
import type { ResourceCatalog } from '../../registry/catalog.js';
import type { GenericStore, RequestScope } from '../../registry/generic-store.js';
import type { UserInfo } from '../../registry/hooks.js';
import type { KubeObject, Store } from '../../storage/types.js';
import { WORKSPACE_RESOURCE } from '../logical-clusters.js';
import { HOME_PARENT } from '../workspace-strategy.js';

const READY_WAIT_MS = 10_000;

export interface HomeWorkspacesDeps {
  store: Store;
  generic: GenericStore;
  catalog: ResourceCatalog;
  /** Whether the server already serves a logical cluster. */
  clusterExists: (cluster: string) => boolean;
}

export const homePath = (user: string): string => `${HOME_PARENT}:${user}`;

export class HomeWorkspaces {
  constructor(private readonly d: HomeWorkspacesDeps) {}

  private scope(cluster: string): RequestScope {
    return systemScope('home-workspaces', cluster);
  }

  /** The user's home Workspace, created (with its admin binding) on first use. */
  async get(user: UserInfo): Promise<KubeObject> {
    const name = user.name;
    const problems = dns1123LabelErrors(name);
    if (problems.length) {
      throw new StatusError(403, 'Forbidden', `user "${name}" cannot have a home workspace here: the name must be a DNS-1123 label to be a workspace path segment (user:<name>): ${problems.join('; ')}`);
    }
    const key = { cluster: HOME_PARENT, resource: WORKSPACE_RESOURCE, namespace: '', name };
    let ws = await this.d.store.get(key);
    if (ws?.metadata.deletionTimestamp) {
      throw new StatusError(409, 'Conflict', `the home workspace of "${name}" is being deleted; retry once it is gone`, { retryAfterSeconds: 1 });
    }
    if (!ws) {
      const def = this.d.catalog.resolve(HOME_PARENT, 'tenancy.kcp.io', 'v1alpha1', 'workspaces')!;
      try {
        ws = await this.d.generic.create(this.scope(HOME_PARENT), def, {
          apiVersion: 'tenancy.kcp.io/v1alpha1', kind: 'Workspace',
          metadata: { name, annotations: { 'experimental.tenancy.kcp.io/owner': JSON.stringify({ username: name }) } },
          spec: { type: { name: 'home', path: 'root' } },
        });
      } catch (e) {
        if (!(e instanceof StatusError && e.reason === 'AlreadyExists')) throw e;
        ws = (await this.d.store.get(key))!;
      }
    }
    const path = homePath(name);
    await this.waitServed(path);
    await this.ensureAdmin(path, name);
    return ws;
  }

  private async waitServed(path: string): Promise<void> {
    const end = Date.now() + READY_WAIT_MS;
    while (!this.d.clusterExists(path)) {
      if (Date.now() > end) throw new StatusError(429, 'TooManyRequests', 'creating the home workspace; retry shortly', { retryAfterSeconds: 1 });
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** cluster-admin (kcp has it in every workspace) bound to the user, as kcp's home handler does. */
  private async ensureAdmin(path: string, user: string): Promise<void> {
    await this.ensure(path, 'clusterroles', {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'cluster-admin' },
      rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, { nonResourceURLs: ['*'], verbs: ['*'] }],
    });
    await this.ensure(path, 'clusterrolebindings', {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'workspace-admin' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
    });
  }

  private async ensure(path: string, resource: string, obj: KubeObject): Promise<void> {
    if (await this.d.store.get({ cluster: path, resource: `rbac.authorization.k8s.io/${resource}`, namespace: '', name: obj.metadata.name! })) return;
    const def = this.d.catalog.resolve(path, 'rbac.authorization.k8s.io', 'v1', resource)!;
    try {
      await this.d.generic.create(this.scope(path), def, obj);
    } catch (e) {
      if (!(e instanceof StatusError && e.reason === 'AlreadyExists')) throw e;
    }
  }
}

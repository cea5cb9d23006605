/**
 * Workspace and API discovery for tools and controllers: which workspaces an identity can reach,
 * and which APIExports are bound where. Used by `tmcctl` and controllers that need to know where
 * to look before they open a virtual workspace.
 *
 * Access rule (until the RBAC authorizer answers `access` on workspaces): system:masters sees
 * every workspace; anyone else sees the workspaces in which a RoleBinding or ClusterRoleBinding
 * names them — as a User, or as one of their Groups (so a binding for `system:authenticated`
 * opens a workspace to everyone who has logged in).
 */
import { clusterOf } from '../apis/contract.js';
import type { UserInfo } from '../registry/hooks.js';
import type { KubeObject, Store } from '../storage/types.js';
import type { APIBindings } from '../tenancy/apis/api-bindings.js';
import { ROOT_CLUSTER } from '../tenancy/logical-clusters.js';
import { MASTERS } from './authorizers.js';

const WORKSPACES = 'tenancy.kcp.io/workspaces';
const BINDING_RESOURCES = ['rbac.authorization.k8s.io/rolebindings', 'rbac.authorization.k8s.io/clusterrolebindings'];

export interface WorkspaceEntry {
  /** Full logical-cluster path, e.g. `root:org:team`. */
  path: string;
  /** The parent's path ('' for the root). */
  parent: string;
  /** `spec.type.name` of the Workspace object ('root' for the root). */
  type: string;
  /** `status.phase`, when the workspace has one. */
  phase?: string;
}

interface Subject { kind?: string; name?: string }

function names(user: UserInfo, subjects: Subject[]): boolean {
  return subjects.some((s) => (s.kind === 'User' && s.name === user.name) || (s.kind === 'Group' && s.name !== undefined && user.groups.includes(s.name)));
}

/** The workspaces under (and including) `root` that `user` can access, sorted by path. */
export async function listWorkspaceTree(store: Store, user: UserInfo, root = 'root'): Promise<WorkspaceEntry[]> {
  // one wildcard list, then the tree is rebuilt from each object's own workspace
  const { items } = await store.list({ cluster: '*', resource: WORKSPACES });
  const all: WorkspaceEntry[] = [{ path: root, parent: root.includes(':') ? root.slice(0, root.lastIndexOf(':')) : '', type: root === 'root' ? 'root' : 'universal' }];
  const children = new Map<string, KubeObject[]>();
  for (const ws of items) {
    const parent = clusterOf(ws, ROOT_CLUSTER);
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent)!.push(ws);
  }
  const queue = [root];
  while (queue.length) {
    const parent = queue.shift()!;
    for (const ws of children.get(parent) ?? []) {
      const path = `${parent}:${ws.metadata.name}`;
      all.push({ path, parent, type: ws.spec?.type?.name ?? 'universal', ...(ws.status?.phase ? { phase: ws.status.phase } : {}) });
      queue.push(path);
    }
  }
  if (user.groups.includes(MASTERS)) return all.sort((a, b) => a.path.localeCompare(b.path));
  const allowed = new Set<string>();
  for (const resource of BINDING_RESOURCES) {
    const { items: rbs } = await store.list({ cluster: '*', resource });
    for (const rb of rbs) {
      if (names(user, (rb.subjects ?? []) as Subject[])) allowed.add(clusterOf(rb, ROOT_CLUSTER));
    }
  }
  return all.filter((w) => allowed.has(w.path)).sort((a, b) => a.path.localeCompare(b.path));
}

export interface ExportBindings {
  /** `<export workspace>:<export name>`, as kubectl kcp names exports. */
  export: string;
  exportCluster: string;
  exportName: string;
  /** The workspaces bound to it, each with its APIBinding's name. */
  boundIn: Array<{ cluster: string; binding: string }>;
}

/** Which APIExports are bound where, grouped by export and sorted. */
export function bindingsBy(bindings: APIBindings): ExportBindings[] {
  const byExport = new Map<string, ExportBindings>();
  for (const row of bindings.bindingTable()) {
    const id = `${row.exportCluster}:${row.exportName}`;
    let e = byExport.get(id);
    if (!e) {
      e = { export: id, exportCluster: row.exportCluster, exportName: row.exportName, boundIn: [] };
      byExport.set(id, e);
    }
    e.boundIn.push({ cluster: row.cluster, binding: row.binding });
  }
  const out = [...byExport.values()].sort((a, b) => a.export.localeCompare(b.export));
  for (const e of out) e.boundIn.sort((a, b) => a.cluster.localeCompare(b.cluster) || a.binding.localeCompare(b.binding));
  return out;
}

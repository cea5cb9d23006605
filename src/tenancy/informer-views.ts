/**
 * What the server's shared informers keep of Workspaces and LogicalClusters: one of each per
 * workspace, so these views decide much of the memory an empty workspace costs. Each keeps what
 * its readers use, and nothing else:
 * - Workspaces: LogicalClusters (name, `spec.cluster`, `spec.type`, for the kcp strategies) and
 *   the workspace lifecycle (which workspace changed; it reads the object itself from storage);
 * - LogicalClusters: the workspace lifecycle (`status.phase`, to move an initializing workspace on).
 * A new reader of another field adds it here.
 */
import { identityMetadata } from '../storage/informers.js';
import type { KubeObject } from '../storage/types.js';

export function workspaceView(ws: KubeObject): KubeObject {
  const view: KubeObject = { apiVersion: ws.apiVersion, kind: ws.kind, metadata: identityMetadata(ws.metadata) };
  const { cluster, type } = (ws.spec ?? {}) as { cluster?: unknown; type?: unknown };
  if (cluster !== undefined || type !== undefined) view.spec = { ...(cluster !== undefined ? { cluster } : {}), ...(type !== undefined ? { type } : {}) };
  return view;
}

export function logicalClusterView(lc: KubeObject): KubeObject {
  const view: KubeObject = { apiVersion: lc.apiVersion, kind: lc.kind, metadata: identityMetadata(lc.metadata) };
  if (lc.status?.phase !== undefined) view.status = { phase: lc.status.phase };
  return view;
}

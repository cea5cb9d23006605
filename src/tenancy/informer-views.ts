/**
 * What the server's shared informers keep of Workspaces and LogicalClusters: one of each per
 * workspace, so these views decide much of the memory an empty workspace costs. Each keeps what
 * its readers use, and nothing else:
 * - Workspaces: LogicalClusters (name, `spec.cluster`, `spec.type`, for the kcp strategies) and
 *   the workspace lifecycle (which workspace changed; it reads the object itself from storage);
 * - LogicalClusters: the workspace lifecycle (`status.phase`, to move an initializing workspace on).
 * A new reader of another field adds it here.
 */
import { identityMetadata, shared } from '../storage/informers.js';
import type { KubeObject } from '../storage/types.js';

export function workspaceView(ws: KubeObject): KubeObject {
  const view: KubeObject = { apiVersion: shared(ws.apiVersion), kind: shared(ws.kind), metadata: identityMetadata(ws.metadata) };
  const { cluster, type } = (ws.spec ?? {}) as { cluster?: string; type?: { name?: string; path?: string } };
  if (cluster === undefined && type === undefined) return view;
  const spec: Record<string, unknown> = {};
  if (cluster !== undefined) spec.cluster = cluster;
  // most workspaces share a handful of types
  if (type) spec.type = { name: shared(type.name), path: shared(type.path) };
  view.spec = spec;
  return view;
}

export function logicalClusterView(lc: KubeObject): KubeObject {
  const view: KubeObject = { apiVersion: shared(lc.apiVersion), kind: shared(lc.kind), metadata: identityMetadata(lc.metadata) };
  if (typeof lc.status?.phase === 'string') view.status = { phase: shared(lc.status.phase) };
  return view;
}

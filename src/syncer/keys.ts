/**
 * Queue keys of a syncer. One queue carries two kinds of work:
 * - objects: `<resource id>#<workspace>|<namespace>/<name>` (an upstream object, whether or not it
 *   still exists, so deletions are level-based too);
 * - downstream namespaces: `ns#<name>` (dependency sweep and empty-namespace cleanup).
 */
import { TerminalError } from '../controllers/reconcile.js';
import { resourceId, type SyncedResource } from './resources.js';

export interface UpstreamRef {
  resource: SyncedResource;
  /** The logical cluster (kcp workspace path) of the upstream object. */
  workspace: string;
  namespace: string;
  name: string;
}

export type SyncKey = { kind: 'object'; ref: UpstreamRef } | { kind: 'namespace'; name: string };

const NS_PREFIX = 'ns#';

export function objectKey(ref: UpstreamRef): string {
  return `${resourceId(ref.resource)}#${ref.workspace}|${ref.namespace}/${ref.name}`;
}

export function namespaceKey(downstreamNamespace: string): string {
  return NS_PREFIX + downstreamNamespace;
}

export function parseSyncKey(key: string, resources: readonly SyncedResource[]): SyncKey {
  if (key.startsWith(NS_PREFIX)) return { kind: 'namespace', name: key.slice(NS_PREFIX.length) };
  const m = /^([^#]+)#([^|]*)\|([^/]+)\/(.+)$/.exec(key);
  const resource = m && resources.find((r) => resourceId(r) === m[1]);
  if (!m || !resource) throw new TerminalError(`malformed syncer key "${key}"`);
  return { kind: 'object', ref: { resource, workspace: m[2], namespace: m[3], name: m[4] } };
}

/** The committer over the API: the reconcilers' and syncers' writes go through a KubeClient. */
import { clusterOf } from '../apis/contract.js';
import type { KubeClient } from '../client/kube-client.js';
import type { GroupVersionResource } from '../client/resource-path.js';
import { newCommitter, type CommitFunc, type PatchFunc } from './committer.js';

/** Patch functions over a KubeClient; objects carrying `kcp.io/cluster` go to that workspace. */
export function committerForClient(
  kubeClient: KubeClient, gvr: GroupVersionResource,
  clientForCluster: (cluster: string) => KubeClient = (cluster) => (cluster ? kubeClient.forCluster(cluster) : kubeClient),
): CommitFunc {
  const patchWith = (subresource?: string): PatchFunc => (obj, mergePatch) =>
    clientForCluster(clusterOf(obj)).patch(gvr, obj.metadata.namespace, obj.metadata.name as string, mergePatch,
      { type: 'merge', subresource });
  return newCommitter({ patch: patchWith(), patchStatus: patchWith('status') });
}

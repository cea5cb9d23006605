/**
 * The simulated nodes: `--nodes` Node objects (node-1 … node-N), each with the capacity the flags
 * give, Ready, and spread over ZONES, written through the ordinary API machinery so they look like
 * what a kubelet registers. On restart with a kept data dir, existing nodes get their status
 * refreshed from the current flags (a changed --node-cpu takes effect).
 */
import { isAlreadyExists } from '../errors/status.js';
import type { Logger } from '../observability/logger.js';
import type { ResourceCatalog } from '../registry/catalog.js';
import type { GenericStore, RequestScope } from '../registry/generic-store.js';
import { rfc3339 } from '../apis/time.js';
import type { ResourceDef } from '../registry/types.js';
import type { KubeObject } from '../storage/types.js';
import { CLUSTER, SIMULATOR_USER, type SimulatorOptions } from './types.js';

export const KUBELET_VERSION = 'v1.32.0-tmc';
export const REGION = 'sim';
export const ZONES = ['sim-a', 'sim-b', 'sim-c'];

export function nodeName(i: number): string { return `node-${i}`; }

export function nodeScope(manager: string): RequestScope {
  return { cluster: CLUSTER, namespace: '', user: SIMULATOR_USER, dryRun: false, fieldValidation: 'Ignore', warnings: [], fieldManager: manager };
}

/** The Node object for the i-th node (1-based), metadata and spec only. */
export function nodeObject(i: number): KubeObject {
  const name = nodeName(i);
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'topology.kubernetes.io/region': REGION,
        'topology.kubernetes.io/zone': ZONES[(i - 1) % ZONES.length],
      },
    },
    spec: { podCIDR: `10.244.${i}.0/24`, podCIDRs: [`10.244.${i}.0/24`], providerID: `tmc-sim://${name}` },
  };
}

/** What the kubelet would report for node i under these flags. */
export function nodeStatus(i: number, opts: SimulatorOptions, now: Date): Record<string, unknown> {
  const capacity = { cpu: opts.nodeCpu, memory: opts.nodeMemory, pods: String(opts.nodePods) };
  const t = rfc3339(now);
  const cond = (type: string, status: string, reason: string, message: string) =>
    ({ type, status, lastHeartbeatTime: t, lastTransitionTime: t, reason, message });
  return {
    capacity, allocatable: { ...capacity },
    conditions: [
      cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
      cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
      cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
      cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
    ],
    addresses: [{ type: 'InternalIP', address: `172.18.0.${i + 1}` }, { type: 'Hostname', address: nodeName(i) }],
    nodeInfo: {
      kubeletVersion: KUBELET_VERSION, kubeProxyVersion: KUBELET_VERSION,
      osImage: 'TMC simulated node', kernelVersion: 'simulated', containerRuntimeVersion: 'simulated://1.0',
      operatingSystem: 'linux', architecture: 'amd64',
    },
  };
}

/** Creates the missing nodes and (re)writes every simulated node's status. */
export async function ensureNodes(generic: GenericStore, catalog: ResourceCatalog, opts: SimulatorOptions, log: Logger): Promise<void> {
  const def: ResourceDef | undefined = catalog.resolve(CLUSTER, '', 'v1', 'nodes');
  if (!def) throw new Error('cluster mode serves no nodes resource');
  const scope = nodeScope('kubelet');
  for (let i = 1; i <= opts.nodes; i++) {
    try {
      await generic.create(scope, def, nodeObject(i));
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
    }
    const status = nodeStatus(i, opts, new Date());
    await generic.patch(scope, def, nodeName(i), 'status', async (live) => ({ object: { ...live!, status } }), { allowCreate: false });
  }
  log.info({ nodes: opts.nodes, cpu: opts.nodeCpu, memory: opts.nodeMemory, pods: opts.nodePods }, 'simulated nodes registered');
}

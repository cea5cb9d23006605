/** core/v1 persistentvolumeclaims and nodes (the physical-cluster side). */
import type { KubeObject } from '../../storage/types.js';
import type { ResourceDef } from '../types.js';
import {
  ageColumn, atomicList, bool, builtinDef, col, computed, enumStr, mapList, obj, opaque, partial, quantityMap, str, stringList,
} from './build.js';
import { conditionsSchema, labelSelectorSchema, rootSchema } from './meta.js';
import { defaultPersistentVolumeClaim } from './defaults.js';

const ACCESS_MODE_SHORT: Record<string, string> = {
  ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP',
};

type Pvc = { spec?: { volumeName?: string; storageClassName?: string; volumeAttributesClassName?: string }; status?: { phase?: string; capacity?: { storage?: string }; accessModes?: string[] } };

export function persistentVolumeClaimDef(): ResourceDef {
  return builtinDef({
    group: '', version: 'v1', resource: 'persistentvolumeclaims', kind: 'PersistentVolumeClaim', namespaced: true, shortNames: ['pvc'],
    schema: rootSchema("PersistentVolumeClaim is a user's request for and claim to a persistent volume", {
      spec: partial('spec defines the desired characteristics of a volume requested by a pod author.', {
        accessModes: stringList('accessModes contains the desired access modes the volume should have.'),
        selector: labelSelectorSchema('selector is a label query over volumes to consider for binding.'),
        resources: partial('resources represents the minimum resources the volume should have.', {
          limits: quantityMap('Limits describes the maximum amount of compute resources allowed.'),
          requests: quantityMap('Requests describes the minimum amount of compute resources required.'),
        }),
        volumeName: str('volumeName is the binding reference to the PersistentVolume backing this claim.'),
        storageClassName: str('storageClassName is the name of the StorageClass required by the claim.'),
        volumeMode: enumStr('volumeMode defines what type of volume is required by the claim. Value of Filesystem is implied when not included in claim spec.', ['Block', 'Filesystem']),
        dataSource: opaque('dataSource field can be used to specify either an existing VolumeSnapshot object or an existing PVC.'),
        dataSourceRef: opaque('dataSourceRef specifies the object from which to populate the volume with data, if a non-empty volume is desired.'),
      }),
      status: partial('status represents the current information/status of a persistent volume claim.', {
        phase: enumStr('phase represents the current phase of PersistentVolumeClaim.', ['Bound', 'Lost', 'Pending']),
        accessModes: stringList('accessModes contains the actual access modes the volume backing the PVC has.'),
        capacity: quantityMap('capacity represents the actual resources of the underlying volume.'),
        conditions: conditionsSchema('conditions is the current Condition of persistent volume claim.'),
      }),
    }),
    printerColumns: [
      col('Status', 'string', '.status.phase'),
      col('Volume', 'string', '.spec.volumeName'),
      computed('Capacity', 'string', (o) => (o as Pvc).status?.capacity?.storage ?? ''),
      computed('Access Modes', 'string', (o) => ((o as Pvc).status?.accessModes ?? []).map((m) => ACCESS_MODE_SHORT[m] ?? m).join(',')),
      computed('StorageClass', 'string', (o) => (o as Pvc).spec?.storageClassName ?? '<unset>'),
      computed('VolumeAttributesClass', 'string', (o) => (o as Pvc).spec?.volumeAttributesClassName ?? '<unset>'),
      ageColumn,
      computed('VolumeMode', 'string', (o) => o.spec?.volumeMode ?? 'Filesystem', { priority: 1 }),
    ],
    subresources: { status: true },
    strategy: { defaults: defaultPersistentVolumeClaim },
  });
}

type Node = { spec?: { unschedulable?: boolean }; status?: { conditions?: Array<{ type?: string; status?: string }>; nodeInfo?: Record<string, string>; addresses?: Array<{ type?: string; address?: string }> } };

/** NotReady/Ready, plus SchedulingDisabled when cordoned, as kubectl prints it. */
function nodeStatus(o: KubeObject): string {
  const n = o as Node;
  const ready = n.status?.conditions?.find((c) => c.type === 'Ready');
  const parts = [ready?.status === 'True' ? 'Ready' : ready ? 'NotReady' : 'Unknown'];
  if (n.spec?.unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

function nodeRoles(o: KubeObject): string {
  const roles = Object.keys(o.metadata.labels ?? {})
    .filter((k) => k.startsWith('node-role.kubernetes.io/')).map((k) => k.slice('node-role.kubernetes.io/'.length));
  if (o.metadata.labels?.['kubernetes.io/role']) roles.push(o.metadata.labels['kubernetes.io/role']);
  return roles.length ? roles.sort().join(',') : '<none>';
}

const address = (type: string) => (o: KubeObject) => (o as Node).status?.addresses?.find((a) => a.type === type)?.address ?? '<none>';

export function nodeDef(): ResourceDef {
  return builtinDef({
    group: '', version: 'v1', resource: 'nodes', kind: 'Node', namespaced: false, shortNames: ['no'],
    schema: rootSchema('Node is a worker node in Kubernetes.', {
      spec: partial('Spec defines the behavior of a node.', {
        podCIDR: str('PodCIDR represents the pod IP range assigned to the node.'),
        podCIDRs: stringList('podCIDRs represents the IP ranges assigned to the node for usage by Pods on that node.'),
        providerID: str('ID of the node assigned by the cloud provider in the format: <ProviderName>://<ProviderSpecificNodeID>'),
        unschedulable: bool('Unschedulable controls node schedulability of new pods. By default, node is schedulable.'),
        taints: atomicList("If specified, the node's taints.", obj('The node this Taint is attached to has the "effect" on any pod that does not tolerate the Taint.', {
          key: str('Required. The taint key to be applied to a node.'),
          value: str('The taint value corresponding to the taint key.'),
          effect: enumStr('Required. The effect of the taint on pods that do not tolerate the taint.', ['NoExecute', 'NoSchedule', 'PreferNoSchedule']),
          timeAdded: { type: 'string', format: 'date-time', description: 'TimeAdded represents the time at which the taint was added.' },
        }, { required: ['key', 'effect'] })),
      }),
      status: partial('Most recently observed status of the node.', {
        capacity: quantityMap('Capacity represents the total resources of a node.'),
        allocatable: quantityMap('Allocatable represents the resources of a node that are available for scheduling. Defaults to Capacity.'),
        phase: str('NodePhase is the recently observed lifecycle phase of the node. Deprecated.'),
        conditions: conditionsSchema('Conditions is an array of current observed node conditions.'),
        addresses: mapList('List of addresses reachable to the node.', obj("NodeAddress contains information for the node's address.", {
          type: str('Node address type, one of Hostname, ExternalIP or InternalIP.'),
          address: str('The node address.'),
        }, { required: ['type', 'address'] }), ['type'], { mergeKey: 'type' }),
        nodeInfo: partial('Set of ids/uuids to uniquely identify the node.', {
          kubeletVersion: str('Kubelet Version reported by the node.'),
          kubeProxyVersion: str('Deprecated: KubeProxy Version reported by the node.'),
          osImage: str('OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).'),
          kernelVersion: str("Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."),
          containerRuntimeVersion: str('ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).'),
          operatingSystem: str('The Operating System reported by the node'),
          architecture: str('The Architecture reported by the node'),
        }),
      }),
    }),
    printerColumns: [
      computed('Status', 'string', nodeStatus, { description: 'The status of the node' }),
      computed('Roles', 'string', nodeRoles, { description: 'The roles of the node' }),
      ageColumn,
      col('Version', 'string', '.status.nodeInfo.kubeletVersion', { description: 'Kubelet Version reported by the node.' }),
      computed('Internal-IP', 'string', address('InternalIP'), { priority: 1 }),
      computed('External-IP', 'string', address('ExternalIP'), { priority: 1 }),
      col('OS-Image', 'string', '.status.nodeInfo.osImage', { priority: 1 }),
      col('Kernel-Version', 'string', '.status.nodeInfo.kernelVersion', { priority: 1 }),
      col('Container-Runtime', 'string', '.status.nodeInfo.containerRuntimeVersion', { priority: 1 }),
    ],
    subresources: { status: true },
  });
}

/**
 * The pod template shared by deployments, statefulsets, daemonsets and jobs. The parts that matter to
 * TMC (containers, ports, env, resources, volume mounts, volumes) are typed with kube's
 * strategic-merge and list-type metadata. Pod specs, containers, ports, env, mounts and resources
 * name every field kube's types have (`closed`), the ones not modelled in detail kept as sent, so
 * a real manifest is accepted while a misspelt field is an unknown field; volumes stay open.
 */
import type { JSONSchemaProps } from '../types.js';
import {
  atomicList, bool, enumStr, int32, int64, intOrString, mapList, opaque, partial, quantityMap, str, stringList, stringMap, obj, closed,
} from './build.js';
import { localObjectReferenceSchema, objectMetaSchema } from './meta.js';

const containerPort = closed('ContainerPort represents a network port in a single container.', {
  name: str('If specified, this must be an IANA_SVC_NAME and unique within the pod. Each named port in a pod must have a unique name.'),
  containerPort: int32("Number of port to expose on the pod's IP address. This must be a valid port number, 0 < x < 65536.", { minimum: 1, maximum: 65535 }),
  hostPort: int32('Number of port to expose on the host.'),
  hostIP: str('What host IP to bind the external port to.'),
  protocol: enumStr('Protocol for port. Must be UDP, TCP, or SCTP. Defaults to "TCP".', ['SCTP', 'TCP', 'UDP'], { default: 'TCP' }),
}, [], { required: ['containerPort'] });

const envVar = closed('EnvVar represents an environment variable present in a Container.', {
  name: str('Name of the environment variable. Must be a C_IDENTIFIER.'),
  value: str('Variable references $(VAR_NAME) are expanded using the previously defined environment variables in the container and any service environment variables.'),
  valueFrom: opaque("Source for the environment variable's value. Cannot be used if value is not empty."),
}, [], { required: ['name'] });

const volumeMount = closed('VolumeMount describes a mounting of a Volume within a container.', {
  name: str('This must match the Name of a Volume.'),
  mountPath: str("Path within the container at which the volume should be mounted. Must not contain ':'."),
  readOnly: bool('Mounted read-only if true, read-write otherwise (false or unspecified). Defaults to false.'),
  subPath: str("Path within the volume from which the container's volume should be mounted. Defaults to \"\" (volume's root)."),
}, ['recursiveReadOnly', 'mountPropagation', 'subPathExpr'], { required: ['name', 'mountPath'] });

const resources = closed('Compute Resources required by this container. Cannot be updated.', {
  limits: quantityMap('Limits describes the maximum amount of compute resources allowed.'),
  requests: quantityMap('Requests describes the minimum amount of compute resources required. If Requests is omitted for a container, it defaults to Limits if that is explicitly specified.'),
}, ['claims']);

export const containerSchema: JSONSchemaProps = closed('A single application container that you want to run within a pod.', {
  name: str('Name of the container specified as a DNS_LABEL. Each container in a pod must have a unique name (DNS_LABEL). Cannot be updated.'),
  image: str('Container image name. More info: https://kubernetes.io/docs/concepts/containers/images'),
  command: stringList("Entrypoint array. Not executed within a shell. The container image's ENTRYPOINT is used if this is not provided."),
  args: stringList("Arguments to the entrypoint. The container image's CMD is used if this is not provided."),
  workingDir: str("Container's working directory."),
  ports: mapList('List of ports to expose from the container.', containerPort, ['containerPort', 'protocol'], { mergeKey: 'containerPort' }),
  env: mapList('List of environment variables to set in the container. Cannot be updated.', envVar, ['name'], { mergeKey: 'name' }),
  envFrom: atomicList('List of sources to populate environment variables in the container.', opaque('EnvFromSource represents the source of a set of ConfigMaps or Secrets.')),
  resources,
  volumeMounts: mapList("Pod volumes to mount into the container's filesystem. Cannot be updated.", volumeMount, ['mountPath'], { mergeKey: 'mountPath' }),
  imagePullPolicy: enumStr('Image pull policy. One of Always, Never, IfNotPresent. Defaults to Always if :latest tag is specified, or IfNotPresent otherwise.', ['Always', 'IfNotPresent', 'Never']),
  livenessProbe: opaque('Periodic probe of container liveness. Container will be restarted if the probe fails.'),
  readinessProbe: opaque('Periodic probe of container service readiness. Container will be removed from service endpoints if the probe fails.'),
  startupProbe: opaque('StartupProbe indicates that the Pod has successfully initialized.'),
  lifecycle: opaque('Actions that the management system should take in response to container lifecycle events.'),
  securityContext: opaque('SecurityContext defines the security options the container should be run with.'),
}, ['resizePolicy', 'restartPolicy', 'volumeDevices', 'terminationMessagePath', 'terminationMessagePolicy', 'stdin', 'stdinOnce', 'tty'], { required: ['name'] });

const volume = partial('Volume represents a named volume in a pod that may be accessed by any container in the pod.', {
  name: str("name of the volume. Must be a DNS_LABEL and unique within the pod."),
  configMap: opaque('configMap represents a configMap that should populate this volume.'),
  secret: opaque('secret represents a secret that should populate this volume.'),
  emptyDir: opaque('emptyDir represents a temporary directory that shares a pod\'s lifetime.'),
  persistentVolumeClaim: opaque('persistentVolumeClaimVolumeSource represents a reference to a PersistentVolumeClaim in the same namespace.'),
  projected: opaque('projected items for all in one resources secrets, configmaps, and downward API.'),
  hostPath: opaque('hostPath represents a pre-existing file or directory on the host machine that is directly exposed to the container.'),
}, { required: ['name'] });

const containers = (description: string) =>
  mapList(description, containerSchema, ['name'], { mergeKey: 'name' });

export const podSpecSchema: JSONSchemaProps = closed('Specification of the desired behavior of the pod.', {
  containers: containers('List of containers belonging to the pod. Containers cannot currently be added or removed. There must be at least one container in a Pod. Cannot be updated.'),
  initContainers: containers('List of initialization containers belonging to the pod. Init containers are executed in order prior to containers being started.'),
  volumes: mapList('List of volumes that can be mounted by containers belonging to the pod.', volume, ['name'], { mergeKey: 'name', strategy: 'merge,retainKeys' }),
  restartPolicy: enumStr('Restart policy for all containers within the pod. One of Always, OnFailure, Never. Default to Always.', ['Always', 'Never', 'OnFailure']),
  terminationGracePeriodSeconds: int64('Optional duration in seconds the pod needs to terminate gracefully. Defaults to 30 seconds.'),
  activeDeadlineSeconds: int64('Optional duration in seconds the pod may be active on the node relative to StartTime before the system will actively try to mark it failed and kill associated containers.'),
  dnsPolicy: enumStr("Set DNS policy for the pod. Defaults to \"ClusterFirst\".", ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None']),
  nodeSelector: stringMap("NodeSelector is a selector which must be true for the pod to fit on a node.", { 'x-kubernetes-map-type': 'atomic' }),
  serviceAccountName: str('ServiceAccountName is the name of the ServiceAccount to use to run this pod.'),
  serviceAccount: str('DeprecatedServiceAccount is a deprecated alias for ServiceAccountName.'),
  automountServiceAccountToken: bool('AutomountServiceAccountToken indicates whether a service account token should be automatically mounted.'),
  nodeName: str('NodeName indicates in which node this pod is scheduled.'),
  hostNetwork: bool("Host networking requested for this pod. Use the host's network namespace."),
  securityContext: opaque('SecurityContext holds pod-level security attributes and common container settings.'),
  imagePullSecrets: mapList('ImagePullSecrets is an optional list of references to secrets in the same namespace to use for pulling any of the images used by this PodSpec.',
    localObjectReferenceSchema('LocalObjectReference contains enough information to let you locate the referenced object inside the same namespace.'), ['name'], { mergeKey: 'name' }),
  affinity: opaque("If specified, the pod's scheduling constraints."),
  tolerations: atomicList("If specified, the pod's tolerations.", opaque('The pod this Toleration is attached to tolerates any taint that matches the triple <key,value,effect>.')),
  priorityClassName: str('If specified, indicates the pod\'s priority.'),
  schedulerName: str('If specified, the pod will be dispatched by specified scheduler.'),
}, ['ephemeralContainers', 'hostPID', 'hostIPC', 'shareProcessNamespace', 'hostname', 'subdomain', 'hostAliases', 'priority', 'dnsConfig', 'readinessGates', 'runtimeClassName', 'enableServiceLinks', 'preemptionPolicy', 'overhead', 'topologySpreadConstraints', 'setHostnameAsFQDN', 'os', 'hostUsers', 'schedulingGates', 'resourceClaims', 'resources'], { required: ['containers'] });

export const podTemplateSpecSchema: JSONSchemaProps = obj('Template describes the pods that will be created.', {
  metadata: objectMetaSchema,
  spec: podSpecSchema,
});

/** The containers of a pod template, for the Containers/Images wide columns. */
export function templateContainers(o: { spec?: { template?: { spec?: { containers?: Array<{ name?: string; image?: string }> } } } }) {
  return o.spec?.template?.spec?.containers ?? [];
}

export { intOrString };

/**
 * apps/v1 workloads (deployments, statefulsets, daemonsets) and batch/v1 jobs: the types the compute
 * export serves and physical clusters run. Spec and status are typed where TMC reads or writes them
 * (replicas, selector, template, status counters, conditions); specs name every field kube has
 * (unknown ones are refused or warned about per fieldValidation), statuses keep what they are sent.
 */
import type { JSONSchemaProps, ResourceDef } from '../types.js';
import type { KubeObject } from '../../storage/types.js';
import {
  ageColumn, atomicList, bool, builtinDef, col, computed, enumStr, int32, int64, intOrString, opaque, partial, str, closed,
} from './build.js';
import { conditionsSchema, labelSelectorSchema, rootSchema } from './meta.js';
import { podTemplateSpecSchema } from './pod.js';
import { validateTemplateOwner, type TemplateOwnerRules } from './validation.js';
import { defaultDaemonSet, defaultDeployment, defaultJob, defaultStatefulSet, generateJobSelector } from './defaults.js';
import { containerImages, containerNames, mapString, selectorString, shortDuration } from './print.js';

/** validate and validateUpdate of a pod-template owner. */
const templateRules = (rules: TemplateOwnerRules) => ({
  validate: (o: KubeObject) => validateTemplateOwner(o, rules),
  validateUpdate: (o: KubeObject) => validateTemplateOwner(o, rules),
});

const SCALE = { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' };

const selector = labelSelectorSchema('Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment. It must match the pod template\'s labels.');
const replicas = (what: string) => int32(`Number of desired pods. This is a pointer to distinguish between explicit zero and not specified. Defaults to 1. (${what})`, { default: 1, minimum: 0 });
const revisionHistoryLimit = int32('The number of old ReplicaSets to retain to allow rollback. Defaults to 10.', { default: 10 });
const minReadySeconds = int32('Minimum number of seconds for which a newly created pod should be ready without any of its container crashing, for it to be considered available. Defaults to 0.');
const observedGeneration = int64('The generation observed by the controller.');
const collisionCount = int32('Count of hash collisions. The controller uses this field as a collision avoidance mechanism when it needs to create the name for the newest ControllerRevision.');

const wideContainerColumns = [
  computed('Containers', 'string', containerNames, { priority: 1, description: 'Names of each container in the template.' }),
  computed('Images', 'string', containerImages, { priority: 1, description: 'Images referenced by each container in the template.' }),
  computed('Selector', 'string', (o) => selectorString(o.spec?.selector), { priority: 1, description: 'Label selector for pods.' }),
];

const ready = (readyField: string) => (o: Record<string, any>) => `${o.status?.[readyField] ?? 0}/${o.spec?.replicas ?? 0}`;

export function deploymentDef(): ResourceDef {
  const rollingUpdate: JSONSchemaProps = closed('Rolling update config params. Present only if DeploymentStrategyType = RollingUpdate.', {
    maxUnavailable: intOrString('The maximum number of pods that can be unavailable during the update. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%). Defaults to 25%.'),
    maxSurge: intOrString('The maximum number of pods that can be scheduled above the desired number of pods. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%). Defaults to 25%.'),
  }, []);
  return builtinDef({
    group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespaced: true,
    shortNames: ['deploy'], categories: ['all'],
    schema: rootSchema('Deployment enables declarative updates for Pods and ReplicaSets.', {
      spec: closed('Specification of the desired behavior of the Deployment.', {
        replicas: replicas('spec.replicas'),
        selector,
        template: podTemplateSpecSchema,
        strategy: closed('The deployment strategy to use to replace existing pods with new ones.', {
          type: enumStr('Type of deployment. Can be "Recreate" or "RollingUpdate". Default is RollingUpdate.', ['Recreate', 'RollingUpdate'], { default: 'RollingUpdate' }),
          rollingUpdate,
        }, [], { 'x-kubernetes-patch-strategy': 'retainKeys' }),
        minReadySeconds,
        revisionHistoryLimit,
        paused: bool('Indicates that the deployment is paused.'),
        progressDeadlineSeconds: int32('The maximum time in seconds for a deployment to make progress before it is considered to be failed. Defaults to 600s.', { default: 600 }),
      }, [], { required: ['selector', 'template'] }),
      status: partial('Most recently observed status of the Deployment.', {
        observedGeneration,
        replicas: int32('Total number of non-terminating pods targeted by this deployment (their labels match the selector).'),
        updatedReplicas: int32('Total number of non-terminating pods targeted by this deployment that have the desired template spec.'),
        readyReplicas: int32('Total number of non-terminating pods targeted by this Deployment with a Ready Condition.'),
        availableReplicas: int32('Total number of available non-terminating pods (ready for at least minReadySeconds) targeted by this deployment.'),
        unavailableReplicas: int32('Total number of unavailable pods targeted by this deployment.'),
        terminatingReplicas: int32('Total number of terminating pods targeted by this deployment.'),
        conditions: conditionsSchema("Represents the latest available observations of a deployment's current state."),
        collisionCount,
      }),
    }),
    printerColumns: [
      computed('Ready', 'string', ready('readyReplicas'), { description: 'Number of the pod with ready state' }),
      col('Up-to-date', 'integer', '.status.updatedReplicas', { description: 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.' }),
      col('Available', 'integer', '.status.availableReplicas', { description: 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.' }),
      ageColumn, ...wideContainerColumns,
    ],
    subresources: { status: true, scale: SCALE },
    strategy: { defaults: defaultDeployment, ...templateRules({ kind: 'deployment' }) },
  });
}

export function statefulSetDef(): ResourceDef {
  return builtinDef({
    group: 'apps', version: 'v1', resource: 'statefulsets', kind: 'StatefulSet', namespaced: true,
    shortNames: ['sts'], categories: ['all'],
    schema: rootSchema('StatefulSet represents a set of pods with consistent identities.', {
      spec: closed('Spec defines the desired identities of pods in this set.', {
        replicas: replicas('spec.replicas'),
        selector,
        template: podTemplateSpecSchema,
        serviceName: str('serviceName is the name of the service that governs this StatefulSet.'),
        volumeClaimTemplates: atomicList('volumeClaimTemplates is a list of claims that pods are allowed to reference.', opaque('PersistentVolumeClaim is a user\'s request for and claim to a persistent volume')),
        podManagementPolicy: enumStr('podManagementPolicy controls how pods are created during initial scale up, when replacing pods on nodes, or when scaling down.', ['OrderedReady', 'Parallel'], { default: 'OrderedReady' }),
        updateStrategy: opaque('updateStrategy indicates the StatefulSetUpdateStrategy that will be employed to update Pods in the StatefulSet when a revision is made to Template.'),
        revisionHistoryLimit,
        minReadySeconds,
      }, ['persistentVolumeClaimRetentionPolicy', 'ordinals'], { required: ['selector', 'template'] }),
      status: partial('Status is the current status of Pods in this StatefulSet.', {
        observedGeneration,
        replicas: int32('replicas is the number of Pods created by the StatefulSet controller.'),
        readyReplicas: int32('readyReplicas is the number of pods created for this StatefulSet with a Ready Condition.'),
        currentReplicas: int32('currentReplicas is the number of Pods created by the StatefulSet controller from the StatefulSet version indicated by currentRevision.'),
        updatedReplicas: int32('updatedReplicas is the number of Pods created by the StatefulSet controller from the StatefulSet version indicated by updateRevision.'),
        availableReplicas: int32('Total number of available pods (ready for at least minReadySeconds) targeted by this statefulset.'),
        currentRevision: str('currentRevision, if not empty, indicates the version of the StatefulSet used to generate Pods in the sequence [0,currentReplicas).'),
        updateRevision: str('updateRevision, if not empty, indicates the version of the StatefulSet used to generate Pods in the sequence [replicas-updatedReplicas,replicas)'),
        conditions: conditionsSchema("Represents the latest available observations of a statefulset's current state."),
        collisionCount,
      }),
    }),
    printerColumns: [computed('Ready', 'string', ready('readyReplicas'), { description: 'Number of the pod with ready state' }), ageColumn, ...wideContainerColumns.slice(0, 2)],
    subresources: { status: true, scale: SCALE },
    strategy: { defaults: defaultStatefulSet, ...templateRules({ kind: 'statefulset' }) },
  });
}

export function daemonSetDef(): ResourceDef {
  return builtinDef({
    group: 'apps', version: 'v1', resource: 'daemonsets', kind: 'DaemonSet', namespaced: true,
    shortNames: ['ds'], categories: ['all'],
    schema: rootSchema('DaemonSet represents the configuration of a daemon set.', {
      spec: closed('The desired behavior of this daemon set.', {
        selector,
        template: podTemplateSpecSchema,
        updateStrategy: opaque('An update strategy to replace existing DaemonSet pods with new pods.'),
        minReadySeconds,
        revisionHistoryLimit,
      }, [], { required: ['selector', 'template'] }),
      status: partial('The current status of this daemon set.', {
        currentNumberScheduled: int32('The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.'),
        numberMisscheduled: int32('The number of nodes that are running the daemon pod, but are not supposed to run the daemon pod.'),
        desiredNumberScheduled: int32('The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod).'),
        numberReady: int32('numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.'),
        observedGeneration,
        updatedNumberScheduled: int32('The total number of nodes that are running updated daemon pod'),
        numberAvailable: int32('The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.'),
        numberUnavailable: int32('The number of nodes that should be running the daemon pod and have none of the daemon pod running and available.'),
        conditions: conditionsSchema("Represents the latest available observations of a DaemonSet's current state."),
        collisionCount,
      }),
    }),
    printerColumns: [
      col('Desired', 'integer', '.status.desiredNumberScheduled'),
      col('Current', 'integer', '.status.currentNumberScheduled'),
      col('Ready', 'integer', '.status.numberReady'),
      col('Up-to-date', 'integer', '.status.updatedNumberScheduled'),
      col('Available', 'integer', '.status.numberAvailable'),
      computed('Node Selector', 'string', (o) => mapString(o.spec?.template?.spec?.nodeSelector)),
      ageColumn, ...wideContainerColumns,
    ],
    subresources: { status: true },
    strategy: { defaults: defaultDaemonSet, ...templateRules({ kind: 'daemonset' }) },
  });
}

/** Jobs: Completions `succeeded/completions`, Duration from start to completion (or now). */
export function jobDef(): ResourceDef {
  return builtinDef({
    group: 'batch', version: 'v1', resource: 'jobs', kind: 'Job', namespaced: true, categories: ['all'],
    schema: rootSchema('Job represents the configuration of a single job.', {
      spec: closed('Specification of the desired behavior of a job.', {
        parallelism: int32('Specifies the maximum desired number of pods the job should run at any given time. Defaults to 1.'),
        completions: int32('Specifies the desired number of successfully finished pods the job should be run with.'),
        activeDeadlineSeconds: int64('Specifies the duration in seconds relative to the startTime that the job may be continuously active before the system tries to terminate it.'),
        backoffLimit: int32('Specifies the number of retries before marking this job failed. Defaults to 6.'),
        selector: labelSelectorSchema('A label query over pods that should match the pod count.'),
        manualSelector: bool('manualSelector controls generation of pod labels and pod selectors.'),
        template: podTemplateSpecSchema,
        ttlSecondsAfterFinished: int32('ttlSecondsAfterFinished limits the lifetime of a Job that has finished execution (either Complete or Failed).'),
        completionMode: enumStr('completionMode specifies how Pod completions are tracked. It can be `NonIndexed` (default) or `Indexed`.', ['Indexed', 'NonIndexed']),
        suspend: bool('suspend specifies whether the Job controller should create Pods or not.'),
      }, ['podFailurePolicy', 'successPolicy', 'backoffLimitPerIndex', 'maxFailedIndexes', 'podReplacementPolicy', 'managedBy'], { required: ['template'] }),
      status: partial('Current status of a job.', {
        conditions: atomicList('The latest available observations of an object\'s current state.', opaque('JobCondition describes current state of a job.')),
        startTime: { type: 'string', format: 'date-time', description: 'Represents time when the job controller started processing a job.' },
        completionTime: { type: 'string', format: 'date-time', description: 'Represents time when the job was completed.' },
        active: int32('The number of pending and running pods which are not terminating.'),
        succeeded: int32('The number of pods which reached phase Succeeded.'),
        failed: int32('The number of pods which reached phase Failed.'),
        ready: int32('The number of active pods which have a Ready condition and are not terminating.'),
      }),
    }),
    printerColumns: [
      computed('Status', 'string', jobStatus),
      computed('Completions', 'string', (o) => `${o.status?.succeeded ?? 0}/${o.spec?.completions ?? 1}`),
      computed('Duration', 'string', (o) => {
        const start = o.status?.startTime;
        if (!start) return '';
        const end = o.status?.completionTime ? Date.parse(o.status.completionTime) : Date.now();
        return shortDuration(end - Date.parse(start));
      }),
      ageColumn, ...wideContainerColumns,
    ],
    subresources: { status: true },
    strategy: { defaults: defaultJob, prepareForCreate: generateJobSelector, ...templateRules({ kind: 'job', selectorOptional: true, jobRestartPolicy: true }) },
  });
}

function jobStatus(o: Record<string, any>): string {
  const conds: Array<{ type?: string; status?: string }> = o.status?.conditions ?? [];
  const isTrue = (t: string) => conds.some((c) => c.type === t && c.status === 'True');
  if (isTrue('Complete')) return 'Complete';
  if (isTrue('Failed')) return 'Failed';
  if (isTrue('Suspended')) return 'Suspended';
  return 'Running';
}

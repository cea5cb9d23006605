/**
 * core/v1 types built into every workspace: namespaces, configmaps, secrets, serviceaccounts and
 * events (plus events.k8s.io/v1 events).
 */
import type { ResourceDef } from '../types.js';
import type { KubeObject } from '../../storage/types.js';
import {
  ageColumn, atomicList, bool, builtinDef, col, computed, enumStr, int32, list, obj, str, stringMap, time,
} from './build.js';
import { conditionsSchema, localObjectReferenceSchema, objectReferenceSchema, rootSchema } from './meta.js';
import { keyCount } from './print.js';
import { configMapStrategy, namespaceStrategy, secretStrategy } from './core-strategies.js';

export function namespaceDef(): ResourceDef {
  return builtinDef({
    group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false, shortNames: ['ns'],
    schema: rootSchema('Namespace provides a scope for Names. Use of multiple namespaces is optional.', {
      spec: obj('Spec defines the behavior of the Namespace.', {
        finalizers: atomicList('Finalizers is an opaque list of values that must be empty to permanently remove object from storage.', { type: 'string' }),
      }),
      status: obj('Status describes the current status of a Namespace.', {
        phase: enumStr('Phase is the current lifecycle phase of the namespace.', ['Active', 'Terminating']),
        conditions: conditionsSchema('Represents the latest available observations of a namespace\'s current state.'),
      }),
    }),
    printerColumns: [col('Status', 'string', '.status.phase', { description: 'The status of the namespace' }), ageColumn],
    subresources: { status: true },
    strategy: namespaceStrategy,
  });
}

export function configMapDef(): ResourceDef {
  return builtinDef({
    group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true, shortNames: ['cm'],
    schema: rootSchema('ConfigMap holds configuration data for pods to consume.', {
      data: stringMap("Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'."),
      binaryData: { type: 'object', description: 'BinaryData contains the binary data. Each key must consist of alphanumeric characters, \'-\', \'_\' or \'.\'. Values are base64-encoded bytes.', additionalProperties: { type: 'string', format: 'byte' } },
      immutable: bool('Immutable, if set to true, ensures that data stored in the ConfigMap cannot be updated (only object metadata can be modified).'),
    }),
    printerColumns: [computed('Data', 'integer', (o) => keyCount(o.data, o.binaryData), { description: 'Number of keys in data and binaryData' }), ageColumn],
    strategy: configMapStrategy,
  });
}

export function secretDef(): ResourceDef {
  return builtinDef({
    group: '', version: 'v1', resource: 'secrets', kind: 'Secret', namespaced: true,
    schema: rootSchema('Secret holds secret data of a certain type. The total bytes of the values in the Data field must be less than MaxSecretSize bytes.', {
      data: { type: 'object', description: 'Data contains the secret data. Each key must consist of alphanumeric characters, \'-\', \'_\' or \'.\'. The serialized form of the secret data is a base64 encoded string.', additionalProperties: { type: 'string', format: 'byte' } },
      stringData: stringMap('stringData allows specifying non-binary secret data in string form. It is provided as a write-only input field for convenience. All keys and values are merged into the data field on write, overwriting any existing values.'),
      type: str('Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types', { default: 'Opaque' }),
      immutable: bool('Immutable, if set to true, ensures that data stored in the Secret cannot be updated (only object metadata can be modified).'),
    }),
    printerColumns: [col('Type', 'string', '.type'), computed('Data', 'integer', (o) => keyCount(o.data)), ageColumn],
    strategy: secretStrategy,
  });
}

export function serviceAccountDef(): ResourceDef {
  const ref = objectReferenceSchema('ObjectReference contains enough information to let you inspect or modify the referred object.');
  return builtinDef({
    group: '', version: 'v1', resource: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true, shortNames: ['sa'],
    schema: rootSchema('ServiceAccount binds together: a name, understood by users, and perhaps by peripheral systems, for an identity; a principal that can be authenticated and authorized; a set of secrets.', {
      secrets: list('Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.', ref,
        { 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge' }),
      imagePullSecrets: atomicList('ImagePullSecrets is a list of references to secrets in the same namespace to use for pulling any images in pods that reference this ServiceAccount.',
        localObjectReferenceSchema('LocalObjectReference contains enough information to let you locate the referenced object inside the same namespace.')),
      automountServiceAccountToken: bool('AutomountServiceAccountToken indicates whether pods running as this service account should have an API token automatically mounted.'),
    }),
    printerColumns: [computed('Secrets', 'integer', (o) => (Array.isArray(o.secrets) ? o.secrets.length : 0)), ageColumn],
  });
}

const eventSource = obj('EventSource contains information for an event.', {
  component: str('Component from which the event is generated.'),
  host: str('Node name on which the event is generated.'),
});

const eventSeries = obj('EventSeries contain information on series of events, i.e. thing that was/is happening continuously for some time.', {
  count: int32('Number of occurrences in this series up to the last heartbeat time.'),
  lastObservedTime: time('Time of the last occurrence observed.'),
});

const objectColumn = computed('Object', 'string', (o) => {
  const ref = (o.involvedObject ?? o.regarding ?? {}) as { kind?: string; name?: string };
  return `${(ref.kind ?? '').toLowerCase()}/${ref.name ?? ''}`;
});

const lastSeen = (o: Record<string, unknown>) =>
  (o.series as { lastObservedTime?: string } | undefined)?.lastObservedTime ?? o.lastTimestamp ?? o.eventTime ?? o.deprecatedLastTimestamp ?? (o.metadata as { creationTimestamp?: string }).creationTimestamp;

/**
 * The field selectors kube serves for Events (pkg/registry/core/event/strategy.go ToSelectableFields):
 * `kubectl describe` finds an object's Events with involvedObject.{kind,namespace,name,uid}.
 */
function eventFields(refField: 'involvedObject' | 'regarding', controllerField: string,
  sourceOf: (o: Record<string, unknown>) => string | undefined): Record<string, (o: KubeObject) => string | undefined> {
  const refPart = (part: string) => (o: KubeObject) => {
    const v = ((o as Record<string, unknown>)[refField] as Record<string, unknown> | undefined)?.[part];
    return v === undefined ? '' : String(v);
  };
  const fields: Record<string, (o: KubeObject) => string | undefined> = {
    reason: (o) => String((o as Record<string, unknown>).reason ?? ''),
    type: (o) => String((o as Record<string, unknown>).type ?? ''),
    [controllerField]: (o) => String((o as Record<string, unknown>)[controllerField] ?? ''),
    source: (o) => sourceOf(o as Record<string, unknown>) ?? String((o as Record<string, unknown>)[controllerField] ?? ''),
  };
  for (const part of ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath']) {
    fields[`${refField}.${part}`] = refPart(part);
  }
  return fields;
}

export function eventDef(): ResourceDef {
  return builtinDef({
    group: '', version: 'v1', resource: 'events', kind: 'Event', namespaced: true, shortNames: ['ev'],
    schema: rootSchema('Event is a report of an event somewhere in the cluster.', {
      involvedObject: objectReferenceSchema('The object that this event is about.'),
      reason: str('This should be a short, machine understandable string that gives the reason for the transition into the object\'s current status.'),
      message: str('A human-readable description of the status of this operation.'),
      source: eventSource,
      firstTimestamp: time('The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)'),
      lastTimestamp: time('The time at which the most recent occurrence of this event was recorded.'),
      count: int32('The number of times this event has occurred.'),
      type: str('Type of this event (Normal, Warning), new types could be added in the future'),
      eventTime: time('Time when this Event was first observed.'),
      series: eventSeries,
      action: str('What action was taken/failed regarding to the Regarding object.'),
      related: objectReferenceSchema('Optional secondary object for more complex actions.'),
      reportingComponent: str('Name of the controller that emitted this Event, e.g. `kubernetes.io/kubelet`.'),
      reportingInstance: str('ID of the controller instance, e.g. `kubelet-xyzf`.'),
    }, { required: ['metadata', 'involvedObject'] }),
    strategy: { selectableFields: eventFields('involvedObject', 'reportingComponent', (o) => (o.source as { component?: string } | undefined)?.component) },
    printerColumns: [
      computed('Last Seen', 'date', lastSeen),
      col('Type', 'string', '.type'),
      col('Reason', 'string', '.reason'),
      objectColumn,
      col('Subobject', 'string', '.involvedObject.fieldPath', { priority: 1 }),
      computed('Source', 'string', (o) => [o.source?.component, o.source?.host].filter(Boolean).join(', ') || o.reportingComponent || '', { priority: 1 }),
      col('Message', 'string', '.message'),
      col('First Seen', 'date', '.firstTimestamp', { priority: 1 }),
      col('Count', 'integer', '.count', { priority: 1 }),
    ],
  });
}

export function eventsV1Def(): ResourceDef {
  return builtinDef({
    group: 'events.k8s.io', version: 'v1', resource: 'events', kind: 'Event', namespaced: true, shortNames: ['ev'],
    schema: rootSchema('Event is a report of an event somewhere in the cluster. It generally denotes some state change in the system.', {
      eventTime: time('eventTime is the time when this Event was first observed. It is required.'),
      series: eventSeries,
      reportingController: str('reportingController is the name of the controller that emitted this Event, e.g. `kubernetes.io/kubelet`.'),
      reportingInstance: str('reportingInstance is the ID of the controller instance, e.g. `kubelet-xyzf`.'),
      action: str('action is what action was taken/failed regarding to the regarding object.'),
      reason: str('reason is why the action was taken. It is human-readable.'),
      regarding: objectReferenceSchema('regarding contains the object this Event is about.'),
      related: objectReferenceSchema('related is the optional secondary object for more complex actions.'),
      note: str('note is a human-readable description of the status of this operation. Maximal length of the note is 1kB.'),
      type: str('type is the type of this event (Normal, Warning), new types could be added in the future.'),
      deprecatedSource: eventSource,
      deprecatedFirstTimestamp: time('deprecatedFirstTimestamp is the deprecated field assuring backward compatibility with core.v1 Event type.'),
      deprecatedLastTimestamp: time('deprecatedLastTimestamp is the deprecated field assuring backward compatibility with core.v1 Event type.'),
      deprecatedCount: int32('deprecatedCount is the deprecated field assuring backward compatibility with core.v1 Event type.'),
    }, { required: ['eventTime'] }),
    strategy: { selectableFields: eventFields('regarding', 'reportingController', (o) => (o.deprecatedSource as { component?: string } | undefined)?.component) },
    printerColumns: [
      computed('Last Seen', 'date', lastSeen), col('Type', 'string', '.type'), col('Reason', 'string', '.reason'),
      objectColumn, col('Message', 'string', '.note'),
    ],
  });
}


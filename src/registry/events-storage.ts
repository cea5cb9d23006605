/**
 * One storage for both Event APIs, as kube-apiserver keeps them: `events.k8s.io/v1` Events are
 * stored as core/v1 Events (resource `events`), so an Event a controller writes through the new API
 * is listed by `kubectl get events` and shown by `kubectl describe` (which read core/v1), and the
 * other way round. Reads of `events.k8s.io/events` convert on the way out; writes convert on the
 * way in; resourceVersions are shared, so a watch on either API sees every Event once.
 *
 * The field mapping is kube's (pkg/apis/events/v1/conversion.go): regarding ↔ involvedObject,
 * note ↔ message, reportingController ↔ reportingComponent, deprecatedSource ↔ source,
 * deprecatedFirstTimestamp/LastTimestamp/Count ↔ firstTimestamp/lastTimestamp/count.
 */
import type { KubeObject } from '../storage/types.js';
import type { StoredConversion } from './converted-storage.js';

export const EVENTS_V1_RESOURCE = 'events.k8s.io/events';
export const CORE_EVENTS_RESOURCE = 'events';

/** events.k8s.io field ↔ core/v1 field; the rest (reason, type, action, related, eventTime, series, reportingInstance) keep their names. */
const RENAMED: ReadonlyArray<[string, string]> = [
  ['regarding', 'involvedObject'], ['note', 'message'], ['reportingController', 'reportingComponent'],
  ['deprecatedSource', 'source'], ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'], ['deprecatedCount', 'count'],
];

function rename(obj: KubeObject, pairs: ReadonlyArray<[string, string]>, apiVersion: string): KubeObject {
  const out: Record<string, unknown> = { ...obj, apiVersion };
  for (const [from, to] of pairs) {
    if (from in out) {
      if (out[from] !== undefined) out[to] = out[from];
      delete out[from];
    }
  }
  return out as KubeObject;
}

const TO_V1: ReadonlyArray<[string, string]> = RENAMED.map(([v1, core]) => [core, v1]);

/** A stored (core/v1) Event as events.k8s.io/v1 shows it. */
export function eventToV1(stored: KubeObject): KubeObject {
  return rename(stored, TO_V1, 'events.k8s.io/v1');
}

/** An events.k8s.io/v1 Event as it is stored (core/v1). */
export function eventToCore(v1: KubeObject): KubeObject {
  return rename(v1, RENAMED, 'v1');
}

/** How events.k8s.io/v1 Events are kept: under core/v1's storage key, converted both ways (converted-storage.ts). */
export const EVENTS_V1_STORAGE: StoredConversion = {
  alias: EVENTS_V1_RESOURCE,
  stored: CORE_EVENTS_RESOURCE,
  toStored: eventToCore,
  fromStored: eventToV1,
};

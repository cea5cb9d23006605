/**
 * The Events and metrics of a ClusterRegistration pass, from the committed difference: Ready
 * transitions (ClusterReady / ClusterNotReady, with the condition's reason and message) and
 * taints added (TaintAdded), so `kubectl describe clusterregistration` tells the story; the
 * `tmc_cluster_*` gauges follow the committed status.
 */
import type { ClusterRegistration } from '../../apis/tmc/index.js';
import type { EventSink } from '../../controllers/event-recorder.js';
import { clusterHeartbeatAge, clusterReady, clusterReadyTransitionsTotal } from '../../observability/tmc-metrics.js';
import { ConditionType } from './constants.js';

const readyOf = (r: ClusterRegistration) => r.status?.conditions?.find((c) => c.type === ConditionType.Ready);

export function clusterEvents(events: EventSink, before: ClusterRegistration, after: ClusterRegistration, now: number): void {
  const name = after.metadata.name as string;
  const regarding = { ...after, apiVersion: after.apiVersion ?? 'tmc.kcp.io/v1alpha1', kind: after.kind ?? 'ClusterRegistration' };
  const was = readyOf(before);
  const is = readyOf(after);
  clusterReady.set({ cluster: name }, is?.status === 'True' ? 1 : 0);
  const beat = after.status?.lastHeartbeatTime ? Date.parse(after.status.lastHeartbeatTime) : NaN;
  if (Number.isFinite(beat)) clusterHeartbeatAge.set({ cluster: name }, Math.max(0, (now - beat) / 1000));
  if (is && is.status !== was?.status) {
    clusterReadyTransitionsTotal.inc({ cluster: name, status: is.status });
    const ready = is.status === 'True';
    events.event(regarding, ready ? 'Normal' : 'Warning', ready ? 'ClusterReady' : 'ClusterNotReady', 'Probe',
      `Ready ${was?.status ?? 'unset'} → ${is.status}${is.reason ? ` (${is.reason})` : ''}${is.message ? `: ${is.message}` : ''}`);
  }
  const had = new Set((before.spec.taints ?? []).map((t) => `${t.key}=${t.value ?? ''}:${t.effect}`));
  for (const t of after.spec.taints ?? []) {
    const id = `${t.key}=${t.value ?? ''}:${t.effect}`;
    if (had.has(id)) continue;
    events.event(regarding, 'Warning', 'TaintAdded', 'Taint',
      `taint ${t.key}${t.value ? `=${t.value}` : ''}:${t.effect} added${t.key === 'tmc.kcp.io/unreachable' ? ': no heartbeat within the threshold' : ''}`);
  }
}

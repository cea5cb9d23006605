/**
 * The health logic of one ClusterRegistration, with every I/O injected (`probe`, `now`) so it is
 * tested without servers or timers. It computes the desired object and when to look again; the
 * controller commits the difference (spec.taints and status go in separate patches).
 *
 * Steps, in order:
 * 1. identity: status.clusterKey and the syncer virtual workspace URL;
 * 2. connectivity: Push probes the cluster (Reachable, Authorized, ResourcesCompatible, capacity,
 *    capabilities, syncedResources, lastHeartbeatTime); Pull only reads the agent's heartbeat;
 * 3. heartbeat: older than the threshold → the NoSchedule taint `tmc.kcp.io/unreachable`; fresh
 *    again → the taint goes;
 * 4. Schedulable: spec.unschedulable (cordon) and spec.evictAfter (drain) as a condition — the
 *    placement controller acts on the spec, this only makes it visible;
 * 5. Ready: the summary.
 */
import { findCondition, setCondition } from '../../apis/conditions.js';
import { rfc3339 } from '../../apis/time.js';
import type { ClusterRegistration, Condition, SyncedResource } from '../../apis/tmc/index.js';
import { clusterKey } from '../../apis/contract.js';
import { deepCopy } from '../../machinery/objects.js';
import type { ClusterFacts, ProbeResult } from './cluster-probe.js';
import { ConditionType, DEFAULT_SYNCED_RESOURCES, Reason } from './constants.js';
import type { ConditionInput } from './conditions.js';
import { heartbeatAge, withUnreachableTaint } from './health.js';
import { applyCapacityOverride } from './resource-sums.js';

export interface ReconcileDeps {
  now(): number;
  heartbeatIntervalMs: number;
  heartbeatThresholdMs: number;
  /** The TMC server's external URL, for status.virtualWorkspaces. */
  serverURL(): string;
  /** Push mode: one health check of the physical cluster. */
  probe(registration: ClusterRegistration, workspace: string, clusterKey: string): Promise<ProbeResult>;
}

export interface ReconcileOutput {
  registration: ClusterRegistration;
  /** When to reconcile again (the next heartbeat, or sooner when something expires). */
  requeueAfterMs: number;
}

interface State {
  next: ClusterRegistration;
  workspace: string;
  now: number;
  nowISO: string;
  deps: ReconcileDeps;
  probe?: ProbeResult;
}

export async function reconcileClusterRegistration(
  current: ClusterRegistration, workspace: string, deps: ReconcileDeps,
): Promise<ReconcileOutput> {
  const now = deps.now();
  const next = deepCopy(current);
  next.status ??= {};
  const state: State = { next, workspace, now, nowISO: rfc3339(now), deps };

  reconcileIdentity(state);
  if (isPull(next)) reconcilePullHeartbeat(state);
  else await reconcilePushProbe(state);
  const age = heartbeatAge(next, now, deps.heartbeatThresholdMs);
  next.spec.taints = withUnreachableTaint(next.spec.taints, age.stale, state.nowISO);
  if (next.spec.taints === undefined) delete next.spec.taints;
  reconcileSchedulable(state);
  reconcileReady(state, age.stale, age.everHeartbeated);

  return { registration: next, requeueAfterMs: requeueAfter(state, age.stale ? Infinity : age.msUntilStale + 1) };
}

function isPull(r: ClusterRegistration): boolean {
  return r.spec.syncMode === 'Pull';
}

function setCond(state: State, input: ConditionInput): void {
  const status = state.next.status!;
  const generation = state.next.metadata.generation as number | undefined;
  status.conditions = setCondition<Condition>(status.conditions, { ...input, ...(generation !== undefined ? { observedGeneration: generation } : {}) }, state.nowISO);
}

/** Keeps an existing condition, or sets `fallback` when there is none yet. */
function keepOr(state: State, fallback: ConditionInput): void {
  if (!findCondition(state.next.status?.conditions, fallback.type)) setCond(state, fallback);
}

// 1. identity
function reconcileIdentity(state: State): void {
  const { next, workspace } = state;
  const status = next.status!;
  status.clusterKey ??= clusterKey(workspace, next.metadata.name as string);
  const base = state.deps.serverURL().replace(/\/+$/, '');
  if (base && next.metadata.uid) {
    status.virtualWorkspaces = [{ url: `${base}/services/syncer/${workspace}/${next.metadata.name}/${next.metadata.uid}` }];
  }
}

// 2a. pull: the agent patches lastHeartbeatTime itself; only its age is judged here
function reconcilePullHeartbeat(state: State): void {
  const age = heartbeatAge(state.next, state.now, state.deps.heartbeatThresholdMs);
  const ago = `${Math.round((state.now - age.since) / 1000)}s`;
  if (!age.everHeartbeated) {
    const waiting = { status: 'Unknown' as const, reason: Reason.AwaitingAgent, message: 'no heartbeat from the pull agent (tmc-syncer) yet' };
    setCond(state, { type: ConditionType.Reachable, ...waiting });
    setCond(state, { type: ConditionType.Authorized, ...waiting });
  } else if (age.stale) {
    setCond(state, { type: ConditionType.Reachable, status: 'False', reason: Reason.HeartbeatMissed, message: `last agent heartbeat ${ago} ago` });
  } else {
    setCond(state, { type: ConditionType.Reachable, status: 'True', reason: Reason.HeartbeatReceived, message: 'the pull agent is heartbeating' });
    setCond(state, { type: ConditionType.Authorized, status: 'True', reason: Reason.HeartbeatReceived, message: 'the pull agent\'s heartbeat was accepted' });
  }
  keepOr(state, { type: ConditionType.ResourcesCompatible, status: 'Unknown', reason: Reason.NotProbed, message: 'pull mode: the agent reports the cluster\'s resources' });
}

// 2b. push: probe the cluster
async function reconcilePushProbe(state: State): Promise<void> {
  const status = state.next.status!;
  const probe = await state.deps.probe(state.next, state.workspace, status.clusterKey!);
  state.probe = probe;
  const notProbed = (message: string): ConditionInput => ({ type: '', status: 'Unknown', reason: Reason.NotProbed, message });
  switch (probe.kind) {
    case 'healthy':
    case 'failed':
    case 'unauthorized':
      status.lastHeartbeatTime = state.nowISO;
      setCond(state, { type: ConditionType.Reachable, status: 'True', reason: Reason.Reachable, message: 'the API server answered' });
      break;
    case 'unreachable':
      setCond(state, { type: ConditionType.Reachable, status: 'False', reason: Reason.Unreachable, message: probe.message });
      break;
    case 'misconfigured':
      setCond(state, { ...notProbed(`not contacted: ${probe.message}`), type: ConditionType.Reachable });
      break;
  }
  if (probe.kind === 'unauthorized' || probe.kind === 'misconfigured') {
    setCond(state, { type: ConditionType.Authorized, status: 'False', reason: probe.reason, message: probe.message });
  } else if (probe.kind === 'healthy' || probe.kind === 'failed') {
    setCond(state, { type: ConditionType.Authorized, status: 'True', reason: Reason.Authorized, message: 'the credentials were accepted' });
  } else {
    keepOr(state, { ...notProbed('the cluster has not answered yet'), type: ConditionType.Authorized });
  }
  if (probe.kind === 'healthy') recordFacts(state, probe.facts);
  else keepOr(state, { ...notProbed('the cluster has not been probed successfully yet'), type: ConditionType.ResourcesCompatible });
}

function recordFacts(state: State, facts: ClusterFacts): void {
  const { next } = state;
  const status = next.status!;
  status.capacity = applyCapacityOverride(facts.capacity, next.spec.capacity as Record<string, unknown> | undefined);
  status.allocatable = facts.allocatable;
  status.allocated = facts.allocated;
  status.capabilities = { kubernetesVersion: facts.kubernetesVersion, nodeCount: facts.nodeCount, apiResources: facts.apiResources };
  const required = next.spec.supportedResources?.length ? next.spec.supportedResources : undefined;
  const synced = syncedResources(required ?? DEFAULT_SYNCED_RESOURCES, facts);
  status.syncedResources = synced;
  const missing = synced.filter((s) => s.state === 'Incompatible').map(qualified);
  if (required && missing.length) {
    setCond(state, { type: ConditionType.ResourcesCompatible, status: 'False', reason: Reason.ResourcesMissing,
      message: `the cluster does not serve ${missing.join(', ')} (listed in spec.supportedResources)` });
  } else {
    setCond(state, { type: ConditionType.ResourcesCompatible, status: 'True', reason: Reason.ResourcesServed,
      message: missing.length ? `not served, so never placed here: ${missing.join(', ')}` : 'the cluster serves every synced resource' });
  }
}

/** `deployments.apps` → {group: apps, resource: deployments}; state from what discovery found. */
export function syncedResources(wanted: readonly string[], facts: ClusterFacts): SyncedResource[] {
  return wanted.map((name) => {
    const dot = name.indexOf('.');
    const resource = dot < 0 ? name : name.slice(0, dot);
    const group = dot < 0 ? '' : name.slice(dot + 1);
    const versions = facts.apiResources.filter((r) => (r.group ?? '') === group && r.resource === resource).map((r) => r.version);
    return { group, resource, versions, state: versions.length ? 'Accepted' as const : 'Incompatible' as const };
  });
}

function qualified(s: SyncedResource): string {
  return s.group ? `${s.resource}.${s.group}` : s.resource;
}

// 4. cordon / drain
function reconcileSchedulable(state: State): void {
  const { spec } = state.next;
  const evictAt = spec.evictAfter ? Date.parse(spec.evictAfter) : NaN;
  if (!Number.isNaN(evictAt) && evictAt <= state.now) {
    setCond(state, { type: ConditionType.Schedulable, status: 'False', reason: Reason.Draining,
      message: `draining since ${spec.evictAfter}: workloads are being moved off this cluster` });
  } else if (spec.unschedulable) {
    const later = Number.isNaN(evictAt) ? '' : `; workloads will be moved off at ${spec.evictAfter}`;
    setCond(state, { type: ConditionType.Schedulable, status: 'False', reason: Reason.Cordoned,
      message: `cordoned (spec.unschedulable): no new workloads are placed here${later}` });
  } else {
    const later = Number.isNaN(evictAt) ? '' : ` until ${spec.evictAfter}, when workloads will be moved off`;
    setCond(state, { type: ConditionType.Schedulable, status: 'True', reason: Reason.Schedulable,
      message: `new workloads may be placed here${later}` });
  }
}

// 5. Ready
function reconcileReady(state: State, stale: boolean, everHeartbeated: boolean): void {
  const conditions = state.next.status!.conditions;
  const cond = (type: string): Condition | undefined => findCondition(conditions, type);
  const ready = (status: 'True' | 'False', reason: string, message: string): void =>
    setCond(state, { type: ConditionType.Ready, status, reason, message });
  const authorized = cond(ConditionType.Authorized);
  const reachable = cond(ConditionType.Reachable);
  const probe = state.probe;

  if (authorized?.status === 'False') return ready('False', authorized.reason, authorized.message);
  if (stale) {
    return ready('False', Reason.HeartbeatMissed,
      `no heartbeat for more than ${Math.round(state.deps.heartbeatThresholdMs / 1000)}s${reachable?.status === 'False' || reachable?.status === 'Unknown' ? `: ${reachable.message}` : ''}`);
  }
  if (isPull(state.next)) {
    if (!everHeartbeated) return ready('False', Reason.AwaitingAgent, reachable?.message ?? 'waiting for the pull agent');
    return ready('True', Reason.ClusterReady, 'the pull agent is heartbeating');
  }
  if (probe?.kind === 'failed') return ready('False', Reason.ProbeFailed, probe.message);
  if (probe?.kind === 'unreachable') {
    // Within the grace period a known-good cluster stays Ready (no flapping on one lost probe).
    if (everHeartbeated && cond(ConditionType.Ready)?.status === 'True') return;
    return ready('False', Reason.Unreachable, probe.message);
  }
  const compatible = cond(ConditionType.ResourcesCompatible);
  if (compatible?.status === 'False') return ready('False', compatible.reason, compatible.message);
  if (probe?.kind === 'healthy') return ready('True', Reason.ClusterReady, 'the cluster is reachable, authorized and serves the synced resources');
}

function requeueAfter(state: State, untilStaleMs: number): number {
  let ms = state.deps.heartbeatIntervalMs;
  if (isPull(state.next)) ms = Math.min(ms, untilStaleMs);
  const evictAt = state.next.spec.evictAfter ? Date.parse(state.next.spec.evictAfter) : NaN;
  if (!Number.isNaN(evictAt) && evictAt > state.now) ms = Math.min(ms, evictAt - state.now + 1);
  return Math.max(1, ms);
}

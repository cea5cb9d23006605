/**
 * The reconcile logic of the workloadplacement controller, I/O injected (ReconcileDeps). One pass:
 *
 * 1. gather: the ClusterRegistrations of spec.locationWorkspace (default: the placement's own
 *    workspace), the selected workloads of the namespace, the PlacementDecision history;
 * 2. decide: schedule() per workload (decide.ts) — or, under spec.pinnedRevision, the pinned
 *    decision's clusters (pinned.ts);
 * 3. record: a new PlacementDecision when the placement-level selection changed (history.ts),
 *    pruning history beyond historyLimit;
 * 4. apply: state labels, deletion and spec-diff annotations on each workload (apply.ts), and
 *    release workloads the selector no longer matches;
 * 5. status (status.ts) and the next deadline (requeue.ts).
 *
 * Returns the placement with its new status (the controller commits it); throws on I/O errors so
 * the queue retries with backoff. Idempotent: a second pass over unchanged inputs writes nothing.
 */
import { rfc3339 } from '../../apis/time.js';
import { clusterOf } from '../../apis/contract.js';
import type { Decision } from '../../placement/index.js';
import { aggregate, type PlacementResult } from './aggregate.js';
import { applyDecision } from './apply.js';
import { ClusterKeys, fleetInput } from './cluster-input.js';
import { decideAll, isDivided, previousOf, type WorkloadDecision } from './decide.js';
import {
  DEFAULT_HISTORY_LIMIT, ROLLBACK_OF_ANNOTATION, byRevision, decisionRecord, sameSelection, toPrune, triggerOf,
} from './history.js';
import { PinReason, pinnedDecision } from './pinned.js';
import { nextDeadlineMs } from './requeue.js';
import { decisionEvents, failoverFinishedEvents } from './placement-events.js';
import { NO_EVENTS } from '../../controllers/event-recorder.js';
import { placementDecisionDuration } from '../../observability/tmc-metrics.js';
import { contextOfObject, isTracing, withSpan } from '../../observability/tracing.js';
import { selectWorkloads } from './selection.js';
import { buildStatus, type StatusInput } from './status.js';
import type {
  PlacementDecision, PlacementRef, ReconcileDeps, ReconcileOutput, WorkloadObject, WorkloadPlacement,
} from './types.js';

export function placementRef(placement: WorkloadPlacement, fallbackWorkspace = ''): PlacementRef {
  return {
    workspace: clusterOf(placement, fallbackWorkspace),
    namespace: placement.metadata.namespace as string,
    name: placement.metadata.name as string,
  };
}

/**
 * One reconcile. While tracing is on, deciding and applying run in a `placement decision` span
 * continuing the trace of the newest traced write among the selected workloads (their trace
 * annotation; else the placement's own), so a Deployment's create and the decision it caused are
 * one trace.
 */
export async function reconcilePlacement(placement: WorkloadPlacement, workspace: string, deps: ReconcileDeps): Promise<ReconcileOutput> {
  const now = deps.now();
  const nowStr = rfc3339(now);
  const ref: PlacementRef = { workspace, namespace: placement.metadata.namespace as string, name: placement.metadata.name as string };
  const log = deps.logger?.child({ placement: `${workspace}|${ref.namespace}/${ref.name}` });

  // 1. gather
  const locationWorkspace = placement.spec.locationWorkspace || workspace;
  const clusters = await deps.listClusters(locationWorkspace);
  const fleet = deps.sharedClusters ? deps.sharedClusters.fleet(clusters, locationWorkspace) : fleetInput(clusters, locationWorkspace);
  const { keys, byName: clustersByName } = fleet;
  const exists = deps.placementExists ?? (() => true);
  const names = placement.spec.workloadSelector?.names;
  const scope = { names: names?.length ? names : undefined, owner: `${ref.namespace}/${ref.name}` };
  const selection = selectWorkloads(placement, workspace, await deps.listWorkloads(workspace, ref.namespace, scope), exists);
  const history = byRevision(await deps.listDecisions(ref));
  const latest = history[history.length - 1];
  const pin = placement.spec.pinnedRevision;

  const newest = selection.owned.filter((o) => contextOfObject(o))
    .sort((a, b) => Number(b.metadata.resourceVersion ?? 0) - Number(a.metadata.resourceVersion ?? 0))[0];
  const parent = isTracing() ? contextOfObject(newest) ?? contextOfObject(placement) : undefined;
  if (!parent) return decideApplyAndReport();
  return withSpan('placement decision', {
    'kcp.cluster': workspace, 'k8s.namespace': ref.namespace, 'tmc.placement': ref.name, 'tmc.placement.workloads': selection.owned.length,
  }, async (span) => {
    const out = await decideApplyAndReport();
    const st = out.placement.status;
    span.setAttributes({
      'tmc.placement.phase': st?.phase ?? '', 'tmc.placement.revision': st?.currentRevision ?? 0,
      'tmc.placement.clusters': (st?.decisions ?? []).map((d) => d.clusterName).join(','),
    });
    return out;
  }, { parent });

  async function decideApplyAndReport(): Promise<ReconcileOutput> {
    // 2. decide
    const events = deps.events ?? NO_EVENTS;
    const decideStarted = performance.now();
    let decided: WorkloadDecision[];
    let pinnedRecord: PlacementDecision | undefined;
    if (pin !== undefined) {
      pinnedRecord = history.find((d) => d.spec.revision === pin);
      if (!pinnedRecord) {
        // Touch nothing: the user asked for a decision we do not have.
        log?.warn({ pinnedRevision: pin }, 'pinned revision not found');
        return { placement: withStatus(placement, buildStatus(statusInput(placement, nowStr, {
          phase: 'Failed', decisions: placement.status?.decisions ?? [], placed: [], problems: [],
          scheduled: { status: 'False', reason: PinReason.PinnedRevisionNotFound, message: `PlacementDecision revision ${pin} does not exist (history keeps ${deps.historyLimit ?? DEFAULT_HISTORY_LIMIT})` },
        }))) };
      }
      const divided = isDivided(placement.spec);
      decided = selection.owned.map((workload) => {
        const previous = previousOf(workload, keys);
        return { workload, previous, decision: pinnedDecision(pinnedRecord as PlacementDecision, workload, previous, keys, divided) };
      });
    } else {
      decided = decideAll({
        placement, workloads: selection.owned, keys, now, celCompiler: deps.celCompiler,
        clusters: fleet.engine,
        snapshot: deps.sharedClusters?.snapshot,
        placementCounts: deps.placementCounts?.(locationWorkspace, ref),
      });
    }
    const result = aggregate(decided);
    const decideMs = performance.now() - decideStarted;

    // 3. record
    let currentRevision = placement.status?.currentRevision;
    let placedAt: string | undefined;
    let latestAfterRecord: PlacementDecision | undefined;
    let recording: Promise<void> = Promise.resolve();
    const changed = !latest || !sameSelection(latest.spec.selected, result.selected)
      || (latest.spec.unschedulable?.reason ?? '') !== (result.unschedulable?.reason ?? '')
      || (pinnedRecord !== undefined && !isRollbackTo(latest, pinnedRecord.spec.revision) && latest !== pinnedRecord);
    if (decided.length > 0 && changed) {
      const revision = Math.max(latest?.spec.revision ?? 0, currentRevision ?? 0) + 1;
      const record = decisionRecord({
        placement, revision, time: nowStr, result, latest,
        trigger: triggerOf({
          placement, latest, result, pinned: pinnedRecord !== undefined,
          registeredAt: (name) => clustersByName.get(name)?.metadata.creationTimestamp,
        }),
        rollbackOf: pinnedRecord?.spec.revision,
      });
      // The record and the workloads' labels do not depend on each other: written at the same
      // time (one round trip instead of two before the status). The status, which names the
      // revision, is built only after both succeeded; a failure of either fails the pass and the
      // retry decides again from what did land.
      const started = performance.now();
      recording = (async () => {
        await deps.createDecision(ref, record);
        placementDecisionDuration.observe((performance.now() - started + decideMs) / 1000);
        decisionEvents(events, placement, record, decided.map((d) => d.workload));
        log?.info({ revision, trigger: record.spec.trigger, selected: result.selected.map((s) => s.clusterName) }, 'placement decision recorded');
        for (const old of toPrune([...history, record], deps.historyLimit ?? DEFAULT_HISTORY_LIMIT, pin)) {
          await deps.deleteDecision(ref, old.metadata.name as string);
        }
      })();
      currentRevision = revision;
      placedAt = nowStr;
      latestAfterRecord = record;
    } else if (decided.length > 0 && latest && currentRevision !== latest.spec.revision) {
      // Nothing new to record, so the newest record is the decision in effect. The status usually
      // says so already; it does not when the pass that wrote the record failed to write the status
      // (a conflict, a restart): without this, the retry saw "unchanged" and kept the old revision.
      currentRevision = latest.spec.revision;
      placedAt = latest.spec.time;
    }

    // 4. apply
    const placed: StatusInput['placed'] = [];
    const problems = new Set<string>();
    const applyOne = async (workload: WorkloadObject, decision: Decision | undefined) => {
      const out = applyDecision({ placement, workload, decision, keys, clustersByName, now: nowStr, celCompiler: deps.celCompiler });
      for (const w of out.warnings) problems.add(w);
      if (out.patch) await deps.patchWorkload(workspace, workload, out.patch);
      return out;
    };
    // every workload's patch at once, and the record beside them (see 3.)
    const applied = await Promise.all([
      recording,
      ...decided.map(async (d) => ({ workload: d.workload, clusters: (await applyOne(d.workload, d.decision)).clusters })),
      ...selection.released.map((w) => applyOne(w, undefined)),
    ]);
    for (let k = 0; k < decided.length; k++) placed.push(applied[1 + k] as StatusInput['placed'][number]);
    failoverFinishedEvents(events, placement, latestAfterRecord ?? latest, placed);
    for (const c of selection.contested) problems.add(`${c.workload.kind} ${c.workload.metadata.name} is placed by ${c.owner}`);

    // 5. status
    const status = buildStatus(statusInput(placement, nowStr, {
      phase: result.phase, decisions: result.decisions, placed, currentRevision, placedAt,
      scheduled: scheduledCondition(result, decided.length, pinnedRecord), problems: [...problems],
    }));
    const requeueAfterMs = nextDeadlineMs(placement, decided.map((d) => d.previous), clustersByName, now.getTime());
    return { placement: withStatus(placement, status), requeueAfterMs };
  }
}

/**
 * A placement that no longer exists: vacate every cluster of the workloads it annotated (deletion
 * annotation, then the labels once the syncers let go) and delete its PlacementDecisions.
 */
export async function releasePlacement(ref: PlacementRef, deps: ReconcileDeps): Promise<void> {
  const now = rfc3339(deps.now());
  const ghost: WorkloadPlacement = {
    apiVersion: 'tmc.kcp.io/v1alpha1', kind: 'WorkloadPlacement',
    metadata: { name: ref.name, namespace: ref.namespace }, spec: { workloadSelector: { names: [] } },
  };
  // Unknown cluster keys are vacated anyway, so no cluster list is needed.
  const keys = new ClusterKeys([], ref.workspace);
  const mine = `${ref.namespace}/${ref.name}`;
  const workloads = await deps.listWorkloads(ref.workspace, ref.namespace, { names: [], owner: mine });
  for (const workload of workloads) {
    if (workload.metadata.annotations?.['tmc.kcp.io/placement'] !== mine) continue;
    const out = applyDecision({ placement: ghost, workload, decision: undefined, keys, clustersByName: new Map(), now });
    if (out.patch) await deps.patchWorkload(ref.workspace, workload, out.patch);
  }
  for (const d of await deps.listDecisions(ref)) await deps.deleteDecision(ref, d.metadata.name as string);
}

function isRollbackTo(record: PlacementDecision, revision: number): boolean {
  return record.metadata.annotations?.[ROLLBACK_OF_ANNOTATION] === String(revision);
}

function scheduledCondition(result: PlacementResult, workloads: number, pinned: PlacementDecision | undefined): StatusInput['scheduled'] {
  if (workloads === 0) return { status: 'Unknown', reason: 'NoWorkloadsSelected', message: 'no workload matches the workloadSelector' };
  const where = result.selected.map((s) => (s.replicas === undefined ? s.clusterName : `${s.clusterName}(${s.replicas})`)).join(', ');
  if (pinned) {
    const extra = result.unschedulable ? `; ${result.unschedulable.message}` : '';
    return { status: result.selected.length > 0 ? 'True' : 'False', reason: PinReason.Pinned, message: `pinned to revision ${pinned.spec.revision}: ${where || 'no clusters'}${extra}` };
  }
  if (result.phase === 'Scheduled') return { status: 'True', reason: 'Scheduled', message: `placed on ${where}` };
  const why = result.unschedulable ?? { reason: 'Unschedulable', message: 'no cluster qualified' };
  if (result.phase === 'PartiallyScheduled') return { status: 'True', reason: 'PartiallyScheduled', message: `placed on ${where || 'no clusters'}; ${why.message}` };
  return { status: 'False', reason: why.reason, message: why.message };
}

function statusInput(placement: WorkloadPlacement, now: string, rest: Omit<StatusInput, 'placement' | 'now'>): StatusInput {
  return { placement, now, ...rest };
}

function withStatus(placement: WorkloadPlacement, status: WorkloadPlacement['status']): WorkloadPlacement {
  return { ...placement, status };
}


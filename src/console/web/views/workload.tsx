/**
 * One workload: where it runs, how it is doing on each cluster, why those clusters (the decision
 * explained) and the decision history with rollback — all live.
 */
import { useState } from 'preact/hooks';
import { decisionsFor } from '../../../apis/tmc/explain.js';
import type { ClusterRegistration, PlacementDecision, WorkloadPlacement } from '../../../apis/tmc/v1alpha1.js';
import { CLUSTERS, DECISIONS, PLACEMENTS, WORKLOAD_KINDS } from '../../model/api-paths.js';
import { clusterRows, placementOf, type ClusterRow, type WorkloadKey } from '../../model/workloads.js';
import type { KubeObject } from '../collection.js';
import { Badge, ErrorNote, Loading, SortableTable, type Column } from '../components.js';
import { useCollection } from '../hooks.js';
import { healthTone } from './clusters.js';
import { DecisionHistory, DecisionTable } from './decision.js';
import { phaseTone } from './placements.js';

const PLACEMENT_NAME_LABEL = 'tmc.kcp.io/placement-name';

type Workload = KubeObject & { spec?: { replicas?: number }; status?: { replicas?: number; readyReplicas?: number; availableReplicas?: number } };

export function WorkloadView({ ws, workload }: { ws: string; workload: WorkloadKey }) {
  const kind = WORKLOAD_KINDS[workload.kind];
  const placements = useCollection<WorkloadPlacement>(ws, PLACEMENTS, { namespace: workload.namespace });
  const clusters = useCollection<ClusterRegistration>(ws, CLUSTERS);
  const found = placementOf(placements.items, workload);
  const placementName = found?.placement.metadata.name;
  const decisions = useCollection<PlacementDecision>(placementName ? ws : undefined, DECISIONS,
    { namespace: workload.namespace, labelSelector: `${PLACEMENT_NAME_LABEL}=${placementName}` });
  const objects = useCollection<Workload>(kind ? ws : undefined, kind ?? WORKLOAD_KINDS.Deployment,
    { namespace: workload.namespace, fieldSelector: `metadata.name=${workload.name}` });
  const [shownRevision, setShownRevision] = useState<number | undefined>(undefined);

  const title = `${workload.kind} ${workload.namespace}/${workload.name}`;
  if (placements.state === 'error' && placements.error) return <ErrorNote error={placements.error} what={`placements of ${ws}`} />;
  if (placements.state === 'loading') return <Loading what={title} />;
  const obj = objects.items[0];

  const header = (
    <header class="page-head">
      <h2>{title}</h2>
      {obj?.status && <p class="muted">{obj.status.readyReplicas ?? 0} of {obj.spec?.replicas ?? obj.status.replicas ?? 0} replicas ready (summed over its clusters)</p>}
      {objects.state === 'error' && objects.error && <ErrorNote error={objects.error} what={title} />}
    </header>
  );
  if (!found) {
    return <section>{header}<p class="muted">No WorkloadPlacement in {workload.namespace} places this workload (yet).</p></section>;
  }
  const { placement, placed } = found;
  const rows = clusterRows(placed, clusters.items, obj);
  const history = decisionsFor(decisions.items, placement.metadata.name ?? '');
  const revision = shownRevision ?? placement.status?.currentRevision ?? history[history.length - 1]?.spec.revision;
  const decision = history.find((d) => d.spec.revision === revision);

  const columns: Column<ClusterRow>[] = [
    { key: 'cluster', label: 'Cluster', value: (r) => r.clusterName },
    { key: 'health', label: 'Cluster health', value: (r) => r.health, render: (r) => <Badge tone={r.health === 'Gone' ? 'bad' : healthTone(r.health)}>{r.health}</Badge> },
    { key: 'state', label: 'Sync state', value: (r) => r.state, render: (r) => <Badge tone={r.state === 'Sync' ? 'ok' : r.state === 'Failed' ? 'bad' : 'warn'}>{r.state}</Badge> },
    { key: 'replicas', label: 'Replicas', numeric: true, value: (r) => r.replicas },
    { key: 'observed', label: 'Ready there', numeric: true, value: (r) => r.observed?.readyReplicas ?? (r.ready ? 'yes' : r.ready === false ? 'no' : undefined) },
    { key: 'message', label: 'Message', value: (r) => r.message ?? '' },
  ];
  return (
    <section aria-labelledby="workload-h" class="workload">
      {header}
      <p>
        Placed by <strong>{placement.metadata.namespace}/{placement.metadata.name}</strong>{' '}
        <Badge tone={phaseTone(placement.status?.phase)}>{placement.status?.phase ?? 'Pending'}</Badge>
      </p>
      <h3 id="workload-h">Where it runs</h3>
      {rows.length === 0 ? <p class="muted">Not placed on any cluster.</p> : (
        <SortableTable name="where" caption={`Clusters running ${workload.name}`} columns={columns} rows={rows} rowKey={(r) => r.clusterName}
          initial={{ key: 'cluster', direction: 'ascending' }} />
      )}
      <h3>Why these clusters{decision ? ` (revision ${decision.spec.revision}, trigger ${decision.spec.trigger ?? '-'})` : ''}</h3>
      {decisions.state === 'error' && decisions.error ? <ErrorNote error={decisions.error} what="placement decisions" />
        : decision ? <DecisionTable decision={decision} onShow={setShownRevision} /> : <Loading what="the decision" />}
      <DecisionHistory ws={ws} placement={placement} decisions={history} shown={revision} onShow={setShownRevision} />
    </section>
  );
}

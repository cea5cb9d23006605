/** Placements: phase, chosen clusters, replicas per cluster, the workloads each places — live. */
import type { WorkloadPlacement, WorkloadReference } from '../../../apis/tmc/v1alpha1.js';
import { PLACEMENTS } from '../../model/api-paths.js';
import { Badge, ErrorNote, Loading, SortableTable, type Column } from '../components.js';
import { href, useCollection } from '../hooks.js';

export function phaseTone(phase: string | undefined): 'ok' | 'bad' | 'warn' | 'neutral' {
  return phase === 'Scheduled' ? 'ok' : phase === 'Failed' ? 'bad' : phase === 'PartiallyScheduled' ? 'warn' : 'neutral';
}

export function workloadHref(ws: string, ref: WorkloadReference): string {
  return href(`/ws/${ws}/workload/${ref.namespace ?? ''}/${ref.group || 'core'}/${ref.kind}/${ref.name}`);
}

export function PlacementsView({ ws }: { ws: string }) {
  const placements = useCollection<WorkloadPlacement>(ws, PLACEMENTS);
  if (placements.state === 'error' && placements.error) return <ErrorNote error={placements.error} what={`placements of ${ws}`} />;
  if (placements.state === 'loading') return <Loading what="placements" />;
  const columns: Column<WorkloadPlacement>[] = [
    { key: 'name', label: 'Placement', value: (p) => `${p.metadata.namespace}/${p.metadata.name}` },
    { key: 'phase', label: 'Phase', value: (p) => p.status?.phase ?? 'Pending', render: (p) => <Badge tone={phaseTone(p.status?.phase)}>{p.status?.phase ?? 'Pending'}</Badge> },
    {
      key: 'clusters', label: 'Clusters (replicas)', value: (p) => (p.status?.decisions ?? []).map((d) => d.clusterName).join(', '),
      render: (p) => (p.status?.decisions?.length ? (
        <ul class="chips">
          {p.status.decisions.map((d) => <li key={d.clusterName} class="chip" data-cluster={d.clusterName}>{d.clusterName}{d.replicas !== undefined ? ` (${d.replicas})` : ''}</li>)}
        </ul>
      ) : <span class="muted">none</span>),
    },
    {
      key: 'workloads', label: 'Workloads', value: (p) => p.status?.placedWorkloads?.length ?? 0,
      render: (p) => (p.status?.placedWorkloads?.length ? (
        <ul class="plain">
          {p.status.placedWorkloads.map((w) => (
            <li key={`${w.workloadRef.kind}/${w.workloadRef.name}`}>
              <a href={workloadHref(ws, w.workloadRef)}>{w.workloadRef.kind} {w.workloadRef.name}</a>
            </li>
          ))}
        </ul>
      ) : <span class="muted">none selected</span>),
    },
    { key: 'revision', label: 'Revision', numeric: true, value: (p) => p.status?.currentRevision, render: (p) => `${p.status?.currentRevision ?? '-'}${p.spec?.pinnedRevision ? ` (pinned to ${p.spec.pinnedRevision})` : ''}` },
  ];
  return (
    <section aria-labelledby="placements-h">
      <h2 id="placements-h">Placements <span class="count">{placements.items.length}</span></h2>
      {placements.items.length === 0 ? <p class="muted">No WorkloadPlacement in {ws}.</p> : (
        <SortableTable name="placements" caption={`WorkloadPlacements in ${ws}`} columns={columns} rows={placements.items}
          rowKey={(p) => `${p.metadata.namespace}/${p.metadata.name}`} initial={{ key: 'name', direction: 'ascending' }} />
      )}
    </section>
  );
}

/**
 * A placement decision explained (the model of `tmcctl placement explain`, as a sortable table)
 * and the decision history with rollback (the merge patch of `tmcctl placement rollback`).
 */
import { useEffect, useState } from 'preact/hooks';
import { clusterList, explainDecision, pinPatch, type ExplainedCandidate } from '../../../apis/tmc/explain.js';
import type { PlacementDecision, WorkloadPlacement } from '../../../apis/tmc/v1alpha1.js';
import { PLACEMENTS, resourcePath } from '../../model/api-paths.js';
import { canPatch, type Verdict } from '../can-i.js';
import { Badge, ConfirmDialog, SortableTable, type Column } from '../components.js';
import { useSession } from '../hooks.js';

/** On a Rollback decision: the revision it re-applied. */
const ROLLBACK_OF_ANNOTATION = 'tmc.kcp.io/rollback-of';

export function DecisionTable({ decision, onShow }: { decision: PlacementDecision; onShow(rev: number): void }) {
  const [allFilters, setAllFilters] = useState(false);
  const explained = explainDecision(decision);
  const rollbackOf = Number(decision.metadata.annotations?.[ROLLBACK_OF_ANNOTATION]);
  if (explained.candidates.length === 0 && decision.spec.trigger === 'Rollback' && Number.isInteger(rollbackOf)) {
    return (
      <p class="note" role="note">A rollback: this decision re-applied revision {rollbackOf}'s clusters ({clusterList(decision.spec.selected)}) without scheduling, so it judged no candidates.{' '}
        <button type="button" onClick={() => onShow(rollbackOf)}>Explain revision {rollbackOf}</button></p>
    );
  }
  // a filter every candidate passed says nothing per row: name it once below the table instead
  const passedByAll = (i: number) => explained.candidates.every((c) => c.verdicts[i] === 'pass');
  const uniform = explained.filters.filter((_, i) => passedByAll(i));
  if (explained.candidates.length === 0) {
    return <p class="muted">No candidate clusters: none is registered in the location workspace, or the placement selects no workload yet.</p>;
  }
  const columns: Column<ExplainedCandidate>[] = [
    { key: 'cluster', label: 'Cluster', value: (c) => c.row.clusterName },
    {
      key: 'result', label: 'Result', value: (c) => c.result,
      render: (c) => <Badge tone={c.result === 'selected' ? 'ok' : c.result === 'rejected' ? 'bad' : 'neutral'}>{c.result}</Badge>,
    },
    ...explained.filters.map((f, i) => ({ f, i })).filter(({ i }) => allFilters || !passedByAll(i)).map(({ f, i }): Column<ExplainedCandidate> => ({
      key: `f-${f}`, label: f, value: (c) => c.verdicts[i],
      render: (c) => <span class={c.verdicts[i].startsWith('FAIL') ? 'fail' : undefined}>{c.verdicts[i]}</span>,
    })),
    ...explained.scorers.map((s, i): Column<ExplainedCandidate> => ({
      key: `s-${s}`, label: explained.filters.includes(s) ? `${s} (score)` : s, numeric: true, value: (c) => c.scores[i],
    })),
    { key: 'total', label: 'Total', numeric: true, value: (c) => c.total },
    { key: 'replicas', label: 'Replicas', numeric: true, value: (c) => c.replicas },
    { key: 'why', label: 'Why not chosen', wide: true, value: (c) => c.whyNot ?? '' },
  ];
  return (
    <>
      {uniform.length > 0 && (
        <label class="toggle"><input type="checkbox" checked={allFilters} onChange={(e) => setAllFilters((e.target as HTMLInputElement).checked)} /> Show a column for every filter</label>
      )}
      <SortableTable name="decision" caption={`Decision revision ${decision.spec.revision}: every candidate cluster, each filter's verdict and each scorer's score × weight`}
        columns={columns} rows={explained.candidates} rowKey={(c) => c.row.clusterName} rowClass={(c) => c.result.replace(' ', '-')} />
      {explained.bounded && (
        <p class="note" role="note">This decision considered {explained.considered} clusters ({explained.bounded.feasible} passed every filter); its record lists {explained.candidates.length}: the chosen, the best others and the first names of each verdict.{' '}
          {explained.bounded.verdicts.filter((v) => !v.passed).map((v) => `${v.count} × ${v.why}`).join('; ')}</p>
      )}
      <p class="muted small">Filters ran in this order: {explained.filters.join(' → ') || 'none'}.
        {!allFilters && uniform.length > 0 && ` Every candidate passed ${uniform.join(', ')} (not shown as columns).`} Scores are score × weight; Total is their sum.
        {decision.spec.unschedulable?.reason ? ` Unschedulable: ${decision.spec.unschedulable.reason} — ${decision.spec.unschedulable.message ?? ''}` : ''}</p>
    </>
  );
}

export function DecisionHistory({ ws, placement, decisions, shown, onShow }: {
  ws: string; placement: WorkloadPlacement; decisions: PlacementDecision[]; shown: number | undefined; onShow(rev: number): void;
}) {
  const { api } = useSession();
  const ns = placement.metadata.namespace ?? '';
  const name = placement.metadata.name ?? '';
  const current = placement.status?.currentRevision;
  const pinned = placement.spec?.pinnedRevision;
  const [verdict, setVerdict] = useState<Verdict | undefined>(undefined);
  const [confirm, setConfirm] = useState<PlacementDecision | 'unpin' | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: 'ok' | 'bad'; text: string } | undefined>(undefined);

  useEffect(() => {
    let live = true;
    void canPatch(api, ws, PLACEMENTS, ns, name).then((v) => { if (live) setVerdict(v); });
    return () => { live = false; };
  }, [ws, ns, name]);

  const apply = async () => {
    const target = confirm;
    if (!target) return;
    setBusy(true);
    try {
      await api.patch(resourcePath(ws, PLACEMENTS, ns, name), pinPatch(target === 'unpin' ? null : target.spec.revision));
      setMessage({ tone: 'ok', text: target === 'unpin' ? `Unpinned ${ns}/${name}: scheduling resumes.` : `Pinned ${ns}/${name} to revision ${target.spec.revision}: ${clusterList(target.spec.selected)}.` });
    } catch (err) {
      setMessage({ tone: 'bad', text: (err as Error).message });
    } finally {
      setBusy(false);
      setConfirm(undefined);
    }
  };

  const denied = verdict && !verdict.allowed;
  return (
    <section aria-labelledby="history-h">
      <h3 id="history-h">Decision history</h3>
      {denied && <p class="note" role="note">You cannot roll back this placement: {verdict.reason || 'RBAC does not allow patching it'}</p>}
      {pinned !== undefined && (
        <p>Pinned to revision {pinned}.{' '}
          <button type="button" disabled={!verdict?.allowed} onClick={() => setConfirm('unpin')}>Unpin (resume scheduling)</button></p>
      )}
      {message && <p class={message.tone === 'ok' ? 'success' : 'error'} role={message.tone === 'ok' ? 'status' : 'alert'}>{message.text}</p>}
      <div class="table-wrap" tabIndex={0} role="region" aria-label="decision history">
        <table>
          <caption>PlacementDecisions of {ns}/{name}, oldest first</caption>
          <thead><tr><th scope="col">Revision</th><th scope="col">Time</th><th scope="col">Trigger</th><th scope="col">Selected</th><th scope="col">Actions</th></tr></thead>
          <tbody>
            {decisions.map((d) => {
              const rev = d.spec.revision;
              return (
                <tr key={rev} data-revision={rev} class={rev === shown ? 'shown' : undefined}>
                  <th scope="row">{rev}{rev === current ? ' (current)' : ''}{rev === pinned ? ' (pinned)' : ''}</th>
                  <td><time dateTime={d.spec.time}>{d.spec.time ?? d.metadata.creationTimestamp ?? ''}</time></td>
                  <td>{d.spec.trigger ?? ''}</td>
                  <td>{clusterList(d.spec.selected)}</td>
                  <td class="actions">
                    <button type="button" onClick={() => onShow(rev)} aria-pressed={rev === shown} aria-label={`Explain revision ${rev}`}>Explain</button>
                    {rev !== current && (
                      <button type="button" disabled={!verdict?.allowed} onClick={() => setConfirm(d)} aria-label={`Roll back to revision ${rev}`}
                        title={denied ? verdict?.reason : undefined}>Roll back</button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <ConfirmDialog open={confirm !== undefined} busy={busy}
        title={confirm === 'unpin' ? `Unpin ${name}?` : `Roll back ${name} to revision ${confirm?.spec.revision ?? ''}?`}
        confirmLabel={confirm === 'unpin' ? 'Unpin' : 'Roll back'} onConfirm={() => void apply()} onCancel={() => setConfirm(undefined)}>
        {confirm === 'unpin'
          ? <p>TMC will schedule {ns}/{name} afresh.</p>
          : confirm && <p>TMC will stop scheduling {ns}/{name} and apply revision {confirm.spec.revision}'s clusters: <strong>{clusterList(confirm.spec.selected)}</strong>. Unpin to resume scheduling.</p>}
      </ConfirmDialog>
    </section>
  );
}

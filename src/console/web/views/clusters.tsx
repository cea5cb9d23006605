/** Clusters: health, heartbeat age, capacity bars, taints, cordon/drain state — live. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { cordonPatch, type CordonAction } from '../../../apis/tmc/explain.js';
import type { ClusterRegistration } from '../../../apis/tmc/v1alpha1.js';
import { CLUSTERS, resourcePath } from '../../model/api-paths.js';
import { capacityUsage, clusterHealth, formatAge, heartbeatAgeSeconds, region, scheduling } from '../../model/clusters.js';
import { canPatch, type Verdict } from '../can-i.js';
import { Badge, CapacityBar, ConfirmDialog, ErrorNote, Loading } from '../components.js';
import { useCollection, useNow, useSession } from '../hooks.js';

export function healthTone(h: string): 'ok' | 'bad' | 'warn' {
  return h === 'Ready' ? 'ok' : h === 'NotReady' ? 'bad' : 'warn';
}

export function ClustersView({ ws }: { ws: string }) {
  const { api } = useSession();
  const clusters = useCollection<ClusterRegistration>(ws, CLUSTERS);
  const now = useNow();
  // one RBAC check for the view (patch on clusterregistrations), not one per card
  const [may, setMay] = useState<Verdict | undefined>(undefined);
  const [action, setAction] = useState<{ cluster: string; action: CordonAction } | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: 'ok' | 'bad'; text: string } | undefined>(undefined);
  const first = clusters.items[0]?.metadata.name;
  // tell screen-reader users when a cluster's health changes (the cards change silently)
  const lastHealth = useRef(new Map<string, string>());
  const [announcement, setAnnouncement] = useState('');
  useEffect(() => {
    const changes: string[] = [];
    for (const c of clusters.items) {
      const name = c.metadata.name ?? '';
      const h = clusterHealth(c).health;
      const before = lastHealth.current.get(name);
      if (before && before !== h) changes.push(`${name} is ${h}`);
      lastHealth.current.set(name, h);
    }
    if (changes.length) setAnnouncement(changes.join('; '));
  }, [clusters.version]);
  useEffect(() => {
    if (!first) return;
    let live = true;
    void canPatch(api, ws, CLUSTERS, undefined, first).then((v) => { if (live) setMay(v); });
    return () => { live = false; };
  }, [ws, first]);
  const apply = async () => {
    if (!action) return;
    setBusy(true);
    try {
      // the merge patch `tmcctl cluster cordon|uncordon|drain` sends
      await api.patch(resourcePath(ws, CLUSTERS, undefined, action.cluster), cordonPatch(action.action));
      setMessage({ tone: 'ok', text: `${action.cluster}: ${PAST[action.action]}.` });
    } catch (err) {
      setMessage({ tone: 'bad', text: (err as Error).message });
    } finally {
      setBusy(false);
      setAction(undefined);
    }
  };
  if (clusters.state === 'error' && clusters.error) return <ErrorNote error={clusters.error} what={`clusters of ${ws}`} />;
  if (clusters.state === 'loading') return <Loading what="clusters" />;
  const items = [...clusters.items].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  const ready = items.filter((c) => clusterHealth(c).health === 'Ready').length;
  return (
    <section aria-labelledby="clusters-h">
      <h2 id="clusters-h">Clusters <span class="count">{ready}/{items.length} ready</span></h2>
      {items.length === 0 && <p class="muted">No ClusterRegistration in {ws}. Register one with <code>tmcctl cluster register</code>.</p>}
      {message && <p class={message.tone === 'ok' ? 'success' : 'error'} role={message.tone === 'ok' ? 'status' : 'alert'}>{message.text}</p>}
      <p class="visually-hidden" aria-live="polite" data-testid="health-announcement">{announcement}</p>
      <ul class="cards" aria-label="clusters">
        {items.map((c) => <ClusterCard key={c.metadata.name} cluster={c} now={now} mayPatch={may?.allowed === true}
          onAction={(a) => setAction({ cluster: c.metadata.name ?? '', action: a })} />)}
      </ul>
      <ConfirmDialog open={action !== undefined} busy={busy} title={action ? `${LABEL[action.action]} ${action.cluster}?` : ''}
        confirmLabel={action ? LABEL[action.action] : ''} onConfirm={() => void apply()} onCancel={() => setAction(undefined)}>
        {action && <p>{EFFECT[action.action]}</p>}
      </ConfirmDialog>
    </section>
  );
}

const LABEL: Record<CordonAction, string> = { cordon: 'Cordon', uncordon: 'Uncordon', drain: 'Drain' };
const PAST: Record<CordonAction, string> = { cordon: 'cordoned (no new workloads; existing ones stay)', uncordon: 'uncordoned', drain: 'drained (workloads are moved off)' };
const EFFECT: Record<CordonAction, string> = {
  cordon: 'No new workloads will be placed on it; the ones there stay.',
  uncordon: 'It becomes schedulable again (cordon and drain are cleared).',
  drain: 'It becomes unschedulable and its workloads are moved to other clusters now.',
};

function ClusterCard({ cluster, now, mayPatch, onAction }: { cluster: ClusterRegistration; now: number; mayPatch: boolean; onAction(a: CordonAction): void }) {
  const name = cluster.metadata.name ?? '';
  const h = clusterHealth(cluster);
  const age = heartbeatAgeSeconds(cluster, now);
  const sched = scheduling(cluster, now);
  const taints = cluster.spec?.taints ?? [];
  return (
    <li class={`card cluster ${healthTone(h.health)}`} data-cluster={name} data-health={h.health} aria-labelledby={`cl-${name}`}>
      <header>
        <h3 id={`cl-${name}`}>{name}</h3>
        <Badge tone={healthTone(h.health)} label={`health: ${h.health}`}>{h.health}</Badge>
      </header>
      {h.health !== 'Ready' && <p class="reason">{h.reason}{h.message ? `: ${h.message}` : ''}</p>}
      <dl class="facts">
        <dt>Region</dt><dd>{region(cluster)}</dd>
        <dt>Heartbeat</dt><dd class="heartbeat" data-age={age}>{age === undefined ? 'never' : `${formatAge(age)} ago`}</dd>
        <dt>Scheduling</dt><dd><Badge tone={sched === 'Schedulable' ? 'neutral' : 'warn'}>{sched}</Badge></dd>
        <dt>Version</dt><dd>{cluster.status?.capabilities?.kubernetesVersion ?? '-'}{cluster.status?.capabilities?.nodeCount !== undefined ? `, ${cluster.status.capabilities.nodeCount} nodes` : ''}</dd>
        <dt>Mode</dt><dd>{cluster.spec?.syncMode ?? 'Push'}</dd>
      </dl>
      <div class="capacities" aria-label={`capacity of ${name}`}>
        {capacityUsage(cluster).map((u) => <CapacityBar key={u.resource} usage={u} />)}
      </div>
      <div class="taints">
        <span class="muted">Taints:</span>{' '}
        {taints.length === 0 ? <span class="muted">none</span> : (
          <ul class="chips" aria-label={`taints of ${name}`}>
            {taints.map((t) => <li key={`${t.key}:${t.effect}`} class="chip">{t.key}{t.value ? `=${t.value}` : ''}:{t.effect}</li>)}
          </ul>
        )}
      </div>
      {mayPatch && (
        <div class="card-actions">
          {sched === 'Schedulable'
            ? <button type="button" onClick={() => onAction('cordon')} aria-label={`Cordon ${name}`}>Cordon</button>
            : <button type="button" onClick={() => onAction('uncordon')} aria-label={`Uncordon ${name}`}>Uncordon</button>}
          {sched !== 'Drained' && sched !== 'Draining' && <button type="button" onClick={() => onAction('drain')} aria-label={`Drain ${name}`}>Drain</button>}
        </div>
      )}
    </li>
  );
}

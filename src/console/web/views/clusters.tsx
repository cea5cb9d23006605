/** Clusters: health, heartbeat age, capacity bars, taints, cordon/drain state — live. */
import type { ClusterRegistration } from '../../../apis/tmc/v1alpha1.js';
import { CLUSTERS } from '../../model/api-paths.js';
import { capacityUsage, clusterHealth, formatAge, heartbeatAgeSeconds, region, scheduling } from '../../model/clusters.js';
import { Badge, CapacityBar, ErrorNote, Loading } from '../components.js';
import { useCollection, useNow } from '../hooks.js';

export function healthTone(h: string): 'ok' | 'bad' | 'warn' {
  return h === 'Ready' ? 'ok' : h === 'NotReady' ? 'bad' : 'warn';
}

export function ClustersView({ ws }: { ws: string }) {
  const clusters = useCollection<ClusterRegistration>(ws, CLUSTERS);
  const now = useNow();
  if (clusters.state === 'error' && clusters.error) return <ErrorNote error={clusters.error} what={`clusters of ${ws}`} />;
  if (clusters.state === 'loading') return <Loading what="clusters" />;
  const items = [...clusters.items].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  const ready = items.filter((c) => clusterHealth(c).health === 'Ready').length;
  return (
    <section aria-labelledby="clusters-h">
      <h2 id="clusters-h">Clusters <span class="count">{ready}/{items.length} ready</span></h2>
      {items.length === 0 && <p class="muted">No ClusterRegistration in {ws}. Register one with <code>tmcctl cluster register</code>.</p>}
      <ul class="cards" aria-label="clusters">
        {items.map((c) => <ClusterCard key={c.metadata.name} cluster={c} now={now} />)}
      </ul>
    </section>
  );
}

function ClusterCard({ cluster, now }: { cluster: ClusterRegistration; now: number }) {
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
    </li>
  );
}

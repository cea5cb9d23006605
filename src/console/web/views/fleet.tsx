/** The fleet map: clusters grouped by region, each with the workloads placed on it. */
import type { ClusterRegistration, WorkloadPlacement } from '../../../apis/tmc/v1alpha1.js';
import { CLUSTERS, PLACEMENTS } from '../../model/api-paths.js';
import { clusterHealth } from '../../model/clusters.js';
import { fleetMap } from '../../model/fleet.js';
import { Badge, ErrorNote, Loading } from '../components.js';
import { useCollection } from '../hooks.js';
import { healthTone } from './clusters.js';
import { workloadHref } from './placements.js';

export function FleetView({ ws }: { ws: string }) {
  const clusters = useCollection<ClusterRegistration>(ws, CLUSTERS);
  const placements = useCollection<WorkloadPlacement>(ws, PLACEMENTS);
  for (const [c, what] of [[clusters, 'clusters'], [placements, 'placements']] as const) {
    if (c.state === 'error' && c.error) return <ErrorNote error={c.error} what={`${what} of ${ws}`} />;
  }
  if (clusters.state === 'loading' || placements.state === 'loading') return <Loading what="the fleet" />;
  const regions = fleetMap(clusters.items, placements.items);
  return (
    <section aria-labelledby="fleet-h">
      <h2 id="fleet-h">Fleet map</h2>
      {regions.length === 0 && <p class="muted">No clusters registered in {ws}.</p>}
      <div class="regions">
        {regions.map((r) => (
          <section key={r.region} class="region" aria-labelledby={`region-${r.region}`} data-region={r.region}>
            <h3 id={`region-${r.region}`}>{r.region}</h3>
            <ul class="plain">
              {r.clusters.map(({ cluster, workloads }) => {
                const h = clusterHealth(cluster).health;
                const name = cluster.metadata.name ?? '';
                return (
                  <li key={name} class={`fleet-cluster ${healthTone(h)}`} data-cluster={name} data-health={h}>
                    <div class="fleet-head"><strong>{name}</strong> <Badge tone={healthTone(h)}>{h}</Badge></div>
                    {workloads.length === 0 ? <p class="muted">no workloads</p> : (
                      <ul class="plain workloads" aria-label={`workloads on ${name}`}>
                        {workloads.map((w) => (
                          <li key={`${w.ref.kind}/${w.ref.namespace}/${w.ref.name}`} data-workload={w.ref.name}>
                            <a href={workloadHref(ws, w.ref)}>{w.ref.kind} {w.ref.namespace}/{w.ref.name}</a>
                            {' '}<span class="muted">{w.replicas !== undefined ? `${w.replicas} replicas, ` : ''}{w.state ?? 'Pending'}{w.ready ? ', ready' : ''}</span>
                          </li>
                        ))}
                      </ul>
                    )}
                  </li>
                );
              })}
            </ul>
          </section>
        ))}
      </div>
    </section>
  );
}

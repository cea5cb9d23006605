/**
 * Locality (seed alias LocationAware): prefer where the workload already is, or was asked to be.
 * With preferred locations: 100 when the cluster's location or region is one of them. Otherwise,
 * relative to the previous clusters: 100 for the same location, 50 for the same region
 * (topology.kubernetes.io/region), 0 elsewhere, so a move stays as close as it can.
 */
import type { ScorePlugin } from './types.js';

export const localityScorer: ScorePlugin = {
  name: 'Locality',
  score(clusters, ctx) {
    const out = new Int32Array(clusters.length);
    const pref = ctx.preferredLocations;
    for (let i = 0; i < clusters.length; i++) {
      const c = clusters[i];
      if (pref.size > 0) {
        out[i] = (c.location !== undefined && pref.has(c.location)) || (c.region !== undefined && pref.has(c.region)) ? 100 : 0;
      } else if (c.location !== undefined && ctx.previousLocations.has(c.location)) {
        out[i] = 100;
      } else if (c.region !== undefined && ctx.previousRegions.has(c.region)) {
        out[i] = 50;
      }
    }
    return out;
  },
};

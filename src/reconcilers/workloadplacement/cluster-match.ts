/**
 * Whether a ClusterSelector (overrides[].clusterSelector) matches a cluster: clusterNames,
 * labelSelector, locations and a CEL expression over `cluster`, all that are set must hold. The
 * engine has its own copy for clusterSelector and static weights; overrides are applied after
 * scheduling, here. A CEL error or invalid selector matches nothing (the override is skipped and
 * reported, never half-applied).
 */
import { labelSelectorFromSpec } from '../../machinery/labels.js';
import type { CelCompiler, ClusterSelector } from '../../placement/index.js';
import type { ClusterRegistration } from './types.js';

export type MatchResult = { matches: boolean; error?: string };

export function matchCluster(sel: ClusterSelector | undefined, c: ClusterRegistration, cel: CelCompiler | undefined): MatchResult {
  if (!sel) return { matches: true };
  if (sel.clusterNames?.length && !sel.clusterNames.includes(c.metadata.name as string)) return { matches: false };
  if (sel.locations?.length && !sel.locations.includes(c.spec?.location ?? '')) return { matches: false };
  if (sel.labelSelector) {
    try {
      if (!labelSelectorFromSpec(sel.labelSelector).matches(c.metadata.labels)) return { matches: false };
    } catch (e) {
      return { matches: false, error: `invalid labelSelector: ${(e as Error).message}` };
    }
  }
  if (sel.expression) {
    if (!cel) return { matches: false, error: 'no CEL compiler configured' };
    const program = cel(sel.expression);
    if (typeof program !== 'function') return { matches: false, error: program.error };
    try {
      const r = program({ cluster: c });
      if (typeof r === 'boolean') return { matches: r };
      return { matches: false, error: r.error };
    } catch (e) {
      return { matches: false, error: (e as Error).message };
    }
  }
  return { matches: true };
}

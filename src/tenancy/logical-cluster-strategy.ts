/**
 * How a LogicalCluster may change, as kcp's logicalcluster admission allows it to anyone but the
 * system (`system:masters`, which the server's own components are): `spec.initializers` never
 * changes; while the cluster is `Initializing` its `status.initializers` may only shrink (an
 * initializer removes itself when done); it may leave `Initializing` only with none left; after
 * that they are fixed; and the phase never goes back (Scheduling → Initializing → Ready).
 *
 * kcp refuses these in an admission plugin with `admission.NewForbidden`: a 403 Forbidden Status
 * naming the LogicalCluster (`logicalclusters.core.kcp.io "cluster" is forbidden: …`), not a 422
 * Invalid, so a refusal is thrown here rather than returned as field errors.
 */
import { forbidden, type FieldError } from '../errors/status.js';
import type { Strategy, StrategyContext } from '../registry/types.js';
import type { KubeObject } from '../storage/types.js';

const PHASE_ORDER: Record<string, number> = { '': 1, Scheduling: 2, Initializing: 3, Ready: 4 };
const SYSTEM_GROUP = 'system:masters';
const LOGICAL_CLUSTERS = { group: 'core.kcp.io', resource: 'logicalclusters' };

const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

export function logicalClusterStrategy(base: Strategy | undefined): Strategy {
  return {
    ...base,
    validateUpdate(obj: KubeObject, old: KubeObject, ctx: StrategyContext): FieldError[] {
      if (ctx.user.groups.includes(SYSTEM_GROUP)) return [];
      // the first, as kcp's plugin answers with the first rule broken
      const refused = refusals(obj, old)[0];
      if (refused) throw forbidden(LOGICAL_CLUSTERS, obj.metadata?.name ?? '', refused);
      return [];
    },
  };
}

/** What kcp's logicalcluster admission refuses in this change, each as "<field> <why>", the most telling first. */
function refusals(obj: KubeObject, old: KubeObject): string[] {
  const errs: string[] = [];
  if (!sameSet(list(obj.spec?.initializers), list(old.spec?.initializers))) errs.push('spec.initializers is immutable: it is set by the system when the workspace is created');
  const oldPhase = String(old.status?.phase ?? '');
  const phase = String(obj.status?.phase ?? '');
  const before = list(old.status?.initializers);
  const after = list(obj.status?.initializers);
  if ((PHASE_ORDER[oldPhase] ?? 0) > (PHASE_ORDER[phase] ?? 0) && oldPhase in PHASE_ORDER && phase in PHASE_ORDER) {
    errs.push(`status.phase cannot transition from "${oldPhase}" to "${phase}"`);
  }
  if (oldPhase === 'Initializing' && phase === 'Initializing') {
    const added = after.filter((i) => !before.includes(i));
    if (added.length) errs.push(`status.initializers must not grow while initializing (added: ${added.join(', ')}); an initializer may only remove itself`);
  } else if (oldPhase === 'Initializing') {
    if (after.length) errs.push(`status.initializers is not empty (${after.join(', ')}): the workspace leaves Initializing only once every initializer has removed itself`);
  } else if (!sameSet(before, after)) {
    errs.push('status.initializers is immutable after initialization');
  }
  return errs;
}

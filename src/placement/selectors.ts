/**
 * ClusterSelector matching (clusterNames AND labelSelector AND locations AND CEL expression), the
 * shape shared by spec.clusterSelector and replicaScheduling.weights.static[].clusterSelector.
 * Compiled once per call; a mismatch says which part failed.
 */
import { type LabelSelector, labelSelectorFromSpec } from '../machinery/labels.js';
import type { CelRuntime } from './cel.js';
import type { ClusterView } from './cluster-view.js';
import { Reason } from './reasons.js';
import { isMemoized, memoValue, remember } from './snapshot.js';
import type { ClusterSelector } from './types.js';

/** A mismatch is also the ClusterSelector filter's failing outcome (passed: false), memoized with it. */
export type Match = { matched: true } | { matched: false; passed: false; reason: string; message: string };

export class CompiledClusterSelector {
  private readonly names: Set<string> | undefined;
  private readonly locations: Set<string> | undefined;
  private readonly labels: LabelSelector | undefined;
  private readonly labelError: string | undefined;

  /**
   * `memoKey`: when given, a cluster's verdict is kept in its snapshot memo under this key (it
   * depends only on the cluster, this selector and the CEL environment the key must name).
   */
  constructor(private readonly spec: ClusterSelector, private readonly cel: CelRuntime, private readonly memoKey?: number) {
    this.names = spec.clusterNames?.length ? new Set(spec.clusterNames) : undefined;
    this.locations = spec.locations?.length ? new Set(spec.locations) : undefined;
    if (spec.labelSelector) {
      try {
        this.labels = labelSelectorFromSpec(spec.labelSelector);
      } catch (e) {
        this.labelError = (e as Error).message;
      }
    }
  }

  match(c: ClusterView): Match {
    const key = this.memoKey;
    if (key === undefined) return this.evaluate(c);
    return isMemoized(c.facts, key) ? memoValue<Match>(c.facts, key) : remember(c.facts, key, this.evaluate(c));
  }

  private evaluate(c: ClusterView): Match {
    if (this.names && !this.names.has(c.name)) {
      return { matched: false, passed: false, reason: Reason.ClusterNotSelected, message: 'not in clusterNames' };
    }
    if (this.labelError) return { matched: false, passed: false, reason: Reason.ClusterNotSelected, message: `invalid labelSelector: ${this.labelError}` };
    if (this.labels && !this.labels.matches(c.labels)) {
      return { matched: false, passed: false, reason: Reason.ClusterNotSelected, message: `labels do not match ${this.labels.toString() || '{}'}` };
    }
    if (this.locations && (c.location === undefined || !this.locations.has(c.location))) {
      return { matched: false, passed: false, reason: Reason.ClusterNotSelected, message: `location ${c.location ?? '(none)'} not in [${[...this.locations].join(', ')}]` };
    }
    if (this.spec.expression) {
      const r = this.cel.evaluate(this.spec.expression, { cluster: c.obj });
      if (typeof r !== 'boolean') return { matched: false, passed: false, reason: Reason.CELError, message: `expression: ${r.error}` };
      if (!r) return { matched: false, passed: false, reason: Reason.ClusterNotSelected, message: `expression is false: ${this.spec.expression}` };
    }
    return { matched: true };
  }
}

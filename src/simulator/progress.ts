/**
 * Per-workload progress: when its current generation (or its share of capacity) started, so the
 * loop knows whether --ready-delay has passed. Kept in memory; after a restart a workload whose
 * status already observed its generation counts as settled long ago, so nothing flaps back.
 */
import type { KubeObject } from '../storage/types.js';
import { templateHash } from './workload-status.js';

interface Entry {
  generation: number;
  template: string;
  placed: number;
  since: number;
  rollout: boolean;
}

export interface ProgressView {
  settled: boolean;
  rollout: boolean;
  since: Date;
  /** templateHash of the current generation's pod template. */
  template: string;
  /** When it settles (ms since epoch); undefined once settled. */
  settlesAt: number | undefined;
}

export class ProgressTracker {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly delayMs: number) {}

  /** Records what the loop sees now and says where the workload stands. */
  observe(key: string, obj: KubeObject, placed: number, now: number): ProgressView {
    const generation = obj.metadata.generation ?? 1;
    // The template is hashed only when a generation starts (a template change bumps it): status
    // writes make new object versions all the time, and hashing each was a tenth of a pass.
    let e = this.entries.get(key);
    if (!e) {
      const seenBefore = obj.status?.observedGeneration === generation;
      e = { generation, template: templateHash(obj.spec?.template), placed, since: seenBefore ? 0 : now, rollout: false };
      this.entries.set(key, e);
    } else if (e.generation !== generation) {
      const template = templateHash(obj.spec?.template);
      e.rollout = e.template !== template;
      Object.assign(e, { generation, template, placed, since: now });
    } else if (placed > e.placed) {
      // newly scheduled pods take the delay to start, like any other pod
      Object.assign(e, { placed, since: now });
    } else {
      e.placed = placed;
    }
    const settlesAt = e.since + this.delayMs;
    const settled = now >= settlesAt;
    if (settled) e.rollout = false;
    return { settled, rollout: e.rollout, since: new Date(e.since || now), template: e.template, settlesAt: settled ? undefined : settlesAt };
  }

  /** Forgets workloads that no longer exist. */
  retain(keys: Set<string>): void {
    for (const k of this.entries.keys()) if (!keys.has(k)) this.entries.delete(k);
  }
}

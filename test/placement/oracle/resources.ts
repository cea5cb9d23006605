/**
 * Resource arithmetic on exact nano-units (bigint), parsed once per call. cpu, memory and pods are
 * the only resources the engine reasons about; a resource a cluster does not report is "unknown"
 * (undefined), which never blocks a placement (as Karmada treats clusters without a summary).
 */
import { tryParseQuantity } from '../../../src/machinery/quantity.js';
import type { ResourceList } from './types.js';

export const RESOURCES = ['cpu', 'memory', 'pods'] as const;
export type ResourceName = (typeof RESOURCES)[number];

/** nano-units per resource; undefined = not reported. */
export type Amounts = Record<ResourceName, bigint | undefined>;

export const NANO = 1_000_000_000n;

/** A memo of quantity text → nanos, so 5 000 clusters reporting "64" parse "64" once. */
export class QuantityCache {
  private readonly memo = new Map<string | number, bigint | null>();

  nanos(q: string | number | undefined): bigint | undefined {
    if (q === undefined || q === null) return undefined;
    let v = this.memo.get(q);
    if (v === undefined) {
      v = tryParseQuantity(q)?.nanos ?? null;
      this.memo.set(q, v);
    }
    return v ?? undefined;
  }

  amounts(list: ResourceList | undefined): Amounts {
    return {
      cpu: this.nanos(list?.cpu),
      memory: this.nanos(list?.memory),
      pods: this.nanos(list?.pods),
    };
  }
}

/** Human units for messages: cpu in cores (or m), memory in Mi/Gi, pods as a count. */
export function formatAmount(r: ResourceName, nanos: bigint): string {
  if (r === 'cpu') {
    const milli = nanos / 1_000_000n;
    return milli % 1000n === 0n ? `${milli / 1000n}` : `${milli}m`;
  }
  const units = nanos / NANO;
  if (r === 'memory') {
    const mi = 1n << 20n;
    const gi = 1n << 30n;
    if (units >= gi && units % gi === 0n) return `${units / gi}Gi`;
    if (units >= mi && units % mi === 0n) return `${units / mi}Mi`;
    if (units >= mi) return `${(Number(units) / Number(mi)).toFixed(1)}Mi`;
    return `${units}`;
  }
  return `${units}`;
}

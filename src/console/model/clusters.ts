/**
 * What the console says about a ClusterRegistration: health, heartbeat age, capacity use,
 * cordon/drain state, region. Pure; `now` is passed in so a view re-renders ages without asking
 * the server again.
 */
import type { ClusterRegistration, Condition } from '../../apis/tmc/v1alpha1.js';
import { tryParseQuantity } from '../../machinery/quantity.js';

export const REGION_LABEL = 'topology.kubernetes.io/region';
export const ZONE_LABEL = 'topology.kubernetes.io/zone';
export const PROVIDER_LABEL = 'tmc.kcp.io/provider';

export type Health = 'Ready' | 'NotReady' | 'Unknown';

export interface ClusterHealth {
  health: Health;
  reason: string;
  message: string;
  /** Since when (RFC 3339), from the Ready condition's lastTransitionTime. */
  since?: string;
}

export function condition(c: { status?: { conditions?: Condition[] } }, type: string): Condition | undefined {
  return c.status?.conditions?.find((x) => x.type === type);
}

export function clusterHealth(c: ClusterRegistration): ClusterHealth {
  const ready = condition(c, 'Ready');
  if (!ready) return { health: 'Unknown', reason: 'NoStatus', message: 'TMC has not checked this cluster yet' };
  const health: Health = ready.status === 'True' ? 'Ready' : ready.status === 'False' ? 'NotReady' : 'Unknown';
  return { health, reason: ready.reason ?? '', message: ready.message ?? '', since: ready.lastTransitionTime };
}

/** Seconds since the last heartbeat; undefined when there never was one. */
export function heartbeatAgeSeconds(c: ClusterRegistration, now: number): number | undefined {
  const t = c.status?.lastHeartbeatTime ? Date.parse(c.status.lastHeartbeatTime) : NaN;
  return Number.isFinite(t) ? Math.max(0, Math.floor((now - t) / 1000)) : undefined;
}

/** kubectl-style age: 45s, 3m, 2h, 5d. */
export function formatAge(seconds: number | undefined): string {
  if (seconds === undefined) return 'never';
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 172800) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}

export type Scheduling = 'Schedulable' | 'Cordoned' | 'Draining' | 'Drained';

/** Cordon (`unschedulable`) and drain (`evictAfter`: draining until then, drained after). */
export function scheduling(c: ClusterRegistration, now: number): Scheduling {
  const evict = c.spec?.evictAfter ? Date.parse(c.spec.evictAfter) : NaN;
  if (Number.isFinite(evict)) return evict > now ? 'Draining' : 'Drained';
  return c.spec?.unschedulable ? 'Cordoned' : 'Schedulable';
}

export interface Usage {
  resource: string;
  used: number;
  total: number;
  /** 0..100, rounded; 0 when the total is unknown. */
  percent: number;
  /** e.g. `1.5 / 8` (cpu), `3Gi / 32Gi` (memory), `12 / 220` (pods). */
  text: string;
}

const RESOURCES = ['cpu', 'memory', 'pods'] as const;

/** Allocated against allocatable (else capacity), per cpu, memory and pods. */
export function capacityUsage(c: ClusterRegistration): Usage[] {
  const total = c.status?.allocatable ?? c.status?.capacity ?? {};
  const used = c.status?.allocated ?? {};
  return RESOURCES.flatMap((r) => {
    const t = total[r] !== undefined ? tryParseQuantity(total[r])?.toNumber() : undefined;
    if (t === undefined) return [];
    const u = used[r] !== undefined ? tryParseQuantity(used[r])?.toNumber() ?? 0 : 0;
    const percent = t > 0 ? Math.min(100, Math.round((u / t) * 100)) : 0;
    return [{ resource: r, used: u, total: t, percent, text: `${formatAmount(r, u)} / ${formatAmount(r, t)}` }];
  });
}

function formatAmount(resource: string, n: number): string {
  if (resource === 'memory') {
    for (const [suffix, size] of [['Ti', 2 ** 40], ['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]] as const) {
      if (n >= size) return `${trim(n / size)}${suffix}`;
    }
    return String(Math.round(n));
  }
  return trim(n);
}

const trim = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(n < 10 ? 2 : 1).replace(/\.?0+$/, ''));

export function region(c: ClusterRegistration): string {
  return c.metadata.labels?.[REGION_LABEL] || c.spec?.location || '(no region)';
}

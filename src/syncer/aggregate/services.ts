/**
 * Services and Ingresses: the load-balancer ingress points of every cluster, deduplicated by
 * ip/hostname, so a client sees every address the workload answers on.
 */
import type { ClusterStatus } from './types.js';

interface LBIngress { ip?: string; hostname?: string; [k: string]: unknown }

export function unionLoadBalancer(clusters: readonly ClusterStatus[]): { ingress: LBIngress[] } | undefined {
  const seen = new Set<string>();
  const ingress: LBIngress[] = [];
  let any = false;
  for (const { status } of clusters) {
    const lb = status.loadBalancer as { ingress?: LBIngress[] } | undefined;
    if (!lb) continue;
    any = true;
    for (const i of lb.ingress ?? []) {
      const id = `${i.ip ?? ''}|${i.hostname ?? ''}`;
      if (seen.has(id)) continue;
      seen.add(id);
      ingress.push(i);
    }
  }
  return any ? { ingress } : undefined;
}

/**
 * Reads a workload's per-cluster status, the JSON the syncer writes into the annotation
 * `status.tmc.kcp.io/<key>` (DESIGN.md §5). Read leniently, because it is the downstream
 * object's status as the physical cluster reports it:
 *
 * - the status itself (`{"replicas":3,"readyReplicas":3,"availableReplicas":3,…}`) or wrapped as
 *   `{"status":{…}}`;
 * - a sync failure as `error` or `message` (string) at the top level → state Failed;
 * - ready: replica kinds when availableReplicas (else readyReplicas) ≥ the cluster's share; other
 *   kinds when a condition Available/Ready/Complete is True, or `ready: true`, or — for objects
 *   without readiness (Services, ConfigMaps) — the status merely exists.
 */
import { statusAnnotation } from '../../apis/contract.js';
import type { WorkloadObject } from './types.js';

export interface ClusterWorkloadStatus {
  /** The annotation exists: the syncer has reported from that cluster. */
  reported: boolean;
  ready: boolean;
  /** Available (else ready) replicas, when the status carries them. */
  availableReplicas?: number;
  failed: boolean;
  message?: string;
}

const READY_CONDITIONS = new Set(['Available', 'Ready', 'Complete']);

export function clusterWorkloadStatus(w: WorkloadObject, key: string, share: number | undefined): ClusterWorkloadStatus {
  const raw = w.metadata.annotations?.[statusAnnotation(key)];
  if (raw === undefined) return { reported: false, ready: false, failed: false };
  let doc: Record<string, unknown>;
  try {
    const parsed = JSON.parse(raw) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    doc = parsed as Record<string, unknown>;
  } catch {
    return { reported: true, ready: false, failed: true, message: `unreadable status annotation ${statusAnnotation(key)}` };
  }
  const failure = typeof doc.error === 'string' ? doc.error : undefined;
  const message = failure ?? (typeof doc.message === 'string' ? doc.message : undefined);
  const status = (doc.status && typeof doc.status === 'object' ? doc.status : doc) as Record<string, unknown>;
  const available = num(status.availableReplicas) ?? num(status.readyReplicas);
  let ready: boolean;
  if (share !== undefined) ready = (available ?? 0) >= share;
  else ready = readyByConditions(status);
  return { reported: true, ready: ready && !failure, availableReplicas: available, failed: failure !== undefined, message };
}

function readyByConditions(status: Record<string, unknown>): boolean {
  if (status.ready === true) return true;
  const conditions = Array.isArray(status.conditions) ? status.conditions as Array<{ type?: string; status?: string }> : [];
  const relevant = conditions.filter((c) => READY_CONDITIONS.has(c.type ?? ''));
  if (relevant.length > 0) return relevant.some((c) => c.status === 'True');
  return status.ready !== false;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

import type { Condition } from '../conditions.js';

/** One cluster's status as the syncer reports it (annotation `status.tmc.kcp.io/<key>`). */
export interface ReportedStatus {
  /** Mapped to the upstream generation the downstream controller has observed (see status/cluster-status.ts). */
  observedGeneration?: number;
  conditions?: Condition[];
  [field: string]: unknown;
}

export interface ClusterStatus {
  key: string;
  status: ReportedStatus;
}

/** The aggregate written to the upstream `.status`. */
export type AggregateStatus = Record<string, unknown> & { conditions?: Condition[]; observedGeneration?: number };

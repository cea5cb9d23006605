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
  /**
   * The replicas this cluster is meant to run: its Divided share, or all of them (Duplicated, one
   * cluster). Its replica counters count up to this, so a cluster still running more (an old
   * share, a surge) never lifts READY past what was asked for. Undefined: no cap (DaemonSets).
   */
  share?: number;
  /**
   * Set when this copy is an old one: a failover keeps it running until its replacement is
   * available, or it is being removed. Old copies are not counted while other copies run; the
   * value says why, for the condition that names them.
   */
  old?: string;
}

/** The aggregate written to the upstream `.status`. */
export type AggregateStatus = Record<string, unknown> & { conditions?: Condition[]; observedGeneration?: number };

/**
 * Pull mode: the agent proves it is alive by patching its ClusterRegistration's
 * status.lastHeartbeatTime every interval (the registration controller turns a stale heartbeat
 * into Ready=Unknown). A failed beat is logged and retried at the next tick.
 */
import { rfc3339 } from '../apis/time.js';
import { CLUSTER_REGISTRATIONS } from '../apis/tmc/gvr.js';
import type { KubeClient } from '../client/kube-client.js';
import type { Logger } from '../observability/logger.js';

export interface HeartbeatOptions {
  /** Client scoped to the registration's workspace. */
  registrationClient: KubeClient;
  registration: string;
  /** When given, a beat for a registration with another uid (deleted and recreated) is refused. */
  registrationUID?: string;
  intervalMs: number;
  logger?: Logger;
}

export class Heartbeat {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly opts: HeartbeatOptions) {}

  start(): void {
    void this.beat();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  async beat(): Promise<void> {
    const { registrationClient, registration, registrationUID } = this.opts;
    try {
      const metadata = registrationUID ? { uid: registrationUID } : undefined;
      await registrationClient.patch(CLUSTER_REGISTRATIONS, undefined, registration,
        { ...(metadata ? { metadata } : {}), status: { lastHeartbeatTime: rfc3339() } },
        { type: 'merge', subresource: 'status' });
    } catch (err) {
      this.opts.logger?.warn({ registration, err }, 'heartbeat failed');
    }
    if (!this.stopped) {
      this.timer = setTimeout(() => void this.beat(), this.opts.intervalMs);
      this.timer.unref();
    }
  }
}

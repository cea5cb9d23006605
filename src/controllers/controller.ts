/**
 * The worker runner: N workers take keys from a WorkQueue, call reconcile, and apply the outcome
 * (reconcile.ts). A throw — of any kind — never kills a worker. `stop()` shuts the queue down and
 * resolves once every in-flight reconcile has finished, so a leader that loses its lease can stop
 * writing before someone else starts.
 */
import { isConflict } from '../errors/status.js';
import type { Logger } from '../observability/logger.js';
import { reconcileDuration, reconcileTotal } from '../observability/metrics.js';
import { applyOutcome, type ReconcileFunc, type ReconcileOutcome, type Settled } from './reconcile.js';
import type { WorkQueue } from './workqueue.js';

export interface ControllerOptions {
  /** Names the queue, the log key and the metric label. */
  name: string;
  queue: WorkQueue;
  reconcile: ReconcileFunc;
  /** @default 1 */
  workers?: number;
  logger?: Logger;
  /** Metric hook, called once per processed key (e.g. tmc_reconcile_total{controller,outcome}). */
  onOutcome?(event: { controller: string; key: string; outcome: ReconcileOutcome; durationMs: number; error?: unknown }): void;
  /** Clock for durations. @default Date.now */
  now?(): number;
}

export class Controller {
  readonly name: string;
  private workers: Array<Promise<void>> = [];
  private started = false;

  constructor(private readonly opts: ControllerOptions) {
    this.name = opts.name;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    const n = Math.max(1, this.opts.workers ?? 1);
    for (let i = 0; i < n; i++) this.workers.push(this.runWorker());
    this.opts.logger?.info({ controller: this.name, workers: n }, 'controller started');
  }

  /** Shut the queue down and wait for in-flight reconciles. */
  async stop(): Promise<void> {
    this.opts.queue.shutDown();
    await Promise.all(this.workers);
    this.opts.logger?.info({ controller: this.name }, 'controller stopped');
  }

  private async runWorker(): Promise<void> {
    for (;;) {
      const key = await this.opts.queue.get();
      if (key === undefined) return;
      await this.processItem(key);
    }
  }

  /** One key through reconcile and the outcome table; never throws, so the worker loop survives. */
  private async processItem(key: string): Promise<void> {
    const now = this.opts.now ?? Date.now;
    const started = now();
    let settled: Settled;
    try {
      settled = { result: await this.opts.reconcile(key) };
    } catch (error) {
      settled = { error };
    }
    try {
      const outcome = applyOutcome(this.opts.queue, key, settled);
      this.report(key, outcome, now() - started, 'error' in settled ? settled.error : undefined);
    } finally {
      this.opts.queue.done(key);
    }
  }

  private report(key: string, outcome: ReconcileOutcome, durationMs: number, error: unknown): void {
    const log = this.opts.logger;
    reconcileTotal.inc({ controller: this.name, result: outcome });
    reconcileDuration.observe({ controller: this.name }, durationMs / 1000);
    // A conflict is routine (someone wrote first; the retry reads the new version): no warning, no stack.
    if (outcome === 'error' && isConflict(error)) log?.debug({ controller: this.name, key, reason: 'Conflict', error: (error as Error).message }, 'reconcile conflicted, will retry');
    else if (outcome === 'error') log?.warn({ controller: this.name, key, err: error }, 'reconcile failed, will retry');
    else if (outcome === 'terminal') log?.error({ controller: this.name, key, err: error }, 'reconcile failed terminally, not retrying');
    else log?.debug({ controller: this.name, key, outcome, durationMs }, 'reconciled');
    try {
      this.opts.onOutcome?.({ controller: this.name, key, outcome, durationMs, error });
    } catch (hookErr) {
      log?.error({ controller: this.name, err: hookErr }, 'onOutcome hook threw');
    }
  }
}

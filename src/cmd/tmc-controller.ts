#!/usr/bin/env node
/**
 * tmc-controller entry point: the TMC controllers as a separate process that sees consumer
 * workspaces only through the TMC APIExport's virtual workspace (docs/tmc-controller.md).
 * flags → startTmcController; prints one `ready` line; stops gracefully on SIGTERM/SIGINT.
 */
import { parseControllerArgs, type ControllerOptions } from './controller-options.js';
import { startTmcController } from './controller-process.js';
import { createLogger } from '../observability/logger.js';

async function main(): Promise<void> {
  let opts: ControllerOptions;
  try {
    opts = parseControllerArgs(process.argv.slice(2));
  } catch (e) {
    const err = e as { code?: string; message: string };
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') process.exit(0);
    process.stderr.write(`tmc-controller: ${err.message}\n`);
    process.exit(2);
  }
  const log = createLogger({ level: opts.logLevel, format: opts.logFormat, name: 'tmc-controller' });
  const starting = new AbortController();
  let stopping = false;
  const early = () => { stopping = true; starting.abort(); };
  process.once('SIGTERM', early);
  process.once('SIGINT', early);
  const running = await startTmcController(opts, log, starting.signal);
  process.off('SIGTERM', early);
  process.off('SIGINT', early);
  const where = [`virtual workspace ${running.viewURL}`, running.metricsURL && `metrics ${running.metricsURL}/metrics`, running.healthURL && `health ${running.healthURL}/readyz`].filter(Boolean).join(', ');
  log.info({ viewURL: running.viewURL, metricsURL: running.metricsURL, healthURL: running.healthURL, leaderElect: opts.leaderElect }, 'tmc-controller ready');
  process.stdout.write(`tmc-controller ready (${where})\n`);
  const shutdown = (signal: string) => {
    log.info({ signal }, 'shutting down');
    running.stop().then(() => process.exit(0), (err) => {
      log.error({ err }, 'shutdown failed');
      process.exit(1);
    });
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  if (stopping) { shutdown('SIGTERM'); return; }
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`tmc-controller: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

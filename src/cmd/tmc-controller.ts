#!/usr/bin/env node
/**
 * tmc-controller entry point: the TMC controllers as a separate process that sees consumer
 * workspaces only through the TMC APIExport's virtual workspace (docs/tmc-controller.md).
 * flags → startTmcController; prints one `ready` line; stops gracefully on SIGTERM/SIGINT.
 */
import { parseControllerArgs, type ControllerOptions } from './controller-options.js';
import { startTmcController } from './controller-process.js';
import { createLogger } from '../observability/logger.js';
import { gracefulStop, parseArgsOrExit, runMain, stopOnSignals } from './process-main.js';

async function main(): Promise<void> {
  const opts: ControllerOptions = parseArgsOrExit('tmc-controller', parseControllerArgs);
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
  const shutdown = gracefulStop(log, () => running.stop());
  if (stopping) { shutdown('SIGTERM'); return; }
  stopOnSignals(shutdown);
}

runMain('tmc-controller', main);

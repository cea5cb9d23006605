#!/usr/bin/env node
/**
 * tmc-server entry point: flags → startTmcServer; prints one `ready` line with the URL; stops
 * gracefully on SIGTERM/SIGINT.
 */
import { parseServerArgs } from './server-options.js';
import { startTmcServer } from './start-server.js';
import { withDefaultHooks } from './default-hooks.js';
import { createLogger } from '../observability/logger.js';
import { gracefulStop, parseArgsOrExit, runMain, stopOnSignals } from './process-main.js';

async function main(): Promise<void> {
  const opts = parseArgsOrExit('tmc-server', parseServerArgs);
  const log = createLogger({ level: opts.logLevel, format: opts.logFormat });
  const running = await startTmcServer(opts, withDefaultHooks(opts, { logger: log }));
  log.info({ url: running.url, mode: opts.mode, storage: opts.storage, kubeconfigPath: running.kubeconfigPath }, `tmc-server ready at ${running.url}`);
  process.stdout.write(`tmc-server ready at ${running.url} (kubeconfig: ${running.kubeconfigPath})\n`);
  stopOnSignals(gracefulStop(log, () => running.stop()));
}

runMain('tmc-server', main);

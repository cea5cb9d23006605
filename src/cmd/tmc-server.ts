#!/usr/bin/env node
/**
 * tmc-server entry point: flags → startTmcServer; prints one `ready` line with the URL; stops
 * gracefully on SIGTERM/SIGINT.
 */
import { parseServerArgs } from './server-options.js';
import { startTmcServer } from './start-server.js';
import { withDefaultHooks } from './default-hooks.js';
import { createLogger } from '../observability/logger.js';

async function main(): Promise<void> {
  let opts;
  try {
    opts = parseServerArgs(process.argv.slice(2));
  } catch (e) {
    const err = e as { code?: string; message: string; exitCode?: number };
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') process.exit(0);
    process.stderr.write(`tmc-server: ${err.message}\n`);
    process.exit(2);
  }
  const log = createLogger({ level: opts.logLevel, format: opts.logFormat });
  const running = await startTmcServer(opts, withDefaultHooks(opts, { logger: log }));
  log.info({ url: running.url, mode: opts.mode, storage: opts.storage, kubeconfigPath: running.kubeconfigPath }, `tmc-server ready at ${running.url}`);
  process.stdout.write(`tmc-server ready at ${running.url} (kubeconfig: ${running.kubeconfigPath})\n`);
  const shutdown = (signal: string) => {
    log.info({ signal }, 'shutting down');
    running.stop().then(() => process.exit(0), (err) => {
      log.error({ err }, 'shutdown failed');
      process.exit(1);
    });
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`tmc-server: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});

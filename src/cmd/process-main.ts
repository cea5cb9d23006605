/**
 * What every TMC process entry point (tmc-server, tmc-controller, tmc-syncer) does the same way
 * around its own start: flag errors and --help, the graceful stop on SIGTERM/SIGINT, and a failed
 * start. One place, so the processes exit with the same codes and messages.
 */
import type { Logger } from '../observability/logger.js';

/** How long a graceful stop may take before the process exits anyway (code 1). */
const STOP_TIMEOUT_MS = 10_000;

/** `parse(argv)`, or exit: 0 after --help/--version, 2 with `<name>: <message>` for a bad flag. */
export function parseArgsOrExit<T>(name: string, parse: (argv: string[]) => T, argv = process.argv.slice(2)): T {
  try {
    return parse(argv);
  } catch (e) {
    const err = e as { code?: string; message: string };
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') process.exit(0);
    process.stderr.write(`${name}: ${err.message}\n`);
    process.exit(2);
  }
}

/**
 * The graceful stop: logs the signal, runs `stop`, exits 0 (1 when it fails or outlasts the
 * timeout). Returned so a process that saw a signal while starting can call it itself.
 */
export function gracefulStop(log: Logger, stop: () => Promise<unknown>): (signal: string) => void {
  return (signal) => {
    log.info({ signal }, 'shutting down');
    stop().then(() => process.exit(0), (err) => {
      log.error({ err }, 'shutdown failed');
      process.exit(1);
    });
    setTimeout(() => process.exit(1), STOP_TIMEOUT_MS).unref();
  };
}

/** Calls `shutdown` on the first SIGTERM or SIGINT. */
export function stopOnSignals(shutdown: (signal: string) => void): void {
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

/** Runs `main`; a failed start prints `<name>: <why>` (the stack when there is one) and exits 1. */
export function runMain(name: string, main: () => Promise<void>): void {
  main().catch((err) => {
    process.stderr.write(`${name}: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  });
}

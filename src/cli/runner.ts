/**
 * The glue between commander and the commands: builds a CliContext from the global flags of the
 * invoked command, runs the command, and always closes the context's connections.
 */
import type { Command } from 'commander';
import { CliContext, type CliIO, type GlobalOptions } from './context.js';

export type Runner = (cmd: Command, fn: (ctx: CliContext) => Promise<void>) => Promise<void>;

export function makeRunner(io: CliIO): Runner {
  return async (cmd, fn) => {
    const ctx = new CliContext(io, cmd.optsWithGlobals<GlobalOptions>());
    try {
      await fn(ctx);
    } finally {
      ctx.close();
    }
  };
}

/**
 * `tmcctl version [--client]`: tmcctl's version, and the server's `/version` unless `--client`.
 * An unreachable server is reported but is not an error for the client half.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { serialize } from '../output.js';
import type { Runner } from '../runner.js';

/** The project version from package.json (found from src/ or dist/src/). */
export function clientVersion(): string {
  for (const rel of ['../../../package.json', '../../../../package.json']) {
    const p = fileURLToPath(new URL(rel, import.meta.url));
    if (!existsSync(p)) continue;
    try {
      const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'tmc' && pkg.version) return pkg.version;
    } catch { /* try the next candidate */ }
  }
  return '0.0.0-unknown';
}

export async function runVersion(ctx: CliContext, o: { client: boolean }): Promise<void> {
  const format = ctx.outputFormat();
  const client = { gitVersion: `v${clientVersion()}`, platform: `${process.platform}/${process.arch}`, nodeVersion: process.version };
  let server: Record<string, unknown> | undefined;
  let serverError: string | undefined;
  if (!o.client) {
    try {
      server = await ctx.rootClient().version() as unknown as Record<string, unknown>;
    } catch (e) {
      serverError = (e as Error).message;
    }
  }
  if (format !== 'table') {
    ctx.io.stdout(serialize({ clientVersion: client, ...(server ? { serverVersion: server } : {}) }, format));
  } else {
    ctx.out(`Client Version: tmcctl ${client.gitVersion} (${client.platform}, node ${client.nodeVersion})`);
    if (server) ctx.out(`Server Version: ${String(server.gitVersion ?? '')}`);
  }
  if (serverError) ctx.warn(`cannot get the server version: ${serverError}`);
}

export function registerVersion(program: Command, run: Runner): void {
  program.command('version')
    .description('print the client and server versions')
    .option('--client', 'only the client version')
    .action(async (flags: { client?: boolean }, cmd: Command) => run(cmd, (ctx) => runVersion(ctx, { client: !!flags.client })));
}

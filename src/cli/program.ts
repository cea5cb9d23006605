/**
 * The tmcctl program: global flags, the command tree, and the mapping of failures to exit codes
 * (0 ok, 1 the operation failed, 2 usage). `runCli` never calls process.exit, so tests run it
 * in-process with captured output; src/cmd/tmcctl.ts and src/cmd/kubectl-tmc.ts are the thin
 * entry points.
 */
import { Command, CommanderError, Option } from 'commander';
import { isStatusError } from '../errors/status.js';
import type { CliIO } from './context.js';
import { CliError, UsageError } from './errors.js';
import { makeRunner } from './runner.js';
import { registerBind } from './commands/bind.js';
import { registerCluster } from './commands/cluster.js';
import { registerPlacement } from './commands/placement.js';
import { registerReplicas } from './commands/replicas.js';
import { clientVersion, registerVersion } from './commands/version.js';
import { registerWs } from './commands/ws.js';

export interface ProgramOptions {
  /** `tmcctl`, or `kubectl tmc` when run as the kubectl plugin. */
  name?: string;
}

export function buildProgram(io: CliIO, o: ProgramOptions = {}): Command {
  const program = new Command(o.name ?? 'tmcctl')
    .description('TMC (Transparent Multi-Cluster for kcp): workspaces, API bindings, physical clusters and placements')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .showHelpAfterError('(add --help for usage)')
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to use (default: its current-context)')
    .option('-s, --server <url>', 'API server URL, overriding the kubeconfig\'s (…/clusters/<workspace>)')
    .option('--workspace <path>', 'operate in this workspace instead of the kubeconfig\'s (root:org)')
    .addOption(new Option('-o, --output <format>', 'output format where supported').choices(['table', 'json', 'yaml']))
    .version(clientVersion(), '--version', 'print the client version');
  const run = makeRunner(io);
  registerWs(program, run);
  registerBind(program, run);
  registerCluster(program, run);
  registerPlacement(program, run);
  registerReplicas(program, run);
  registerVersion(program, run);
  return program;
}

/** Runs one invocation (`argv` without node and the script) and returns the exit code. */
export async function runCli(argv: string[], io: CliIO, o: ProgramOptions = {}): Promise<number> {
  const program = buildProgram(io, o);
  if (argv.length === 0) {
    program.outputHelp();
    return 2;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    return reportError(e, io, program.name());
  }
}

function reportError(e: unknown, io: CliIO, name: string): number {
  if (e instanceof CommanderError) {
    // commander has printed its message already
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.help' || e.code === 'commander.version') return 0;
    if (e.code === 'commander.executeSubCommandAsync') return e.exitCode;
    return 2;
  }
  if (e instanceof UsageError) {
    io.stderr(`error: ${e.message}\n(add --help for usage of ${name})\n`);
    return 2;
  }
  if (e instanceof CliError) {
    io.stderr(`Error: ${e.message}\n`);
    return 1;
  }
  if (isStatusError(e)) {
    io.stderr(`Error from server (${e.reason}): ${e.message}\n`);
    return 1;
  }
  const err = e as NodeJS.ErrnoException;
  if (err && typeof err.code === 'string' && /^(ECONNREFUSED|ENOTFOUND|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|CERT_|DEPTH_ZERO|UNABLE_TO|SELF_SIGNED|ERR_TLS)/.test(err.code)) {
    io.stderr(`Error: cannot reach the server (${err.code}): ${err.message}; check --kubeconfig/--server\n`);
    return 1;
  }
  io.stderr(`Error: ${err instanceof Error ? err.message : String(e)}\n`);
  return 1;
}

#!/usr/bin/env node
/**
 * kubectl-tmc: the kubectl plugin shim. With this file on the PATH as `kubectl-tmc`,
 * `kubectl tmc <command>` runs the same program as tmcctl (src/cli/program.ts).
 */
import { runCli } from '../cli/program.js';

const code = await runCli(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  env: process.env,
}, { name: 'kubectl tmc' });
process.exitCode = code;

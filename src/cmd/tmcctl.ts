#!/usr/bin/env node
/**
 * tmcctl: the TMC command line (src/cli/program.ts). Wiring only.
 */
import { runCli } from '../cli/program.js';

const code = await runCli(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  env: process.env,
});
process.exitCode = code;

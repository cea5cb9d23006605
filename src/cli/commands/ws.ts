/**
 * The `tmcctl ws` command family: registers `ws` itself (print or switch, in ws-switch.ts) and its
 * subcommands `create` and `tree`. Registration only, so the subcommands can use the switch
 * without importing the file that registers them.
 */
import type { Command } from 'commander';
import type { Runner } from '../runner.js';
import { registerWsCreate } from './ws-create.js';
import { runWs } from './ws-switch.js';
import { registerWsTree } from './ws-tree.js';

export function registerWs(program: Command, run: Runner): void {
  const ws = program.command('ws')
    .description('print or switch the current workspace (rewrites the kubeconfig server URL)')
    .argument('[workspace]', 'a child (team), an absolute path (:root:org or root:org), .. (parent) or - (previous)')
    .addHelpText('after', '\nExamples:\n  tmcctl ws                 # print the current workspace\n  tmcctl ws :root:org       # absolute\n  tmcctl ws team            # a child of the current workspace\n  tmcctl ws ..              # the parent\n  tmcctl ws -               # back to the previous one\n  tmcctl ws create team --enter\n  tmcctl ws tree')
    .action(async (target: string | undefined, _opts: unknown, cmd: Command) => run(cmd, (ctx) => runWs(ctx, { target })));
  ws.command('use')
    .description('switch to a workspace (same as "tmcctl ws <workspace>")')
    .argument('<workspace>', 'the workspace path')
    .action(async (target: string, _opts: unknown, cmd: Command) => run(cmd, (ctx) => runWs(ctx, { target })));
  ws.command('current')
    .description('print the current workspace')
    .action(async (_opts: unknown, cmd: Command) => run(cmd, (ctx) => runWs(ctx, {})));
  registerWsCreate(ws, run);
  registerWsTree(ws, run);
}

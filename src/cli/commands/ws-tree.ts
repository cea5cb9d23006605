/**
 * `tmcctl ws tree`: the current workspace and every workspace below it, as kcp's `kubectl ws tree`
 * draws it. Each level is a list of Workspace objects in the parent.
 */
import type { Command } from 'commander';
import type { KubeClient } from '../../client/kube-client.js';
import type { CliContext } from '../context.js';
import { WORKSPACES } from '../gvr.js';
import { serialize } from '../output.js';
import type { Runner } from '../runner.js';

export interface WorkspaceNode {
  name: string;
  path: string;
  phase?: string;
  children: WorkspaceNode[];
}

export async function workspaceTree(root: KubeClient, path: string, depth = 0): Promise<WorkspaceNode> {
  const node: WorkspaceNode = { name: path.split(':').pop()!, path, children: [] };
  if (depth > 32) return node;
  const list = await root.forCluster(path).listAll(WORKSPACES);
  const items = [...list.items].sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
  node.children = await Promise.all(items.map(async (ws) => {
    const child = await workspaceTree(root, `${path}:${ws.metadata.name}`, depth + 1);
    child.phase = (ws.status as { phase?: string } | undefined)?.phase;
    return child;
  }));
  return node;
}

export function drawTree(node: WorkspaceNode): string {
  const lines = ['.', `└── ${node.path}`];
  const walk = (n: WorkspaceNode, prefix: string) => {
    n.children.forEach((c, i) => {
      const last = i === n.children.length - 1;
      const note = c.phase && c.phase !== 'Ready' ? ` (${c.phase})` : '';
      lines.push(`${prefix}${last ? '└── ' : '├── '}${c.name}${note}`);
      walk(c, prefix + (last ? '    ' : '│   '));
    });
  };
  walk(node, '    ');
  return lines.join('\n') + '\n';
}

export async function runWsTree(ctx: CliContext): Promise<void> {
  const format = ctx.outputFormat(['table', 'json', 'yaml']);
  const tree = await workspaceTree(ctx.rootClient(), ctx.currentWorkspace());
  ctx.io.stdout(format === 'table' ? drawTree(tree) : serialize(tree, format));
}

export function registerWsTree(ws: Command, run: Runner): void {
  ws.command('tree')
    .description('show the current workspace and every workspace below it')
    .action(async (_opts: unknown, cmd: Command) => run(cmd, (ctx) => runWsTree(ctx)));
}

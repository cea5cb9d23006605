/**
 * Which logical clusters exist, by path and by name. `root` always does; every `Workspace` named
 * `n` stored in cluster `c` creates `c:n`, whose logical cluster name is the Workspace's
 * `spec.cluster` (generated at create, as kcp's scheduler does; a Workspace stored before names
 * existed has its path there, so its name is its path). Kept in memory from the server's shared
 * Workspace informer, so resolving a request's cluster costs a Map lookup.
 */
import { createHash, randomBytes } from 'node:crypto';
import { clusterOf } from '../apis/contract.js';
import { StatusError } from '../errors/status.js';
import type { StoreInformers } from '../storage/informers.js';
import type { KubeObject } from '../storage/types.js';

export const WORKSPACE_RESOURCE = 'tenancy.kcp.io/workspaces';
export const ROOT_CLUSTER = 'root';

export class LogicalClusters {
  private readonly clusters = new Map<string, KubeObject | undefined>([[ROOT_CLUSTER, undefined]]);
  /** logical cluster name → path, for names that differ from their path */
  private readonly paths = new Map<string, string>();
  private unregister?: () => void;
  private readonly deletedListeners: Array<(cluster: string) => void> = [];
  private readonly addedListeners: Array<(cluster: string) => void> = [];

  constructor(private readonly informers: StoreInformers) {}

  async start(): Promise<void> {
    const informer = this.informers.informer(WORKSPACE_RESOURCE);
    const put = (ws: KubeObject) => {
      const child = childCluster(ws);
      const isNew = !this.clusters.has(child);
      this.clusters.set(child, ws);
      const name = nameOf(ws);
      if (name && name !== child) this.paths.set(name, child);
      if (isNew) for (const fn of this.addedListeners) fn(child);
    };
    this.unregister = informer.addEventHandler({
      onAdd: put,
      onUpdate: (_old, ws) => put(ws),
      onDelete: (ws) => {
        const child = childCluster(ws);
        this.clusters.delete(child);
        const name = nameOf(ws);
        if (name && this.paths.get(name) === child) this.paths.delete(name);
        for (const fn of this.deletedListeners) fn(child);
      },
    });
    await informer.waitForSync();
  }

  stop(): void { this.unregister?.(); }

  /**
   * The path of `/clusters/<x>`, where x is a logical cluster name or a path; x itself when it is
   * no known name (then it is a path, checked by `check`). Names are base36 strings of 12 to
   * 16 characters (random, or hashed from a user name for homes), so they never collide with a
   * path's first segment (`root`, `user`).
   */
  resolve(x: string): string {
    return this.paths.get(x) ?? x;
  }

  /** The logical cluster name of a path (`kcp.io/cluster`, `spec.cluster`); the path when it has none. */
  nameOf(path: string): string {
    return nameOf(this.clusters.get(path)) || path;
  }

  exists(cluster: string): boolean {
    return this.clusters.has(cluster);
  }

  /** Throws a NotFound Status that says how to fix it. */
  check(cluster: string): void {
    if (this.clusters.has(cluster)) return;
    const parent = cluster.includes(':') ? cluster.slice(0, cluster.lastIndexOf(':')) : '';
    const name = cluster.slice(cluster.lastIndexOf(':') + 1);
    throw new StatusError(404, 'NotFound',
      `workspace "${cluster}" not found${parent ? `: create it with a Workspace named "${name}" in "${parent}"` : ''}`,
      { name: cluster, group: 'tenancy.kcp.io', kind: 'workspaces' });
  }

  all(): string[] { return [...this.clusters.keys()]; }

  /** The Workspace object that created a logical cluster (undefined for root). */
  workspace(cluster: string): KubeObject | undefined { return this.clusters.get(cluster); }

  onDeleted(fn: (cluster: string) => void): void { this.deletedListeners.push(fn); }

  onAdded(fn: (cluster: string) => void): void { this.addedListeners.push(fn); }
}

/** A new logical cluster name: 16 base36 characters, like kcp's. */
export function newLogicalClusterName(): string {
  let n = BigInt('0x' + randomBytes(11).toString('hex'));
  let s = '';
  for (let i = 0; i < 16; i++) { s += BASE36[Number(n % 36n)]; n /= 36n; }
  return s;
}

/**
 * The logical cluster name of a user's home workspace, derived as current kcp derives it: base36
 * of the first 8 bytes of SHA-224(user name), each leading zero byte written as one '0'. So every
 * replica and every restart gives a user the same name without asking anyone.
 */
export function homeClusterName(user: string): string {
  const head = createHash('sha224').update(user, 'utf8').digest().subarray(0, 8);
  let zeros = 0;
  while (zeros < head.length && head[zeros] === 0) zeros++;
  const rest = BigInt('0x' + head.toString('hex'));
  return '0'.repeat(zeros) + (rest === 0n ? '' : rest.toString(36));
}

const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';

const nameOf = (ws: KubeObject | undefined): string => (typeof ws?.spec?.cluster === 'string' ? ws.spec.cluster : '');

function childCluster(ws: KubeObject): string {
  const parent = clusterOf(ws, ROOT_CLUSTER);
  return `${parent}:${ws.metadata.name}`;
}

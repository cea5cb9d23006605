/**
 * Which workspaces a direct source watches. Static for tests and tmc-syncer flags; discovered for
 * the in-process manager (every workspace with an APIBinding to root:compute's `kubernetes`
 * export): by one wildcard APIBinding informer (`/clusters/*`, served to system:masters) so a
 * newly bound workspace is picked up at once, or, where the server refuses wildcard reads (an
 * ordinary user, another kcp), by walking the workspace tree every `intervalMs`.
 */
import { API_BINDINGS, WORKSPACES } from '../../apis/gvr.js';
import { Informer } from '../../client/informer.js';
import type { KubeClient } from '../../client/kube-client.js';
import { clusterOf } from '../../client/object-cache.js';
import type { KubeObject } from '../../client/types.js';
import type { Logger } from '../../observability/logger.js';

export interface WorkspaceProvider {
  current(): string[];
  /** Called whenever the set changes; returns an unsubscribe function. */
  onChange(cb: (workspaces: string[]) => void): () => void;
}

/** The current set and its subscribers: publishes only when the set really changes. */
class WorkspaceSet {
  private list: string[] = [];
  private readonly subscribers = new Set<(ws: string[]) => void>();

  current(): string[] {
    return this.list;
  }

  onChange(cb: (workspaces: string[]) => void): () => void {
    this.subscribers.add(cb);
    return () => this.subscribers.delete(cb);
  }

  publish(next: string[]): void {
    if (next.join('\n') === this.list.join('\n')) return;
    this.list = next;
    for (const cb of this.subscribers) cb(next);
  }
}

export function staticWorkspaces(workspaces: readonly string[]): WorkspaceProvider {
  const list = [...workspaces];
  return { current: () => list, onChange: () => () => {} };
}


export interface ExportRef { path: string; name: string }
export const COMPUTE_EXPORT: ExportRef = { path: 'root:compute', name: 'kubernetes' };
export const TMC_EXPORT: ExportRef = { path: 'root:tmc', name: 'tmc.kcp.io' };

/** Walks the workspace tree from `root` and returns the workspaces bound to `exportRef`. */
export async function discoverBoundWorkspaces(rootClient: KubeClient, exportRef: ExportRef, maxWorkspaces = 10_000): Promise<string[]> {
  const found: string[] = [];
  const queue = ['root'];
  let visited = 0;
  while (queue.length && visited++ < maxWorkspaces) {
    const ws = queue.shift()!;
    const client = rootClient.forCluster(ws);
    const [children, bindings] = await Promise.all([
      client.listAll(WORKSPACES).catch(() => ({ items: [] as KubeObject[] })),
      client.listAll(API_BINDINGS).catch(() => ({ items: [] as KubeObject[] })),
    ]);
    for (const c of children.items) if (c.metadata?.name) queue.push(`${ws}:${c.metadata.name}`);
    if (bindings.items.some((b) => bindsTo(b, exportRef))) found.push(ws);
  }
  return found.sort();
}

function bindsTo(binding: KubeObject, ref: ExportRef): boolean {
  const exp = (binding as { spec?: { reference?: { export?: { path?: string; name?: string } } } }).spec?.reference?.export;
  return exp?.name === ref.name && (exp.path ?? '') === ref.path;
}

/** A provider that re-discovers every `intervalMs` (and once at start). */
export class DiscoveredWorkspaces implements WorkspaceProvider {
  private readonly set = new WorkspaceSet();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly discover: () => Promise<string[]>, private readonly intervalMs = 10_000,
    private readonly onError: (err: unknown) => void = () => {}) {}

  async start(): Promise<void> {
    await this.refresh();
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  current(): string[] {
    return this.set.current();
  }

  onChange(cb: (workspaces: string[]) => void): () => void {
    return this.set.onChange(cb);
  }

  async refresh(): Promise<void> {
    try {
      this.set.publish(await this.discover());
    } catch (err) {
      this.onError(err);
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => { void this.refresh().finally(() => this.schedule()); }, this.intervalMs);
    this.timer.unref();
  }
}

/**
 * The workspaces bound to an export, kept current by a wildcard APIBinding informer; falls back
 * to DiscoveredWorkspaces (the periodic tree walk) when the first wildcard list is refused.
 */
export class BoundWorkspaces implements WorkspaceProvider {
  private readonly set = new WorkspaceSet();
  private informer: Informer | undefined;
  private fallback: DiscoveredWorkspaces | undefined;

  constructor(private readonly rootClient: KubeClient, private readonly exportRef: ExportRef,
    private readonly opts: { intervalMs?: number; logger?: Logger; onError?: (err: unknown) => void } = {}) {}

  /** 'watch' or 'poll', once started (for tests and logs). */
  mode(): 'watch' | 'poll' | undefined {
    return this.informer ? 'watch' : this.fallback ? 'poll' : undefined;
  }

  async start(): Promise<void> {
    const everywhere = this.rootClient.forCluster('*');
    try {
      await everywhere.list(API_BINDINGS, { limit: 1 });
    } catch (err) {
      this.opts.logger?.info({ err }, 'wildcard APIBinding reads refused; discovering workspaces by walking the tree');
      this.fallback = new DiscoveredWorkspaces(() => discoverBoundWorkspaces(this.rootClient, this.exportRef), this.opts.intervalMs ?? 10_000, this.opts.onError);
      this.fallback.onChange((ws) => this.set.publish(ws));
      await this.fallback.start();
      this.set.publish(this.fallback.current());
      return;
    }
    const informer = new Informer({ source: everywhere, gvr: API_BINDINGS, logger: this.opts.logger, backoff: { initialMs: 200, maxMs: 10_000 } });
    const recompute = (): void => this.set.publish([...new Set(informer.list().filter((b) => bindsTo(b, this.exportRef)).map((b) => clusterOf(b)).filter(Boolean))].sort());
    // Coalesced: the first list of 10 000 bindings is 10 000 add events, one recompute is enough.
    let pending = false;
    const changed = (): void => {
      if (pending) return;
      pending = true;
      queueMicrotask(() => { pending = false; recompute(); });
    };
    informer.addEventHandler({ onAdd: changed, onUpdate: changed, onDelete: changed });
    this.informer = informer;
    informer.start();
    await informer.waitForSync();
    recompute();
  }

  stop(): void {
    this.informer?.stop();
    this.fallback?.stop();
  }

  current(): string[] {
    return this.set.current();
  }

  onChange(cb: (workspaces: string[]) => void): () => void {
    return this.set.onChange(cb);
  }
}

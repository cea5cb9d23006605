/**
 * Which resources a logical cluster serves: the built-in types plus whatever its sources add
 * (CRDs created in it, APIs bound into it). The wire layer resolves every request through here
 * and builds discovery from it. Lookups are cached per cluster and invalidated by a generation
 * counter that sources bump when they change.
 */
import type { ResourceDef } from './types.js';
import { LruCache } from '../machinery/lru-cache.js';

/** Adds resources to clusters; `generation()` changes whenever `defsFor` may answer differently. */
export interface DefSource {
  defsFor(cluster: string): ResourceDef[];
  generation(): number;
}

interface ClusterIndex {
  generation: number;
  byGVR: Map<string, ResourceDef>;
  all: ResourceDef[];
}

const gvrKey = (g: string, v: string, r: string) => `${g}/${v}/${r}`;

/** Built-ins win over anything a source adds with the same group/version/resource. */
function buildIndex(builtins: ResourceDef[], added: ResourceDef[], generation: number): ClusterIndex {
  const byGVR = new Map<string, ResourceDef>();
  const all: ResourceDef[] = [];
  for (const d of [...builtins, ...added]) {
    const k = gvrKey(d.group, d.version, d.resource);
    if (byGVR.has(k)) continue;
    byGVR.set(k, d);
    all.push(d);
  }
  return { generation, byGVR, all };
}

export class ResourceCatalog {
  private readonly indexes = new LruCache<string, ClusterIndex>(10_000);
  /** The index of every cluster whose sources add nothing; the built-ins never change. */
  private builtinIndex?: ClusterIndex;
  private readonly listeners: Array<() => void> = [];

  constructor(private readonly builtins: ResourceDef[], private readonly sources: DefSource[] = []) {}

  addSource(s: DefSource): void {
    this.sources.push(s);
    this.indexes.clear();
  }

  /** A number that changes whenever any cluster's set of resources may have changed. */
  generation(): number {
    let g = this.sources.length;
    for (const s of this.sources) g += s.generation();
    return g;
  }

  private index(cluster: string): ClusterIndex {
    const gen = this.generation();
    const hit = this.indexes.get(cluster);
    if (hit && hit.generation === gen) return hit;
    const added = this.sources.flatMap((s) => s.defsFor(cluster));
    // Most workspaces add nothing (no CRD, no binding): they share the built-ins' index, so an
    // empty workspace costs no index of its own (one each was ~4.5 KiB, kept for 10 000 clusters).
    if (added.length === 0) {
      if (hit) this.indexes.delete(cluster);
      return this.builtinIndex ??= buildIndex(this.builtins, [], 0);
    }
    const idx = buildIndex(this.builtins, added, gen);
    this.indexes.set(cluster, idx);
    return idx;
  }

  /** How many clusters have an index of their own (those that add resources), for memory tests. */
  indexedClusters(): number { return this.indexes.size; }

  resolve(cluster: string, group: string, version: string, resource: string): ResourceDef | undefined {
    return this.index(cluster).byGVR.get(gvrKey(group, version, resource));
  }

  all(cluster: string): ResourceDef[] {
    return this.index(cluster).all;
  }

  /** Finds the def of a kind in any served version (preferring the first listed). */
  byKind(cluster: string, group: string, kind: string): ResourceDef | undefined {
    return this.all(cluster).find((d) => d.group === group && d.kind === kind);
  }

  onChange(fn: () => void): void { this.listeners.push(fn); }
  notify(): void { for (const fn of this.listeners) fn(); }
}

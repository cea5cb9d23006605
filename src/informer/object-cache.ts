/**
 * The informer's store: objects keyed by `cluster|namespace|name` plus named secondary indexes
 * (client-go's Indexer). The cluster part comes from the `kcp.io/cluster` annotation, so one
 * wildcard informer over `/clusters/*` keeps same-named objects of different workspaces apart.
 */
import type { KubeObject } from '../apis/object.js';
import { CLUSTER_ANNOTATION, clusterOf } from '../apis/contract.js';

export { CLUSTER_ANNOTATION, clusterOf };

/** Returns the values an object is indexed under (e.g. the clusters a placement selects). */
export type IndexFunc = (obj: KubeObject) => string[];

export function cacheKey(cluster: string, namespace: string | undefined, name: string): string {
  return `${cluster}|${namespace ?? ''}|${name}`;
}

export function cacheKeyOf(obj: KubeObject): string {
  return cacheKey(clusterOf(obj), obj.metadata?.namespace, obj.metadata?.name ?? '');
}

interface Index {
  fn: IndexFunc;
  byValue: Map<string, Set<string>>;
  /** What each key was last indexed under, so a change can remove the stale entries. */
  valuesOf: Map<string, string[]>;
}

export class ObjectCache {
  private readonly objects = new Map<string, KubeObject>();
  private readonly indexes = new Map<string, Index>();

  get size(): number {
    return this.objects.size;
  }

  get(key: string): KubeObject | undefined {
    return this.objects.get(key);
  }

  keys(): string[] {
    return [...this.objects.keys()];
  }

  list(): KubeObject[] {
    return [...this.objects.values()];
  }

  set(key: string, obj: KubeObject): void {
    this.objects.set(key, obj);
    for (const index of this.indexes.values()) this.reindex(index, key, obj);
  }

  delete(key: string): void {
    this.objects.delete(key);
    for (const index of this.indexes.values()) this.reindex(index, key, undefined);
  }

  hasIndex(name: string): boolean {
    return this.indexes.has(name);
  }

  /** Adding an index over a populated cache indexes what is already there. */
  addIndex(name: string, fn: IndexFunc): void {
    if (this.indexes.has(name)) throw new Error(`index "${name}" already exists`);
    const index: Index = { fn, byValue: new Map(), valuesOf: new Map() };
    this.indexes.set(name, index);
    for (const [key, obj] of this.objects) this.reindex(index, key, obj);
  }

  /** How many objects an index value has, without building the list. */
  countByIndex(name: string, value: string): number {
    return this.index(name).byValue.get(value)?.size ?? 0;
  }

  /** Every value of an index with how many objects have it (no list built). */
  *indexCounts(name: string): IterableIterator<[string, number]> {
    for (const [value, keys] of this.index(name).byValue) yield [value, keys.size];
  }

  byIndex(name: string, value: string): KubeObject[] {
    const keys = this.index(name).byValue.get(value);
    if (!keys) return [];
    return [...keys].map((k) => this.objects.get(k)).filter((o): o is KubeObject => o !== undefined);
  }

  private index(name: string): Index {
    const index = this.indexes.get(name);
    if (!index) throw new Error(`index "${name}" does not exist`);
    return index;
  }

  private reindex(index: Index, key: string, obj: KubeObject | undefined): void {
    for (const old of index.valuesOf.get(key) ?? []) {
      const keys = index.byValue.get(old);
      keys?.delete(key);
      if (keys && keys.size === 0) index.byValue.delete(old);
    }
    index.valuesOf.delete(key);
    if (!obj) return;
    const values = [...new Set(index.fn(obj))];
    if (values.length === 0) return;
    index.valuesOf.set(key, values);
    for (const v of values) {
      let keys = index.byValue.get(v);
      if (!keys) index.byValue.set(v, keys = new Set());
      keys.add(key);
    }
  }
}

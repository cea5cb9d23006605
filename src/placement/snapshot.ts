/**
 * ClusterSnapshot: what the engine knows about each cluster independently of any placement,
 * computed once per cluster object and shared by every decision that sees that object.
 *
 * Keyed by object identity (a WeakMap): an informer replaces a cached object when the cluster
 * changes, so a changed cluster is a new key and its facts are recomputed on first use, while
 * the old entry goes with the old object. This is the incremental maintenance: nothing is
 * rebuilt for the 999 clusters that did not change. Callers must therefore treat the objects
 * they pass as immutable (informer caches are); schedule() without a snapshot uses a fresh one
 * per call, which is always safe.
 *
 * Besides the parsed facts (quantities as exact nanos and as numbers, readiness, taints, synced
 * resources), each cluster carries a small memo for results that depend on the cluster and on
 * something shared by many decisions: a clusterSelector's verdict, a rule that does not read
 * `workload`, the replicas of a given pod request that fit. CEL results are keyed by the
 * compiler, so two controllers with different CEL environments never share a verdict.
 */
import { CelRuntime } from './cel.js';
import { type Amounts, QuantityCache, RESOURCES } from './resources.js';
import { parseTime } from './time.js';
import type { CelCompiler, CelEvaluator, ClusterRegistration, Taint } from './types.js';

export const REGION_LABEL = 'topology.kubernetes.io/region';

/** The placement-independent part of a cluster, in the shape filters and scorers read. */
export interface ClusterFacts {
  name: string;
  obj: ClusterRegistration;
  labels: Record<string, string>;
  location: string | undefined;
  region: string | undefined;
  clusterKey: string | undefined;
  ready: boolean;
  readyTransition: string | undefined;
  taints: Taint[];
  unschedulable: boolean;
  evictAfterMs: number | undefined;
  syncedResources: readonly string[] | undefined;
  /** Effective allocatable: spec.capacity per resource when set, else status.allocatable. */
  allocatable: Amounts;
  allocated: Amounts;
  /** allocatable − allocated (undefined where allocatable is unreported): `free` when nothing of the workload runs here. */
  freeBase: Amounts;
  allocatableN: { cpu: number; memory: number };
  freeBaseN: { cpu: number; memory: number };
  /**
   * Memo of placement-shared results (see the file comment): a direct-mapped cache of MEMO_SIZE
   * entries indexed by the interned key (memoSlot) — an array read, not a hash lookup, on a path
   * taken for every cluster of every decision; two keys that collide just evict each other.
   */
  memoKeys: Int32Array;
  memoValues: unknown[];
}

/** Entries per cluster memo: a few selectors, rules and pod sizes are the norm. */
const MEMO_SIZE = 64;

const EMPTY_COUNTS: ReadonlyMap<string, number> = new Map();

/** Cluster lists whose order is kept: one per location workspace a controller schedules onto. */
const MAX_FLEETS = 8;

/** A cluster list in name order (ClusterSnapshot.ordered). Read-only: shared by decisions. */
export interface Fleet {
  /** the list as given (a copy), to recognise it */
  readonly items: readonly ClusterRegistration[];
  /** facts in name order, one per distinct name */
  readonly facts: readonly ClusterFacts[];
  readonly names: readonly string[];
  /** one per dropped duplicate name */
  readonly warnings: readonly string[];
  /**
   * Results over the whole list that depend only on it and a memo key (e.g. every cluster's
   * view for one pod size), for schedule(); bounded (cleared past MAX_FLEET_MEMO keys).
   */
  readonly memo: Map<number, unknown>;
}

const MAX_FLEET_MEMO = 64;

/** `fleet.memo[key]`, computed once. */
export function fleetMemo<T>(fleet: Fleet, key: number, compute: () => T): T {
  if (fleet.memo.has(key)) return fleet.memo.get(key) as T;
  if (fleet.memo.size >= MAX_FLEET_MEMO) fleet.memo.clear();
  const v = compute();
  fleet.memo.set(key, v);
  return v;
}

function sameObjects(a: readonly ClusterRegistration[], b: readonly ClusterRegistration[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Sorting by name makes every later tie-break (and the candidate list) independent of input order. */
export function orderedFleet(clusters: readonly ClusterRegistration[], factsOf: (c: ClusterRegistration) => ClusterFacts): Fleet {
  const sorted = [...clusters].sort((a, b) => cmpName(a.metadata.name, b.metadata.name));
  const facts: ClusterFacts[] = [];
  const names: string[] = [];
  const warnings: string[] = [];
  for (const c of sorted) {
    if (names.length > 0 && names[names.length - 1] === c.metadata.name) {
      warnings.push(`duplicate cluster name "${c.metadata.name}": only the first is considered`);
      continue;
    }
    facts.push(factsOf(c));
    names.push(c.metadata.name);
  }
  return { items: clusters.slice(), facts, names, warnings, memo: new Map() };
}

function cmpName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class ClusterSnapshot {
  private readonly byObject = new WeakMap<ClusterRegistration, ClusterFacts>();
  private readonly runtimes = new WeakMap<object, CelRuntime>();
  private readonly compilerIds = new WeakMap<object, number>();
  private nextCompilerId = 1;
  private readonly slots = new Map<string, number>();
  private nextSlot = 0;
  /** Quantity text → nanos, shared: a fleet spells its sizes the same few ways. */
  readonly quantities = new QuantityCache(10_000);
  private readonly countMaps = new WeakMap<object, ReadonlyMap<string, number>>();

  /**
   * Balance's counts as a Map: a plain object with a key per cluster is a dictionary-mode object
   * whose keyed reads cost about a microsecond each (measured: 1 000 reads ~0.7-1 ms against
   * ~0.05 ms from a Map), more than the rest of the scoring. Converted once per object.
   */
  counts(placementCounts: Readonly<Record<string, number>> | ReadonlyMap<string, number> | undefined): ReadonlyMap<string, number> {
    if (placementCounts === undefined) return EMPTY_COUNTS;
    if (placementCounts instanceof Map) return placementCounts;
    const obj = placementCounts as Readonly<Record<string, number>>;
    let m = this.countMaps.get(obj);
    if (!m) {
      m = new Map(Object.entries(obj));
      this.countMaps.set(obj, m);
    }
    return m;
  }

  /** The last few cluster lists seen, in name order (see `ordered`): most recent first. */
  private fleets: Fleet[] = [];

  /**
   * The facts of `clusters` in name order, duplicates after the first dropped (with a warning
   * each). Sorting 1 000 names is most of what a decision spends before filtering, and a
   * controller passes the same informer objects decision after decision (in a fresh array), so
   * the order is kept for the last few lists and reused when every element is the same object at
   * the same position: n pointer comparisons instead of n log n string comparisons.
   */
  ordered(clusters: readonly ClusterRegistration[]): Fleet {
    for (let k = 0; k < this.fleets.length; k++) {
      const fleet = this.fleets[k];
      if (!sameObjects(fleet.items, clusters)) continue;
      if (k > 0) {
        this.fleets.splice(k, 1);
        this.fleets.unshift(fleet);
      }
      return fleet;
    }
    const fleet = orderedFleet(clusters, (c) => this.facts(c));
    this.fleets.unshift(fleet);
    if (this.fleets.length > MAX_FLEETS) this.fleets.length = MAX_FLEETS;
    return fleet;
  }

  facts(c: ClusterRegistration): ClusterFacts {
    let f = this.byObject.get(c);
    if (!f) {
      f = clusterFacts(c, this.quantities);
      this.byObject.set(c, f);
    }
    return f;
  }

  /**
   * A memo key as a small integer: a decision builds its keys afresh, and a Map lookup by a new
   * string of equal content compares every character, 1 000 times per decision.
   */
  memoSlot(key: string): number {
    let slot = this.slots.get(key);
    if (slot === undefined) {
      // Bounded: forgetting the table only costs misses, because a number is never handed out
      // twice (2^31 distinct keys would take years of distinct placements).
      if (this.slots.size >= 100_000) this.slots.clear();
      slot = this.nextSlot++;
      this.slots.set(key, slot);
    }
    return slot;
  }

  /** One CEL runtime (compiled programs) per compiler or evaluator, shared by every decision. */
  celRuntime(compiler: CelCompiler | undefined, evaluator: CelEvaluator | undefined): CelRuntime {
    const key = compiler ?? evaluator;
    if (!key) return new CelRuntime(undefined, undefined);
    let rt = this.runtimes.get(key);
    if (!rt) {
      rt = new CelRuntime(compiler, evaluator);
      this.runtimes.set(key, rt);
    }
    return rt;
  }

  /** A short id per compiler or evaluator, for memo keys of CEL-dependent results. */
  celId(compiler: CelCompiler | undefined, evaluator: CelEvaluator | undefined): number {
    const key = compiler ?? evaluator;
    if (!key) return 0;
    let id = this.compilerIds.get(key);
    if (id === undefined) {
      id = this.nextCompilerId++;
      this.compilerIds.set(key, id);
    }
    return id;
  }
}

/** The memoized value of `key` for this cluster, computing it once. */
export function memoized<T>(f: ClusterFacts, key: number, compute: () => T): T {
  const i = key & (MEMO_SIZE - 1);
  if (f.memoKeys[i] === key) return f.memoValues[i] as T;
  return remember(f, key, compute());
}

/** Whether `key` is memoized for this cluster (then memoValue reads it): no closure on the hot path. */
export function isMemoized(f: ClusterFacts, key: number): boolean {
  return f.memoKeys[key & (MEMO_SIZE - 1)] === key;
}

export function memoValue<T>(f: ClusterFacts, key: number): T {
  return f.memoValues[key & (MEMO_SIZE - 1)] as T;
}

export function remember<T>(f: ClusterFacts, key: number, v: T): T {
  const i = key & (MEMO_SIZE - 1);
  f.memoKeys[i] = key;
  f.memoValues[i] = v;
  return v;
}

function clusterFacts(c: ClusterRegistration, q: QuantityCache): ClusterFacts {
  const labels = c.metadata.labels ?? {};
  const ready = c.status?.conditions?.find((x) => x.type === 'Ready');
  const override = q.amounts(c.spec?.capacity);
  const reported = q.amounts(c.status?.allocatable);
  const allocatable: Amounts = {
    cpu: override.cpu ?? reported.cpu,
    memory: override.memory ?? reported.memory,
    pods: override.pods ?? reported.pods,
  };
  const allocated = q.amounts(c.status?.allocated);
  const freeBase: Amounts = { cpu: undefined, memory: undefined, pods: undefined };
  for (const r of RESOURCES) {
    const a = allocatable[r];
    if (a !== undefined) freeBase[r] = a - (allocated[r] ?? 0n);
  }
  const synced = c.status?.syncedResources?.flatMap((e) => {
    if (typeof e === 'string') return [e];
    if (e.state && e.state !== 'Accepted') return [];
    return [e.group ? `${e.resource}.${e.group}` : e.resource];
  });
  return {
    name: c.metadata.name,
    obj: c,
    labels,
    location: c.spec?.location,
    region: labels[REGION_LABEL],
    clusterKey: c.status?.clusterKey,
    ready: ready?.status === 'True',
    readyTransition: ready?.lastTransitionTime,
    taints: c.spec?.taints ?? [],
    unschedulable: c.spec?.unschedulable === true,
    evictAfterMs: c.spec?.evictAfter ? parseTime(c.spec.evictAfter) : undefined,
    syncedResources: synced,
    allocatable,
    allocated,
    freeBase,
    allocatableN: { cpu: toNumber(allocatable.cpu), memory: toNumber(allocatable.memory) },
    freeBaseN: { cpu: toNumber(freeBase.cpu), memory: toNumber(freeBase.memory) },
    memoKeys: new Int32Array(MEMO_SIZE).fill(-1),
    memoValues: new Array(MEMO_SIZE),
  };
}

export function toNumber(nanos: bigint | undefined): number {
  return nanos === undefined ? NaN : Number(nanos) / 1e9;
}

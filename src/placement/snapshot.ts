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

export class ClusterSnapshot {
  private readonly byObject = new WeakMap<ClusterRegistration, ClusterFacts>();
  private readonly runtimes = new WeakMap<object, CelRuntime>();
  private readonly compilerIds = new WeakMap<object, number>();
  private nextCompilerId = 1;
  private readonly slots = new Map<string, number>();
  private nextSlot = 0;
  /** Quantity text → nanos, shared: a fleet spells its sizes the same few ways. */
  readonly quantities = new QuantityCache(10_000);

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

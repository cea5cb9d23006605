/**
 * cel-js walks values with one JavaScript call per level in two places, so a value as deep as kube
 * accepts (10 000 levels) overflowed the stack and `self == oldSelf` on a deep subtree failed:
 *
 * - runtime type deduction (`debugTypeDeep`, used to dispatch `==`, `in` and functions on dyn
 *   values) follows the first element all the way down, and names each level's type after the
 *   whole chain below it (`map<string, list<map<…>>>`): quadratic time and memory, cached in the
 *   registry for good. No overload looks more than one level into a type, and cel-go dispatches on
 *   the kind alone, so it now stops a few levels down (deeper element types are dyn).
 * - equality (`==`, `!=`, and `in` on a list) recurses through cel-js's private isEqual. Those
 *   nodes still run cel-js's own code first, so every value that fit in the stack gets exactly the
 *   answer it got before; if that overflows, the same comparison is redone by a walk with an
 *   explicit stack (`runWalk`) that follows isEqual's rules step for step.
 *
 * Both are patched here rather than in node_modules: the engine's registry is frozen and isEqual is
 * module-private, and a patched install would also have to survive every `npm ci`.
 */

import { Environment, EvaluationError } from '@marcbachmann/cel-js';
import { runWalk, type Walk } from '../machinery/deep-walk.js';

/** Levels of a dyn value whose types dispatch sees; below them elements are dyn. */
export const TYPE_DEDUCTION_DEPTH = 4;

/** The parts of cel-js's type declarations and evaluator we use (not in its typings). */
interface CelType { kind: string; keyType?: CelType; valueType?: CelType; hasDynType?: boolean }
interface CelRegistry {
  getListType(t: CelType): CelType;
  getMapType(k: CelType, v: CelType): CelType;
  findBinaryOverload(op: string, l: CelType, r: CelType): { handler: (a: unknown, b: unknown, ast: unknown, ev: unknown) => unknown } | false | undefined;
}
export interface CelEvaluator {
  registry: CelRegistry;
  listType: CelType;
  mapType: CelType;
  debugType(v: unknown): CelType;
  debugTypeDeep(v: unknown): CelType;
  run(node: unknown, ctx: unknown): unknown;
}
interface BinaryNode {
  op: string;
  args: unknown[];
  evaluate: (ev: CelEvaluator, ast: BinaryNode, ctx: unknown) => unknown;
  handle: (l: unknown, r: unknown, ast: BinaryNode, ev: CelEvaluator) => unknown;
}

/**
 * cel-js does not export its Evaluator; a function it calls runs with the evaluator as `this`,
 * which gives us the shared prototype once, at load.
 */
function evaluatorPrototype(): CelEvaluator {
  let proto: CelEvaluator | undefined;
  const probe = new Environment();
  probe.registerFunction('tmcEvaluatorProbe(): bool', function (this: CelEvaluator) {
    proto = Object.getPrototypeOf(this) as CelEvaluator;
    return true;
  });
  probe.evaluate('tmcEvaluatorProbe()');
  if (!proto || typeof proto.debugTypeDeep !== 'function') {
    throw new Error('@marcbachmann/cel-js changed: its evaluator has no debugTypeDeep to bound (see src/cel/mb-deep-values.ts)');
  }
  return proto;
}

function firstMapEntry(m: object): [unknown, unknown] | undefined {
  if (m instanceof Map) return m.entries().next().value as [unknown, unknown] | undefined;
  for (const k in m) return [k, (m as Record<string, unknown>)[k]];
  return undefined;
}

/** cel-js's debugTypeDeep, stopping TYPE_DEDUCTION_DEPTH levels down. */
function boundedTypeOf(ev: CelEvaluator, value: unknown, levels: number): CelType {
  const t = ev.debugType(value);
  if (levels <= 1) return t;
  if (t.kind === 'list') {
    const first = Array.isArray(value) ? value[0] : (value as Set<unknown>).values().next().value;
    return first === undefined ? t : ev.registry.getListType(boundedTypeOf(ev, first, levels - 1));
  }
  if (t.kind === 'map') {
    const first = firstMapEntry(value as object);
    if (!first) return t;
    return ev.registry.getMapType(
      t.keyType!.hasDynType ? boundedTypeOf(ev, first[0], levels - 1) : t.keyType!,
      t.valueType!.hasDynType ? boundedTypeOf(ev, first[1], levels - 1) : t.valueType!,
    );
  }
  return t;
}

let installed = false;

/** Bounds cel-js's runtime type deduction (once per process; every environment shares it). */
export function boundTypeDeduction(): void {
  if (installed) return;
  installed = true;
  evaluatorPrototype().debugTypeDeep = function debugTypeDeep(this: CelEvaluator, value: unknown) {
    return boundedTypeOf(this, value, TYPE_DEDUCTION_DEPTH);
  };
}

function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && /call stack/i.test(e.message);
}

/**
 * Makes an `==`, `!=` or `in` node finish on values of any depth. Call after check(), which sets
 * the node's handler.
 */
export function rewireDeepEquality(node: BinaryNode): void {
  const [left, right] = node.args;
  const op = node.op;
  node.evaluate = function deepSafeBinary(ev, ast, ctx) {
    const l = ev.run(left, ctx);
    const r = ev.run(right, ctx);
    try {
      return ast.handle(l, r, ast, ev);
    } catch (e) {
      if (!isStackOverflow(e)) throw e;
    }
    if (op === 'in') return includes(ev, ast, l, r);
    const equal = runWalk(equalWalk(ev, ast, l, r));
    return op === '==' ? equal : !equal;
  };
}

/** cel-js's listIncludes; only lists get here (map membership is a key lookup, no walk). */
function includes(ev: CelEvaluator, ast: unknown, value: unknown, list: unknown): boolean {
  if (list instanceof Set && list.has(value)) return true;
  for (const v of list as Iterable<unknown>) if (runWalk(equalWalk(ev, ast, value, v))) return true;
  return false;
}

/**
 * cel-js's isEqual with the list and map overloads inlined, a `yield` where they call isEqual.
 * Other object types (timestamps, quantities, IPs…) go to their registered `==`, which is shallow.
 */
function* equalWalk(ev: CelEvaluator, ast: unknown, a: unknown, b: unknown): Walk<boolean> {
  if (a === b) return true;
  switch (typeof a) {
    case 'undefined':
    case 'string':
    case 'boolean':
      return false;
    case 'bigint':
      // eslint-disable-next-line eqeqeq
      return typeof b === 'number' ? a == (b as unknown as bigint) : false;
    case 'number':
      // eslint-disable-next-line eqeqeq
      return typeof b === 'bigint' ? a == (b as unknown as number) : false;
    case 'object': {
      if (typeof b !== 'object') return false;
      const lt = ev.debugType(a);
      if (lt !== ev.debugType(b)) return false;
      if (lt === ev.listType) return yield* listsEqual(ev, ast, a as unknown[] | Set<unknown>, b as unknown[] | Set<unknown>);
      if (lt === ev.mapType) return yield* mapsEqual(ev, ast, a as object, b as object);
      const overload = ev.registry.findBinaryOverload('==', lt, lt);
      return overload ? Boolean(overload.handler(a, b, ast, ev)) : false;
    }
  }
  throw new EvaluationError({ code: 'invalid_comparison_type', message: `Cannot compare values of type ${typeof a}` });
}

function* listsEqual(ev: CelEvaluator, ast: unknown, a: unknown[] | Set<unknown>, b: unknown[] | Set<unknown>): Walk<boolean> {
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!(yield equalWalk(ev, ast, a[i], b[i]))) return false;
    return true;
  }
  // sets hold scalars: cel-js compares them by identity
  if (a instanceof Set && b instanceof Set) {
    if (a.size !== b.size) return false;
    for (const v of a) if (!b.has(v)) return false;
    return true;
  }
  const arr = (a instanceof Set ? b : a) as unknown[];
  const set = (a instanceof Set ? a : b) as Set<unknown>;
  if (!Array.isArray(arr) || arr.length !== set.size) return false;
  for (const v of arr) if (!set.has(v)) return false;
  return true;
}

function* mapsEqual(ev: CelEvaluator, ast: unknown, a: object, b: object): Walk<boolean> {
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) if (!(b.has(k) && (yield equalWalk(ev, ast, v, b.get(k))))) return false;
    return true;
  }
  if (a instanceof Map || b instanceof Map) {
    const obj = (a instanceof Map ? b : a) as Record<string, unknown>;
    const map = (a instanceof Map ? a : b) as Map<string, unknown>;
    if (map.size !== Object.keys(obj).length) return false;
    for (const [k, v] of map) if (!(k in obj && (yield equalWalk(ev, ast, v, obj[k])))) return false;
    return true;
  }
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!(k in b && (yield equalWalk(ev, ast, (a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])))) return false;
  }
  return true;
}

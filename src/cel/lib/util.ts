/** Helpers shared by the library files: error raising and cost charging in engine terms. */

import { EvaluationError } from '@marcbachmann/cel-js';
import { charge } from '../cost.js';
import { runWalk, type Walk } from '../../machinery/deep-walk.js';

/** Throws an evaluation error; cel-js attaches the call's source position. */
export function fail(code: string, message: string): never {
  throw new EvaluationError({ code, message });
}

/** cel-go charges ~0.1 unit per character traversed by string functions. */
export function chargeString(s: string): void {
  charge(1 + Math.ceil(s.length * 0.1));
}

/** One unit per element traversed. */
export function chargeList(n: number): void {
  charge(1 + n);
}

/** cel-js's Environment, typed loosely to what libraries call. */
export interface Registrar {
  registerFunction(signature: string, handler: (...args: any[]) => unknown): unknown;
  registerType(name: string, ctor: any): unknown;
  registerConstant(name: string, type: string, value: unknown): unknown;
  registerOperator(signature: string, handler: (l: any, r: any) => unknown): unknown;
}

/** CEL equality for library use: ints/doubles cross-compare, lists and maps deeply (any depth). */
export function celEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  // the common case, scalars, without a walk
  if (typeof a !== 'object' || typeof b !== 'object') return scalarEquals(a, b);
  return runWalk(equalsWalk(a, b));
}

function scalarEquals(a: unknown, b: unknown): boolean {
  const ta = typeof a, tb = typeof b;
  if ((ta === 'bigint' || ta === 'number') && (tb === 'bigint' || tb === 'number')) {
    return Number(a) === Number(b) && (ta !== 'number' || !Number.isNaN(a));
  }
  return false;
}

/** One `yield` per nested comparison, so values 10 000 levels deep need no stack per level. */
function* equalsWalk(a: unknown, b: unknown): Walk<boolean> {
  if (a === b) return true;
  const ta = typeof a, tb = typeof b;
  if (a === null || b === null || ta !== 'object' || tb !== 'object') return scalarEquals(a, b);
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!(yield equalsWalk(a[i], b[i]))) return false;
    return true;
  }
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    return a.length === b.length && a.every((x, i) => x === b[i]);
  }
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  const eq = (a as { equals?: (o: unknown) => boolean }).equals;
  if (typeof eq === 'function') return eq.call(a, b);
  // boxed scalars such as cel-js's UnsignedInt compare by their primitive value
  const va = (a as object).valueOf(), vb = (b as object).valueOf();
  if (va !== a && vb !== b) return yield equalsWalk(va, vb);
  const ea = entriesOf(a as object), eb = entriesOf(b as object);
  if (!ea || !eb || ea.size !== eb.size) return false;
  for (const [k, v] of ea) {
    if (!eb.has(k) || !(yield equalsWalk(v, eb.get(k)))) return false;
  }
  return true;
}

function entriesOf(x: object): Map<unknown, unknown> | undefined {
  if (x instanceof Map) return x;
  if (Object.getPrototypeOf(x) === Object.prototype || Object.getPrototypeOf(x) === null) {
    return new Map(Object.entries(x));
  }
  return undefined;
}

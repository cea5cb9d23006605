/**
 * Kubernetes list library (apiserver pkg/cel/library/lists.go):
 * `isSorted, sum, min, max, indexOf, lastIndexOf`.
 */

import { celEquals, chargeList, fail, type Registrar } from './util.js';

const COMPARABLE = ['int', 'uint', 'double', 'string', 'bool', 'bytes', 'google.protobuf.Timestamp'];
const SUMMABLE: Record<string, () => unknown> = { int: () => 0n, double: () => 0 };

function compare(a: any, b: any): number {
  if (typeof a === 'bigint' || typeof a === 'number' || typeof a === 'string' || typeof a === 'boolean') {
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (a instanceof Date) return a.getTime() - (b as Date).getTime();
  if (a instanceof Uint8Array) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
    return a.length - b.length;
  }
  if (typeof a?.valueOf === 'function') {
    const x = a.valueOf(), y = b.valueOf();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return 0;
}

function extreme(name: string, sign: 1 | -1) {
  return (list: unknown[]) => {
    chargeList(list.length);
    if (list.length === 0) fail('empty_list', `${name} called on empty list`);
    let best = list[0];
    for (let i = 1; i < list.length; i++) if (compare(list[i], best) * sign > 0) best = list[i];
    return best;
  };
}

export function registerLists(env: Registrar): void {
  for (const t of COMPARABLE) {
    env.registerFunction(`list<${t}>.isSorted(): bool`, (list: unknown[]) => {
      chargeList(list.length);
      for (let i = 1; i < list.length; i++) if (compare(list[i - 1], list[i]) > 0) return false;
      return true;
    });
    env.registerFunction(`list<${t}>.min(): ${t}`, extreme('min', -1));
    env.registerFunction(`list<${t}>.max(): ${t}`, extreme('max', 1));
  }
  for (const [t, zero] of Object.entries(SUMMABLE)) {
    env.registerFunction(`list<${t}>.sum(): ${t}`, (list: any[]) => {
      chargeList(list.length);
      let acc: any = zero();
      for (const x of list) acc += x;
      if (t === 'int' && (acc > 9223372036854775807n || acc < -9223372036854775808n)) fail('overflow', 'integer overflow');
      return acc;
    });
  }
  env.registerFunction('list<A>.indexOf(A): int', (list: unknown[], v: unknown) => {
    chargeList(list.length);
    for (let i = 0; i < list.length; i++) if (celEquals(list[i], v)) return BigInt(i);
    return -1n;
  });
  env.registerFunction('list<A>.lastIndexOf(A): int', (list: unknown[], v: unknown) => {
    chargeList(list.length);
    for (let i = list.length - 1; i >= 0; i--) if (celEquals(list[i], v)) return BigInt(i);
    return -1n;
  });
}

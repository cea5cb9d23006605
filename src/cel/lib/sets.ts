/** cel-go ext.Sets (in kube since 1.29): `sets.contains`, `sets.equivalent`, `sets.intersects`. */

import { celEquals, chargeList, type Registrar } from './util.js';

/** `sets` is a namespace object so `sets.contains(a, b)` resolves as a method call on it. */
class SetsNamespace {}

function containsAll(a: unknown[], b: unknown[]): boolean {
  chargeList(a.length * b.length);
  return b.every((x) => a.some((y) => celEquals(x, y)));
}

export function registerSets(env: Registrar): void {
  env.registerType('SetsNamespace', SetsNamespace);
  env.registerConstant('sets', 'SetsNamespace', new SetsNamespace());
  env.registerFunction('SetsNamespace.contains(list, list): bool', (_: unknown, a: unknown[], b: unknown[]) => containsAll(a, b));
  env.registerFunction('SetsNamespace.equivalent(list, list): bool',
    (_: unknown, a: unknown[], b: unknown[]) => containsAll(a, b) && containsAll(b, a));
  env.registerFunction('SetsNamespace.intersects(list, list): bool', (_: unknown, a: unknown[], b: unknown[]) => {
    chargeList(a.length * b.length);
    return a.some((x) => b.some((y) => celEquals(x, y)));
  });
}

/**
 * Kubernetes quantity library (apiserver pkg/cel/library/quantity.go): `quantity, isQuantity,
 * sign, isGreaterThan, isLessThan, compareTo, asApproximateFloat, asInteger, isInteger, add, sub`.
 * Values are machinery `Quantity` objects, so CEL and the rest of TMC agree on the arithmetic.
 */

import { Quantity, tryParseQuantity } from '../../machinery/quantity.js';
import { fail, type Registrar } from './util.js';

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

function parse(s: string): Quantity {
  const q = tryParseQuantity(s);
  if (q === undefined) {
    fail('invalid_quantity', "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
  }
  return q;
}

/** kube's AsInt64: only whole values that fit in int64. */
function asInt64(q: Quantity): bigint | undefined {
  if (!q.isInteger()) return undefined;
  const v = q.nanos / 1_000_000_000n;
  return v > INT64_MAX || v < INT64_MIN ? undefined : v;
}

export function registerQuantity(env: Registrar): void {
  env.registerType('Quantity', Quantity);
  env.registerFunction('quantity(string): Quantity', parse);
  env.registerFunction('isQuantity(string): bool', (s: string) => tryParseQuantity(s) !== undefined);
  env.registerFunction('Quantity.sign(): int', (q: Quantity) => BigInt(q.sign()));
  env.registerFunction('Quantity.isGreaterThan(Quantity): bool', (a: Quantity, b: Quantity) => a.cmp(b) > 0);
  env.registerFunction('Quantity.isLessThan(Quantity): bool', (a: Quantity, b: Quantity) => a.cmp(b) < 0);
  env.registerFunction('Quantity.compareTo(Quantity): int', (a: Quantity, b: Quantity) => BigInt(a.cmp(b)));
  env.registerFunction('Quantity.asApproximateFloat(): double', (q: Quantity) => q.toNumber());
  env.registerFunction('Quantity.isInteger(): bool', (q: Quantity) => asInt64(q) !== undefined);
  env.registerFunction('Quantity.asInteger(): int', (q: Quantity) => {
    const v = asInt64(q);
    if (v === undefined) fail('invalid_quantity', 'cannot convert value to integer');
    return v;
  });
  env.registerFunction('Quantity.add(Quantity): Quantity', (a: Quantity, b: Quantity) => a.add(b));
  env.registerFunction('Quantity.add(int): Quantity', (a: Quantity, b: bigint) => a.add(Quantity.fromInt(b)));
  env.registerFunction('Quantity.sub(Quantity): Quantity', (a: Quantity, b: Quantity) => a.sub(b));
  env.registerFunction('Quantity.sub(int): Quantity', (a: Quantity, b: bigint) => a.sub(Quantity.fromInt(b)));
  env.registerOperator('Quantity == Quantity', (a: Quantity, b: Quantity) => a.cmp(b) === 0);
}

/**
 * Resource quantities (`500m`, `2Gi`, `1.5e3`), as apimachinery's resource.Quantity parses them.
 * Held exactly as an integer count of nano-units (bigint), so sums and comparisons never drift;
 * fractions finer than a nano-unit round up, as kube does.
 */

const BINARY: Record<string, bigint> = {
  Ki: 1n << 10n, Mi: 1n << 20n, Gi: 1n << 30n, Ti: 1n << 40n, Pi: 1n << 50n, Ei: 1n << 60n,
};
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

const QUANTITY_RE = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei)|([eE][+-]?\d+)|(n|u|m|k|M|G|T|P|E))?$/;

export type QuantityFormat = 'BinarySI' | 'DecimalSI' | 'DecimalExponent';

export class Quantity {
  /** value × 10^9 */
  readonly nanos: bigint;
  readonly format: QuantityFormat;

  constructor(nanos: bigint, format: QuantityFormat = 'DecimalSI') {
    this.nanos = nanos;
    this.format = format;
  }

  static fromNumber(n: number, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(BigInt(Math.round(n * 1e9)), format);
  }

  /** An exact whole number of base units. */
  static fromInt(n: bigint | number, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(BigInt(n) * 1_000_000_000n, format);
  }

  /** Approximate float value (base units). */
  toNumber(): number { return Number(this.nanos) / 1e9; }
  /** Milli-units, rounded up (cpu is usually counted this way). */
  milliValue(): bigint { return ceilDiv(this.nanos, 1_000_000n); }
  /** Base units, rounded up. */
  value(): bigint { return ceilDiv(this.nanos, 1_000_000_000n); }
  isInteger(): boolean { return this.nanos % 1_000_000_000n === 0n; }
  sign(): number { return this.nanos > 0n ? 1 : this.nanos < 0n ? -1 : 0; }
  /** Equal values regardless of notation (`1` == `1000m`), as Quantity.Equal in apimachinery. */
  equals(o: unknown): boolean { return o instanceof Quantity && o.nanos === this.nanos; }
  cmp(o: Quantity): number { return this.nanos === o.nanos ? 0 : this.nanos < o.nanos ? -1 : 1; }
  add(o: Quantity): Quantity { return new Quantity(this.nanos + o.nanos, this.format); }
  sub(o: Quantity): Quantity { return new Quantity(this.nanos - o.nanos, this.format); }
  mul(n: number | bigint): Quantity { return new Quantity(this.nanos * BigInt(n), this.format); }

  /** A canonical string: binary suffix when the value is a whole multiple and the format is BinarySI, else decimal. */
  toString(): string {
    const neg = this.nanos < 0n;
    const abs = neg ? -this.nanos : this.nanos;
    const sign = neg ? '-' : '';
    if (abs === 0n) return '0';
    if (this.format === 'BinarySI' && abs % 1_000_000_000n === 0n) {
      const whole = abs / 1_000_000_000n;
      for (const suf of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki']) {
        if (whole >= BINARY[suf] && whole % BINARY[suf] === 0n) return `${sign}${whole / BINARY[suf]}${suf}`;
      }
      if (whole < 1024n) return `${sign}${whole}`;
    }
    for (const [suf, exp] of [['E', 18], ['P', 15], ['T', 12], ['G', 9], ['M', 6], ['k', 3], ['', 0], ['m', -3], ['u', -6], ['n', -9]] as const) {
      const unit = 10n ** BigInt(exp + 9);
      if (abs % unit === 0n) return `${sign}${abs / unit}${suf}`;
    }
    return `${sign}${abs}n`;
  }

  toJSON(): string { return this.toString(); }
}

function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a > 0n ? q + 1n : q;
}

/** Parses a quantity; returns undefined when the text is not one (callers word the error). */
export function tryParseQuantity(s: string | number): Quantity | undefined {
  if (typeof s === 'number') return Number.isFinite(s) ? Quantity.fromNumber(s) : undefined;
  const m = QUANTITY_RE.exec(s.trim());
  if (!m || s.trim() !== s) return undefined;
  const [, signStr, num, bin, exp, dec] = m;
  const [intPart, fracPart = ''] = num.split('.');
  // digits as an integer and a power-of-ten scale
  let digits = BigInt((intPart || '0') + fracPart);
  let scale = -fracPart.length; // value = digits × 10^scale × multiplier
  let format: QuantityFormat = 'DecimalSI';
  let binMul = 1n;
  if (bin) { binMul = BINARY[bin]; format = 'BinarySI'; }
  else if (exp) { scale += Number(exp.slice(1)); format = 'DecimalExponent'; }
  else if (dec !== undefined) scale += DECIMAL[dec];
  // to nanos: × 10^9
  scale += 9;
  digits *= binMul;
  let nanos: bigint;
  if (scale >= 0) {
    if (scale > 60) return undefined; // absurdly large
    nanos = digits * 10n ** BigInt(scale);
  } else {
    const div = 10n ** BigInt(-scale);
    nanos = ceilDiv(digits, div);
  }
  if (signStr === '-') nanos = -nanos;
  return new Quantity(nanos, format);
}

export function parseQuantity(s: string | number): Quantity {
  const q = tryParseQuantity(s);
  if (!q) throw new Error(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`);
  return q;
}

export function isQuantity(s: unknown): boolean {
  return (typeof s === 'string' || typeof s === 'number') && tryParseQuantity(s) !== undefined;
}

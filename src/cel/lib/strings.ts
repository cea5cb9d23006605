/**
 * cel-go ext.Strings version 2 (kube 1.29+), only what cel-js lacks: `charAt`, `replace`,
 * `format`, `strings.quote`. cel-js already has `indexOf`, `lastIndexOf`, `join`, `lowerAscii`,
 * `upperAscii`, `split`, `substring`, `trim`.
 */

import { Optional } from '@marcbachmann/cel-js';
import { chargeString, fail, type Registrar } from './util.js';

class StringsNamespace {}

/** Code points, since CEL indexes strings by Unicode code point. */
function codePoints(s: string): string[] {
  return Array.from(s);
}

function replace(s: string, from: string, to: string, n: number): string {
  chargeString(s);
  if (from === '') {
    // Go semantics: the replacement goes before every code point and at the end, up to n times
    const cps = codePoints(s);
    let out = '';
    let count = 0;
    for (let i = 0; i <= cps.length; i++) {
      if (n < 0 || count < n) { out += to; count++; }
      if (i < cps.length) out += cps[i];
    }
    return out;
  }
  let out = '';
  let pos = 0;
  for (let count = 0; n < 0 || count < n; count++) {
    const at = s.indexOf(from, pos);
    if (at < 0) break;
    out += s.slice(pos, at) + to;
    pos = at + from.length;
  }
  return out + s.slice(pos);
}

/** cel-go's strings.quote: a double-quoted CEL string literal. */
export function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    switch (ch) {
      case '\\': out += '\\\\'; break;
      case '"': out += '\\"'; break;
      case '\n': out += '\\n'; break;
      case '\r': out += '\\r'; break;
      case '\t': out += '\\t'; break;
      case '\b': out += '\\b'; break;
      case '\f': out += '\\f'; break;
      case '\v': out += '\\v'; break;
      case '\x07': out += '\\a'; break;
      default: out += ch;
    }
  }
  return out + '"';
}

/** String form used by `%s` (cel-go formats lists/maps in CEL syntax). */
function formatValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return formatDouble(v);
  if (v === null) return 'null';
  if (Array.isArray(v)) return `[${v.map(formatNested).join(', ')}]`;
  if (v instanceof Uint8Array) return new TextDecoder().decode(v);
  if (v instanceof Date) return v.toISOString().replace('.000Z', 'Z');
  if (v instanceof Map) return `{${[...v].map(([k, x]) => `${formatNested(k)}: ${formatNested(x)}`).join(', ')}}`;
  if (v instanceof Optional) return v.hasValue() ? `optional.of(${formatNested(v.value())})` : 'optional.none()';
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return `{${Object.entries(v as object).sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, x]) => `${quote(k)}: ${formatNested(x)}`).join(', ')}}`;
  }
  return String(v);
}

function formatNested(v: unknown): string {
  return typeof v === 'string' ? quote(v) : formatValue(v);
}

function formatDouble(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  return String(n);
}

function toNum(v: unknown, verb: string): number | bigint {
  if (typeof v === 'bigint' || typeof v === 'number') return v;
  if (v !== null && typeof v === 'object' && typeof (v as object).valueOf() === 'bigint') return (v as object).valueOf() as bigint;
  return fail('format_error', `error during formatting: ${verb} clause can only be used on integers and doubles, was given ${typeName(v)}`);
}

function typeName(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'list';
  if (v === null) return 'null_type';
  return typeof v === 'object' ? 'map' : typeof v;
}

/** cel-go `string.format(list)`: %s %d %f %e %x %X %o %b and %%, with optional precision for %f/%e. */
export function formatString(fmt: string, args: unknown[]): string {
  chargeString(fmt);
  let out = '';
  let argi = 0;
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i];
    if (c !== '%') { out += c; continue; }
    i++;
    if (fmt[i] === '%') { out += '%'; continue; }
    let precision: number | undefined;
    if (fmt[i] === '.') {
      let j = i + 1;
      while (j < fmt.length && fmt[j] >= '0' && fmt[j] <= '9') j++;
      precision = Number(fmt.slice(i + 1, j));
      i = j;
    }
    const verb = fmt[i];
    if (verb === undefined) fail('format_error', 'error during formatting: unexpected end of format string');
    if (argi >= args.length) fail('format_error', `error during formatting: index ${argi} out of range`);
    const a = args[argi++];
    switch (verb) {
      case 's': out += formatValue(a); break;
      case 'd': {
        const n = toNum(a, 'decimal');
        if (typeof n === 'number' && !Number.isInteger(n)) fail('format_error', 'error during formatting: decimal clause can only be used on integers, was given double');
        out += String(typeof n === 'number' ? BigInt(n) : n);
        break;
      }
      case 'f': {
        const n = Number(toNum(a, 'fixed-point'));
        out += Number.isFinite(n) ? n.toFixed(precision ?? 6) : formatDouble(n);
        break;
      }
      case 'e': {
        const n = Number(toNum(a, 'scientific'));
        out += Number.isFinite(n) ? n.toExponential(precision ?? 6).replace(/e([+-])(\d)$/, 'e$10$2') : formatDouble(n);
        break;
      }
      case 'x': case 'X': {
        let s: string;
        if (typeof a === 'string') s = Buffer.from(a, 'utf8').toString('hex');
        else if (a instanceof Uint8Array) s = Buffer.from(a).toString('hex');
        else { const n = toNum(a, 'hex'); s = (typeof n === 'bigint' ? (n < 0n ? '-' + (-n).toString(16) : n.toString(16)) : n.toString(16)); }
        out += verb === 'X' ? s.toUpperCase() : s;
        break;
      }
      case 'o': { const n = toNum(a, 'octal'); out += typeof n === 'bigint' ? n.toString(8) : Math.trunc(n).toString(8); break; }
      case 'b': {
        if (typeof a === 'boolean') { out += a ? '1' : '0'; break; }
        const n = toNum(a, 'binary'); out += typeof n === 'bigint' ? n.toString(2) : Math.trunc(n).toString(2); break;
      }
      default: fail('format_error', `error during formatting: could not parse formatting clause: unrecognized formatting clause "${verb}"`);
    }
  }
  return out;
}

export function registerStrings(env: Registrar): void {
  env.registerFunction('string.charAt(int): string', (s: string, i: bigint) => {
    chargeString(s);
    const cps = codePoints(s);
    if (i < 0n || i > BigInt(cps.length)) fail('index_out_of_range', `index out of range: ${i}`);
    return cps[Number(i)] ?? '';
  });
  env.registerFunction('string.replace(string, string): string', (s: string, a: string, b: string) => replace(s, a, b, -1));
  env.registerFunction('string.replace(string, string, int): string', (s: string, a: string, b: string, n: bigint) => replace(s, a, b, Number(n)));
  env.registerFunction('string.format(list): string', (s: string, args: unknown[]) => formatString(s, args));
  env.registerType('StringsNamespace', StringsNamespace);
  env.registerConstant('strings', 'StringsNamespace', new StringsNamespace());
  env.registerFunction('StringsNamespace.quote(string): string', (_: unknown, s: string) => { chargeString(s); return quote(s); });
}

/**
 * Kubernetes semver library (apiserver pkg/cel/library/semverlib.go; base env from 1.33):
 * `semver, isSemver, major, minor, patch, isLessThan, isGreaterThan, compareTo`. Strict
 * semver 2.0.0 parsing; the `normalize` overloads accept a `v` prefix and missing minor/patch.
 */

import { fail, type Registrar } from './util.js';

export class Semver {
  constructor(
    readonly major: bigint, readonly minor: bigint, readonly patch: bigint,
    readonly pre: string[], readonly build: string[],
  ) {}

  compare(o: Semver): number {
    for (const k of ['major', 'minor', 'patch'] as const) {
      if (this[k] !== o[k]) return this[k] < o[k] ? -1 : 1;
    }
    if (this.pre.length === 0 || o.pre.length === 0) {
      return this.pre.length === o.pre.length ? 0 : this.pre.length === 0 ? 1 : -1;
    }
    for (let i = 0; i < Math.max(this.pre.length, o.pre.length); i++) {
      const a = this.pre[i], b = o.pre[i];
      if (a === undefined) return -1;
      if (b === undefined) return 1;
      if (a === b) continue;
      const an = /^\d+$/.test(a), bn = /^\d+$/.test(b);
      if (an && bn) return BigInt(a) < BigInt(b) ? -1 : 1;
      if (an !== bn) return an ? -1 : 1;
      return a < b ? -1 : 1;
    }
    return 0;
  }

  equals(o: unknown): boolean { return o instanceof Semver && this.compare(o) === 0; }

  toString(): string {
    return `${this.major}.${this.minor}.${this.patch}${this.pre.length ? `-${this.pre.join('.')}` : ''}${this.build.length ? `+${this.build.join('.')}` : ''}`;
  }
}

const NUM = '(0|[1-9]\\d*)';
const STRICT = new RegExp(`^${NUM}\\.${NUM}\\.${NUM}(?:-([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?(?:\\+([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?$`);

export function parseSemver(raw: string, normalize = false): Semver | string {
  let s = raw;
  if (normalize) {
    if (s.startsWith('v')) s = s.slice(1);
    const m = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?(.*)$/.exec(s);
    if (m) s = `${BigInt(m[1])}.${BigInt(m[2] ?? '0')}.${BigInt(m[3] ?? '0')}${m[4]}`;
  }
  const m = STRICT.exec(s);
  if (!m) return `invalid semver: ${raw}`;
  const pre = m[4] ? m[4].split('.') : [];
  if (pre.some((p) => /^0\d+$/.test(p))) return `invalid semver: ${raw}: numeric pre-release identifiers must not have leading zeros`;
  return new Semver(BigInt(m[1]), BigInt(m[2]), BigInt(m[3]), pre, m[5] ? m[5].split('.') : []);
}

function must(raw: string, normalize = false): Semver {
  const v = parseSemver(raw, normalize);
  return typeof v === 'string' ? fail('invalid_semver', v) : v;
}

export function registerSemver(env: Registrar): void {
  env.registerType('Semver', Semver);
  env.registerFunction('semver(string): Semver', (s: string) => must(s));
  env.registerFunction('semver(string, bool): Semver', (s: string, n: boolean) => must(s, n));
  env.registerFunction('isSemver(string): bool', (s: string) => typeof parseSemver(s) !== 'string');
  env.registerFunction('isSemver(string, bool): bool', (s: string, n: boolean) => typeof parseSemver(s, n) !== 'string');
  env.registerFunction('Semver.major(): int', (v: Semver) => v.major);
  env.registerFunction('Semver.minor(): int', (v: Semver) => v.minor);
  env.registerFunction('Semver.patch(): int', (v: Semver) => v.patch);
  env.registerFunction('Semver.isLessThan(Semver): bool', (a: Semver, b: Semver) => a.compare(b) < 0);
  env.registerFunction('Semver.isGreaterThan(Semver): bool', (a: Semver, b: Semver) => a.compare(b) > 0);
  env.registerFunction('Semver.compareTo(Semver): int', (a: Semver, b: Semver) => BigInt(a.compare(b)));
  env.registerOperator('Semver == Semver', (a: Semver, b: Semver) => a.equals(b));
}

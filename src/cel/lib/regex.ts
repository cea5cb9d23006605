/**
 * Kubernetes regex library (apiserver pkg/cel/library/regex.go): `find`, `findAll` (and
 * `findAll` with a limit). RE2 patterns are run as JS RegExps (compiled once, cached); the
 * common RE2 syntax is the same, RE2-only constructs fail with a clear error.
 */

import { LruCache } from '../cache.js';
import { chargeString, fail, type Registrar } from './util.js';

const cache = new LruCache<string, RegExp>(512);

export function compileRegex(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(pattern, 'gu');
    } catch {
      try { re = new RegExp(pattern, 'g'); } catch (e) {
        fail('invalid_regex', `invalid regular expression '${pattern}': ${(e as Error).message}`);
      }
    }
    cache.set(pattern, re);
  }
  re.lastIndex = 0;
  return re;
}

function findAll(s: string, pattern: string, limit: number): string[] {
  chargeString(s);
  const re = compileRegex(pattern);
  const out: string[] = [];
  if (limit === 0) return out;
  for (const m of s.matchAll(re)) {
    out.push(m[0]);
    if (limit > 0 && out.length >= limit) break;
  }
  return out;
}

export function registerRegex(env: Registrar): void {
  env.registerFunction('string.find(string): string', (s: string, p: string) => {
    chargeString(s);
    const m = compileRegex(p).exec(s);
    return m ? m[0] : '';
  });
  env.registerFunction('string.findAll(string): list<string>', (s: string, p: string) => findAll(s, p, -1));
  env.registerFunction('string.findAll(string, int): list<string>', (s: string, p: string, n: bigint) => findAll(s, p, Number(n)));
}

/**
 * Kubernetes regex library (apiserver pkg/cel/library/regex.go): `find`, `findAll` (and
 * `findAll` with a limit), plus the standard `matches`. Patterns run on re2js, a pure-JS port of
 * RE2: the same syntax and semantics as cel-go (no backreferences or lookaround, `(?i)` flags,
 * Unicode classes) and matching in time linear in the input, so a policy author's `(a+)+$` cannot
 * freeze the event loop the way a backtracking JS RegExp does. Compiled patterns are cached.
 */

import { RE2JS } from 're2js';
import { LruCache } from '../../machinery/lru-cache.js';
import { charge } from '../cost.js';
import { chargeString, fail, type Registrar } from './util.js';

const cache = new LruCache<string, RE2JS | Error>(512);

/** Compiles an RE2 pattern (cached); returns the syntax error for an invalid one. */
export function tryCompileRegex(pattern: string): RE2JS | Error {
  let re = cache.get(pattern);
  if (re === undefined) {
    try {
      re = RE2JS.compile(pattern);
    } catch (e) {
      re = e instanceof Error ? e : new Error(String(e));
    }
    cache.set(pattern, re);
  }
  return re;
}

/** Compiles an RE2 pattern; an invalid pattern is a CEL evaluation error, as in cel-go. */
export function compileRegex(pattern: string): RE2JS {
  const re = tryCompileRegex(pattern);
  if (re instanceof Error) fail('invalid_regex', `invalid regular expression '${pattern}': ${re.message}`);
  return re;
}

/**
 * cel-go's runtime cost of a regex call: the string traversed, scaled by the pattern's size
 * (RE2 simulates the program's states over each input character).
 */
function chargeRegex(s: string, pattern: string): void {
  chargeString(s);
  charge(Math.ceil(s.length * 0.1) * Math.ceil(pattern.length * 0.25));
}

/** CEL `matches`: true when the pattern matches any part of `s` (RE2 partial match). */
export function regexMatches(s: string, pattern: string): boolean {
  chargeRegex(s, pattern);
  return compileRegex(pattern).test(s);
}

function findAll(s: string, pattern: string, limit: number): string[] {
  chargeRegex(s, pattern);
  const out: string[] = [];
  if (limit === 0) return out;
  const m = compileRegex(pattern).matcher(s);
  while (m.find()) {
    out.push(m.group() ?? '');
    if (limit > 0 && out.length >= limit) break;
  }
  return out;
}

export function registerRegex(env: Registrar): void {
  env.registerFunction('string.find(string): string', (s: string, p: string) => {
    chargeRegex(s, p);
    const m = compileRegex(p).matcher(s);
    return m.find() ? m.group() ?? '' : '';
  });
  env.registerFunction('string.findAll(string): list<string>', (s: string, p: string) => findAll(s, p, -1));
  env.registerFunction('string.findAll(string, int): list<string>', (s: string, p: string, n: bigint) => findAll(s, p, Number(n)));
}

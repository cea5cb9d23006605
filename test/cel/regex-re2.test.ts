/**
 * Regexes in CEL run on RE2 (re2js): linear time whatever the pattern, RE2 syntax (what cel-go
 * accepts and refuses), and a cost that grows with the input so kube's budgets bound them.
 */
import t from 'tap';
import { compileRule, CelCostError, CelRuntimeError } from '../../src/cel/index.js';

const evalStr = (expr: string, s: string, costBudget?: number) =>
  compileRule(expr, { vars: { s: 'string' } }).eval({ s }, { costBudget });

t.test('catastrophic patterns finish (matches, find, findAll)', async (t) => {
  const evil = 'a'.repeat(5_000) + '!';
  t.equal(evalStr("s.matches('^(a+)+$')", evil).value, false);
  t.equal(evalStr("s.matches('^(a|aa)+$')", evil).value, false);
  t.equal(evalStr("s.find('(a|aa)+$')", evil).value, '');
  t.same(evalStr("s.findAll('(a+)+!')", evil).value, [evil]);
  t.equal(evalStr("s.matches('^(a+)+$')", 'a'.repeat(5_000)).value, true);
});

t.test('RE2 syntax and semantics', async (t) => {
  t.equal(evalStr("s.matches('(?i)^abc$')", 'ABC').value, true, 'flags');
  t.equal(evalStr("s.matches('^\\\\pL+$')", 'héllo').value, true, 'Unicode classes');
  t.equal(evalStr("s.matches('b')", 'abc').value, true, 'unanchored, as cel-go');
  t.same(evalStr("s.findAll('[0-9]+', 2)", 'a1b22c333').value, ['1', '22']);
  const look = evalStr("s.matches('a(?=b)')", 'ab');
  t.ok(look.error instanceof CelRuntimeError || look.error !== undefined, 'lookahead is not RE2: an evaluation error');
  const backref = evalStr("s.matches('(a)\\\\1')", 'aa');
  t.ok(backref.error !== undefined, 'backreferences are not RE2');
});

t.test('regex cost grows with the input and the per-expression budget stops it', async (t) => {
  const r = evalStr("s.matches('^(a+)+$')", 'a'.repeat(100_000), 1_000);
  t.ok(r.error instanceof CelCostError, `cost error: ${r.error?.message}`);
  const small = evalStr("s.matches('^(a+)+$')", 'aaa', 1_000);
  t.equal(small.value, true);
});

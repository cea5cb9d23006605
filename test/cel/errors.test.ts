/** Bad, expensive and ill-typed expressions give typed errors with kube-like text, never a crash. */

import t from 'tap';
import {
  CelCompileError, CelCostError, CelRuntimeError, CelTypeError, celErrorMessage, COST_LIMIT_MESSAGE, isCelError,
} from '../../src/cel/errors.js';
import { MbCelEngine } from '../../src/cel/mb-engine.js';
import { compileRule, tryCompileRule } from '../../src/cel/rule.js';

const env = { variables: { self: 'dyn' } };

t.test('syntax errors are CelCompileError with position and source line', async (t) => {
  const engine = new MbCelEngine();
  t.throws(() => engine.compile('self.a + + )', env), CelCompileError);
  try {
    engine.compile('self.spec.x ==\n  )', env);
    t.fail('should throw');
  } catch (e) {
    t.type(e, CelCompileError);
    const err = e as CelCompileError;
    t.equal(err.kind, 'compile');
    t.equal(err.position?.line, 2);
    t.match(err.message, /^ERROR: <input>:2:\d+: /);
    t.match(celErrorMessage(err), /^compilation failed: ERROR: <input>:2/);
  }
  const r = tryCompileRule('1 +', { vars: [] });
  t.type(r.error, CelCompileError);
});

t.test('type errors are CelTypeError at compile time', async (t) => {
  t.throws(() => compileRule("'a' + 1", { vars: [] }), CelTypeError);
  t.throws(() => compileRule('self.x', { vars: { self: 'map<string, int>' }, expect: 'string' }), CelTypeError);
  t.throws(() => compileRule('1 + 1', { vars: [], expect: 'bool' }), /must evaluate to a bool/);
  t.throws(() => compileRule('unknownVar == 1', { vars: ['self'] }), CelTypeError);
});

t.test('runtime errors are CelRuntimeError results, not throws', async (t) => {
  const rule = compileRule('self.spec.missing == 1', { vars: ['self'] });
  const r = rule.eval({ self: { spec: {} } });
  t.type(r.error, CelRuntimeError);
  t.match(r.error?.summary, /No such key: missing/);
  const div = compileRule('1 / self.zero', { vars: ['self'] }).eval({ self: { zero: 0 } });
  t.match(div.error?.summary, /division by zero/);
  // a dyn rule returning a non-bool where a bool is expected
  const wrong = compileRule('self.v', { vars: ['self'], expect: 'bool' }).eval({ self: { v: 'x' } });
  t.match(wrong.error?.summary, /must evaluate to a bool/);
  // cel-js's internal failure on empty-list macros is still a typed error
  const empty = tryCompileRule('[].all(e, e > 0)', { vars: [] });
  t.ok(isCelError(empty.error), 'typed error, not a crash');
});

t.test('nested comprehensions over a big list run out of budget', async (t) => {
  const big = Array.from({ length: 2000 }, (_, i) => i);
  const rule = compileRule('self.items.all(x, self.items.all(y, x + y >= 0))', { vars: ['self'] });
  const r = rule.eval({ self: { items: big } });
  t.type(r.error, CelCostError);
  t.equal(r.error?.summary, COST_LIMIT_MESSAGE);
  t.equal(celErrorMessage(r.error), 'operation cancelled: actual cost limit exceeded');
  // the same rule on a small list fits
  const ok = rule.eval({ self: { items: [1, 2, 3] } });
  t.equal(ok.value, true);
  t.ok((ok as { cost: number }).cost > 9, 'cost grows with iterations');
});

t.test('the budget error is not swallowed by || or exists()', async (t) => {
  const big = Array.from({ length: 2000 }, (_, i) => i);
  const r1 = compileRule('self.items.exists(x, self.items.all(y, y != x)) || true', { vars: ['self'] })
    .eval({ self: { items: big } }, { costBudget: 1000 });
  t.type(r1.error, CelCostError);
  const r2 = compileRule('true || self.items.all(x, x >= 0)', { vars: ['self'] }).eval({ self: { items: big } }, { costBudget: 1000 });
  t.equal(r2.value, true, 'short-circuit spends nothing');
});

t.test('custom budgets, and cost reported', async (t) => {
  const rule = compileRule('self.items.map(x, x * 2).size() == 10', { vars: ['self'] });
  const items = Array.from({ length: 10 }, (_, i) => i);
  const ok = rule.eval({ self: { items } });
  t.equal(ok.value, true);
  const cost = (ok as { cost: number }).cost;
  t.ok(cost >= 10);
  t.type(rule.eval({ self: { items } }, { costBudget: cost - 1 }).error, CelCostError);
  t.equal(rule.eval({ self: { items } }, { costBudget: cost }).value, true);
});

t.test('library functions charge for what they traverse', async (t) => {
  const rule = compileRule('self.items.sum() > 0', { vars: ['self'] });
  const items = Array.from({ length: 5000 }, () => 1);
  t.type(rule.eval({ self: { items } }, { costBudget: 1000 }).error, CelCostError);
  t.equal(rule.eval({ self: { items } }).value, true);
});

t.test('size limits reject at compile time', async (t) => {
  const engine = new MbCelEngine({ limits: { maxExpressionLength: 50, maxAstNodes: 20 } });
  t.throws(() => engine.compile(`'${'x'.repeat(60)}' == ''`, env), CelCostError);
  t.throws(() => engine.compile('1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1', env), CelCostError);
  const deep = new MbCelEngine();
  t.throws(() => deep.compile(`${'('.repeat(400)}1${')'.repeat(400)}`, env), CelCostError);
});

t.test('compile cache: same program for same (expression, env); LRU bound', async (t) => {
  const engine = new MbCelEngine({ programCacheSize: 2 });
  const a = engine.compile('self.a == 1', env);
  t.equal(engine.compile('self.a == 1', env), a);
  t.not(engine.compile('self.a == 1', { variables: { self: 'map' } }), a, 'different env, different program');
  engine.compile('self.b == 1', env);
  engine.compile('self.c == 1', env);
  t.equal(engine.cacheStats.programs, 2);
  t.not(engine.compile('self.a == 1', env), a, 'evicted and recompiled');
  // failures are cached too, and rethrown as the same typed error
  t.throws(() => engine.compile('1 +', env), CelCompileError);
  t.throws(() => engine.compile('1 +', env), CelCompileError);
});

t.test('an invalid variable type is a typed error', async (t) => {
  t.throws(() => new MbCelEngine().compile('x', { variables: { x: 'notatype<' } }), CelTypeError);
});

/**
 * CEL over values as deep as Kubernetes accepts (10 000 levels): `self == oldSelf` on a deep
 * subtree, membership, the lists/sets libraries and runtime type dispatch must evaluate to kube's
 * answer, not fail with "too deeply nested to evaluate" (a stack overflow inside the engine), and
 * still be held to the cost budget.
 */

import t from 'tap';
import { compileRule } from '../../src/cel/rule.js';

const DEPTH = 9_991; // odd: the outermost level is a map

/** Alternating lists and maps, `depth` levels, around `leaf`: the shapes a preserve-unknown-fields subtree can take. */
function deep(depth: number, leaf: unknown = 1): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? { a: v, n: i } : [v, 'x'];
  return v;
}

function evalRule(expression: string, vars: Record<string, unknown>, costBudget?: number) {
  return compileRule(expression, { vars: Object.keys(vars) }).eval(vars, { costBudget });
}

t.test('equality and inequality of two deep values', async (t) => {
  const same = { self: deep(DEPTH), oldSelf: deep(DEPTH) };
  const changed = { self: deep(DEPTH), oldSelf: deep(DEPTH, 2) };
  for (const [expression, onSame, onChanged] of [
    ['self == oldSelf', true, false],
    ['self != oldSelf', false, true],
    ['dyn(self) == dyn(oldSelf)', true, false],
    ['[self] == [oldSelf]', true, false],
    ["{'k': self} == {'k': oldSelf}", true, false],
    ['self.a == oldSelf.a', true, false],
  ] as const) {
    const a = evalRule(expression, same);
    t.equal(a.error, undefined, `${expression}: no error (${a.error?.message})`);
    t.equal(a.value, onSame, `${expression} on equal values`);
    const b = evalRule(expression, changed);
    t.equal(b.error, undefined, `${expression}: no error (${b.error?.message})`);
    t.equal(b.value, onChanged, `${expression} on values differing at the deepest leaf`);
  }
  // ints and doubles compare by value at any depth, as at the top
  t.equal(evalRule('self == oldSelf', { self: deep(DEPTH, 1), oldSelf: deep(DEPTH, 1.0) }).value, true);
  t.equal(evalRule('self == oldSelf', { self: deep(DEPTH, 1), oldSelf: deep(DEPTH, 1.5) }).value, false);
  // a different shape part-way down is unequal, not an error
  t.equal(evalRule('self == oldSelf', { self: deep(DEPTH), oldSelf: deep(DEPTH - 2) }).value, false);
});

t.test('membership and the lists and sets libraries', async (t) => {
  const vars = { self: deep(DEPTH), oldSelf: deep(DEPTH) };
  for (const expression of [
    'oldSelf in [1, self]',
    '[self, 1].indexOf(oldSelf) == 0',
    '[self, 1].lastIndexOf(oldSelf) == 0',
    'sets.contains([self], [oldSelf])',
    'sets.equivalent([self], [oldSelf])',
    'sets.intersects([self], [oldSelf])',
    "!(deepOther in [self])",
  ]) {
    const r = evalRule(expression, { ...vars, deepOther: deep(DEPTH, 'other') });
    t.equal(r.error, undefined, `${expression}: no error (${r.error?.message})`);
    t.equal(r.value, true, expression);
  }
});

t.test('runtime type dispatch on a deep dyn value', async (t) => {
  const vars = { self: deep(DEPTH) };
  t.equal(evalRule('size(self) == 2', vars).value, true);
  t.equal(evalRule('type(self) == map', vars).value, true);
  t.equal(evalRule("self.exists(k, k == 'a')", vars).value, true);
  const r = evalRule('string(self)', vars);
  t.ok(r.error, 'no string() of a map');
  t.ok(r.error!.message.length < 2_000, `the error names a bounded type (${r.error!.message.length} characters)`);
  t.notMatch(r.error!.message, /too deeply nested/);
});

t.test('deep comparisons are still held to the cost budget', async (t) => {
  const vars = { self: [deep(DEPTH), deep(DEPTH)], oldSelf: deep(DEPTH) };
  const r = evalRule('self.all(x, x == oldSelf)', vars, 3);
  t.match(r.error?.message, /cost/i, 'over budget');
});

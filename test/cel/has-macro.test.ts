/** has() on any selection, as cel-go (and so Kubernetes) accepts it: the base may be any expression. */
import t from 'tap';
import { CelError, CelRuntimeError } from '../../src/cel/errors.js';
import { MbCelEngine } from '../../src/cel/mb-engine.js';
import { compileRule } from '../../src/cel/rule.js';

const engine = new MbCelEngine();
const cases: [string, unknown, boolean][] = [
  ['has(self.items[0].name)', { items: [{ name: 'a' }] }, true],
  ['has(self.items[0].name)', { items: [{}] }, false],
  ["has(self.m['k'].x)", { m: { k: { x: 1 } } }, true],
  ["has(self.m['k'].x)", { m: { k: {} } }, false],
  ['self.items.all(i, has(i.name))', { items: [{ name: 'a' }, {}] }, false],
  ["has(self.items.filter(i, i.k == 'b')[0].v)", { items: [{ k: 'a' }, { k: 'b', v: 1 }] }, true],
  ['has(self.a.b)', { a: { b: 1 } }, true],
  ['has(self.a.b)', { a: {} }, false],
  ["has({'a': 1}.a)", {}, true],
];

t.test('has() accepts any base expression and tests the last field', async (t) => {
  for (const [expr, self, want] of cases) {
    const r = compileRule(expr, { vars: ['self'], engine }).eval({ self });
    t.equal(r.error, undefined, `${expr}: no error`);
    t.equal(r.value, want, `${expr} on ${JSON.stringify(self)}`);
  }
});

t.test('has() still needs a field selection, and a missing base is an error as in cel-go', async (t) => {
  for (const expr of ['has(self[0])', 'has(1)']) {
    const err = (() => { try { engine.compile(expr, { variables: { self: 'dyn' } }); } catch (e) { return e; } })();
    t.type(err, CelError, `${expr} is not a selection`);
    t.match((err as Error).message, /has\(\) invalid argument/);
  }
  const r = compileRule('has(self.items[1].name)', { vars: ['self'], engine }).eval({ self: { items: [{}] } });
  t.type(r.error, CelRuntimeError, 'index out of range is an evaluation error');
});

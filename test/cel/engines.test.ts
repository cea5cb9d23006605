/** Both engines behind CelEngine give the same answers on standard CEL; errors stay typed. */

import t from 'tap';
import { BbCelEngine } from '../../src/cel/bb-engine.js';
import { CelCompileError, CelRuntimeError } from '../../src/cel/errors.js';
import { MbCelEngine } from '../../src/cel/mb-engine.js';
import { compileRule } from '../../src/cel/rule.js';

const cases: [string, Record<string, unknown>, unknown][] = [
  ["self.spec.replicas <= 10 && self.metadata.labels['env'] in ['prod', 'dev']", { self: { spec: { replicas: 3 }, metadata: { labels: { env: 'prod' } } } }, true],
  ['self.spec.replicas + 1', { self: { spec: { replicas: 3 } } }, 4],
  ['self.items.filter(x, x > 1).map(x, x * 10)', { self: { items: [1, 2, 3] } }, [20, 30]],
  ["cluster.labels.region == 'eu' && cluster.allocatable.cpu >= 4", { cluster: { labels: { region: 'eu' }, allocatable: { cpu: 8 } } }, true],
  ["'%s'.size() + size([1, 2])", {}, 4],
];

for (const engine of [new MbCelEngine(), new BbCelEngine()]) {
  t.test(engine.name, async (t) => {
    for (const [expr, vars, want] of cases) {
      const rule = compileRule(expr, { vars: ['self', 'cluster'], engine });
      t.same(rule.eval(vars).value, want, expr);
    }
    t.throws(() => engine.compile('1 +', { variables: {} }), CelCompileError);
    const bad = compileRule('self.missing.x', { vars: ['self'], engine }).eval({ self: {} });
    t.type(bad.error, CelRuntimeError);
  });
}

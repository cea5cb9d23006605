/**
 * The server's component list: started in order, stopped in reverse; a failing start stops what
 * had started; a failing stop does not keep the others running.
 */
import t from 'tap';
import { startComponents, type ServerComponent } from '../../src/cmd/components.js';
import { silentLogger } from '../../src/observability/logger.js';
import { startServer } from '../helpers/tmc.js';

function recorder(names: string[], failStart?: string, failStop?: string): { list: ServerComponent[]; log: string[] } {
  const log: string[] = [];
  const list = names.map((name) => ({
    name,
    start: async () => { if (name === failStart) throw new Error(`${name} cannot start`); log.push(`start ${name}`); },
    stop: async () => { log.push(`stop ${name}`); if (name === failStop) throw new Error(`${name} cannot stop`); },
  }));
  return { list, log };
}

t.test('start in order, stop in reverse, once', async (t) => {
  const { list, log } = recorder(['storage', 'listener', 'api']);
  const running = await startComponents(list, silentLogger());
  t.same(running.names(), ['storage', 'listener', 'api']);
  await Promise.all([running.stop(), running.stop()]);
  t.same(log, ['start storage', 'start listener', 'start api', 'stop api', 'stop listener', 'stop storage']);
});

t.test('a failing start stops the started ones and rethrows', async (t) => {
  const { list, log } = recorder(['a', 'b', 'c'], 'c');
  await t.rejects(startComponents(list, silentLogger()), /c cannot start/);
  t.same(log, ['start a', 'start b', 'stop b', 'stop a']);
});

t.test('a failing stop is logged and the rest still stop', async (t) => {
  const { list, log } = recorder(['a', 'b'], undefined, 'b');
  const running = await startComponents(list, silentLogger());
  await running.stop();
  t.same(log, ['start a', 'start b', 'stop b', 'stop a']);
});

t.test('tmc-server runs as a named list ending in readiness', async (t) => {
  const srv = await startServer(t, {}, { components: [{ name: 'probe', make: () => ({ stop: () => undefined }) }] });
  const names = srv.components();
  // the order the parts rely on (others may be added in between)
  const order = ['storage', 'informers', 'listener', 'crds', 'logical-clusters', 'api-bindings', 'rbac', 'service-account-tokens', 'api',
    'namespace-lifecycle', 'admin-kubeconfig', 'bootstrap', 'probe', 'ready'];
  t.same(names.filter((n) => order.includes(n)), order);
  t.equal(names.at(-1), 'ready', 'readiness last, so it is withdrawn first');
});

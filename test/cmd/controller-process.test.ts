/**
 * tmc-controller's process wiring in-process: the export's workspace given by flag
 * (--apiexport-workspace) instead of the kubeconfig's, and --leader-elect with two instances —
 * only the Lease holder runs the controllers, the standby is ready, and it takes over when the
 * holder stops.
 */
import t from 'tap';
import { parseControllerArgs } from '../../src/cmd/controller-options.js';
import { startTmcController, type RunningController } from '../../src/cmd/controller-process.js';
import { silentLogger } from '../../src/observability/logger.js';
import { startServer } from '../helpers/tmc.js';
import { waitFor } from '../helpers/wait.js';

t.test('two tmc-controllers with --leader-elect: one runs the controllers, the other takes over', async (t) => {
  const server = await startServer(t, { controllers: false });
  const opts = (identity: string) => parseControllerArgs(['--kubeconfig', server.kubeconfigPath, '--apiexport-workspace', 'root:tmc',
    '--leader-elect', '--identity', identity, '--leader-elect-lease-duration', '2s', '--leader-elect-renew-deadline', '1500ms',
    '--leader-elect-retry-period', '300ms', '--metrics-bind-address', '0', '--health-probe-bind-address', '127.0.0.1:0'], {});
  const a = await startTmcController(opts('a'), silentLogger());
  let aStopped = false;
  t.teardown(() => (aStopped ? undefined : a.stop()));
  await waitFor('a leads', async () => a.controllers() !== undefined, { timeoutMs: 20_000, everyMs: 100 });
  const b = await startTmcController(opts('b'), silentLogger());
  t.teardown(() => b.stop());
  t.match(a.viewURL, /\/services\/apiexport\/[^/]+\/tmc\.kcp\.io$/, 'the VW URL read from root:tmc\'s endpoint slice');
  t.equal(b.viewURL, a.viewURL);

  const readyz = async (c: RunningController) => (await fetch(`${c.healthURL}/readyz`)).status;
  t.equal(b.controllers(), undefined, 'the standby runs no controller');
  t.equal(await readyz(b), 200, 'a standby is ready');
  t.equal(await readyz(a), 200);

  await a.stop();
  aStopped = true;
  await waitFor('b takes over', async () => b.controllers() !== undefined, { timeoutMs: 20_000, everyMs: 100 });
  t.pass('the standby started the controllers once the Lease was free');
});

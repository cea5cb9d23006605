import t from 'tap';
import { parseBindAddress, parseControllerArgs } from '../../src/cmd/controller-options.js';

t.test('defaults as kube controllers have them', async (t) => {
  const o = parseControllerArgs([], { KUBECONFIG: '/k/a.kubeconfig:/k/b.kubeconfig' });
  t.equal(o.kubeconfig, '/k/a.kubeconfig', '$KUBECONFIG (its first file)');
  t.equal(o.apiExportName, 'tmc.kcp.io');
  t.equal(o.endpointSliceName, 'tmc.kcp.io', 'kcp\'s default slice is named after the export');
  t.equal(o.leaderElect, false);
  t.equal(o.metricsBindAddress, ':8080');
  t.equal(o.healthProbeBindAddress, ':8081');
  t.equal(o.leaseDurationMs, 15_000);
});

t.test('flags', async (t) => {
  const o = parseControllerArgs(['--kubeconfig', 'x', '--context', 'c', '--apiexport-name', 'e', '--apiexport-workspace', 'root:p',
    '--apiexport-endpointslice-name', 's', '--leader-elect', '--leader-elect-lease-duration', '30s', '--metrics-bind-address', '0',
    '--health-probe-bind-address', '127.0.0.1:9000', '--heartbeat-interval', '3'], {});
  t.match(o, { kubeconfig: 'x', context: 'c', apiExportName: 'e', apiExportWorkspace: 'root:p', endpointSliceName: 's', leaderElect: true,
    leaseDurationMs: 30_000, metricsBindAddress: '0', healthProbeBindAddress: '127.0.0.1:9000', heartbeatIntervalMs: 3000 });
  t.equal(parseControllerArgs(['--leader-elect=false'], {}).leaderElect, false);
  t.equal(parseControllerArgs(['--leader-elect=true'], {}).leaderElect, true);
});

t.test('bad values are refused with the flag named', async (t) => {
  t.throws(() => parseControllerArgs(['--leader-elect=maybe'], {}), /--leader-elect must be true or false/);
  t.throws(() => parseControllerArgs(['--metrics-bind-address', 'nope'], {}), /--metrics-bind-address must be host:port/);
  t.throws(() => parseControllerArgs(['--leader-elect-renew-deadline', '20s'], {}), /renew-deadline must be shorter/);
  t.throws(() => parseControllerArgs(['--heartbeat-interval', '0'], {}), /--heartbeat-interval must be an integer >= 1/);
});

t.test('bind addresses', async (t) => {
  t.same(parseBindAddress('x', ':8080'), { host: '0.0.0.0', port: 8080 });
  t.same(parseBindAddress('x', '[::1]:9'), { host: '::1', port: 9 });
  t.equal(parseBindAddress('x', '0'), undefined);
});

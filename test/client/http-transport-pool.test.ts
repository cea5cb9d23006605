/**
 * The transport's socket pools: a burst of concurrent requests shares at most `maxSockets`
 * connections (each new one is a TLS handshake against a real server), and open watches, which
 * hold their sockets, never take the requests' ones.
 */
import t from 'tap';
import { HttpTransport } from '../../src/client/http-transport.js';
import { KubeClient } from '../../src/client/kube-client.js';
import { FakeApiServer, sendJson } from './fake-api-server.js';

const configmaps = { group: '', version: 'v1', resource: 'configmaps' };

t.test('a burst of requests reuses at most maxSockets connections; watches do not use them up', async (t) => {
  const ports = new Set<number>();
  const server = new FakeApiServer((req, res) => {
    if (req.query.get('watch') === 'true') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(''); // held open: a watch that never ends
      return;
    }
    ports.add(res.socket!.remotePort!);
    setTimeout(() => sendJson(res, 200, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'ns' } }), 5);
  });
  const url = await server.start();
  const transport = new HttpTransport({ server: url, maxSockets: 4 });
  t.teardown(async () => { transport.close(); await server.close(); });
  const kube = new KubeClient(transport);

  const watches = Array.from({ length: 6 }, () => kube.watch(configmaps, { namespace: 'ns' }, () => {}, () => {}));
  t.teardown(() => { for (const w of watches) w.stop(); });
  await server.waitForRequests(6);

  await Promise.all(Array.from({ length: 60 }, () => kube.get(configmaps, 'ns', 'a')));
  t.ok(ports.size <= 4, `60 concurrent requests used ${ports.size} connections (at most 4), beside 6 open watches`);
  t.equal(server.requests.filter((r) => r.query.get('watch') !== 'true').length, 60, 'every request answered');
});

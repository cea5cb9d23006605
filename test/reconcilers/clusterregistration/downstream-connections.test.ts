import t from 'tap';
import { isNotFound, StatusError } from '../../../src/errors/status.js';
import { ConnectionConfigError, DownstreamConnections, type Secret } from '../../../src/reconcilers/clusterregistration/downstream-connections.js';
import { FakeApiServer, sendJson } from '../../client/fake-api-server.js';
import { registration, WORKSPACE } from './fixtures.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

function secretStore(initial: Record<string, Record<string, string>>) {
  const secrets = new Map<string, Secret>();
  let rv = 1;
  const put = (name: string, data: Record<string, string>) => secrets.set(name, {
    apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'default', uid: `s-${name}`, resourceVersion: String(rv++) },
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])),
  });
  for (const [name, data] of Object.entries(initial)) put(name, data);
  const reads: string[] = [];
  const readSecret = async (ws: string, ns: string, name: string) => {
    reads.push(`${ws}/${ns}/${name}`);
    const s = secrets.get(name);
    if (!s) throw new StatusError(404, 'NotFound', `secrets "${name}" not found`);
    return s;
  };
  return { put, reads, readSecret };
}

t.test('token + serverURL from the spec: the bearer token reaches the cluster; cache per Secret resourceVersion', async (t) => {
  const server = new FakeApiServer((_req, res) => sendJson(res, 200, { gitVersion: 'v1.32.0' }));
  const url = await server.start();
  t.teardown(() => server.close());
  const store = secretStore({ creds: { token: 'tok-1' } });
  const connections = new DownstreamConnections({ readSecret: store.readSecret, requestTimeoutMs: 1000 });
  t.teardown(() => connections.closeAll());
  const reg = registration({ clusterEndpoint: { serverURL: url, secretRef: { name: 'creds' } } });

  const first = await connections.clientFor(reg, WORKSPACE);
  await first.version();
  t.equal(server.requests[0].headers.authorization, 'Bearer tok-1');
  t.equal(store.reads[0], `${WORKSPACE}/default/creds`, 'secret namespace defaults to "default"');
  t.equal(await connections.clientFor(reg, WORKSPACE), first, 'unchanged secret → same client');

  store.put('creds', { token: 'tok-2' });
  const rotated = await connections.clientFor(reg, WORKSPACE);
  t.not(rotated, first, 'rotated secret → new client');
  await rotated.version();
  t.equal(server.requests[1].headers.authorization, 'Bearer tok-2');
  t.equal(connections.size, 1);
  connections.forget('uid-1');
  t.equal(connections.size, 0);
});

t.test('a kubeconfig Secret is used for credentials but not for the server URL', async (t) => {
  const server = new FakeApiServer((_req, res) => sendJson(res, 200, {}));
  const url = await server.start();
  t.teardown(() => server.close());
  const kubeconfig = `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://elsewhere.invalid:1"}}]
users: [{name: u, user: {token: from-kubeconfig}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`;
  const store = secretStore({ creds: { kubeconfig } });
  const connections = new DownstreamConnections({ readSecret: store.readSecret, requestTimeoutMs: 1000 });
  t.teardown(() => connections.closeAll());
  const downstreamClient = await connections.clientFor(registration({ clusterEndpoint: { serverURL: url, secretRef: { name: 'creds' } } }), WORKSPACE);
  await downstreamClient.version();
  t.equal(server.requests[0].headers.authorization, 'Bearer from-kubeconfig');
});

t.test('unusable credentials are ConnectionConfigErrors with a reason; a missing Secret is NotFound', async (t) => {
  const execKubeconfig = `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://x:1"}}]
users: [{name: u, user: {exec: {command: /bin/sh, args: ["-c", "echo pwned"], apiVersion: client.authentication.k8s.io/v1}}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`;
  const store = secretStore({ exec: { kubeconfig: execKubeconfig }, empty: { other: 'x' }, garbage: { kubeconfig: 'not: [a kubeconfig' } });
  const connections = new DownstreamConnections({ readSecret: store.readSecret, requestTimeoutMs: 1000 });
  const reg = (name: string) => registration({ clusterEndpoint: { serverURL: 'https://x:1', secretRef: { name } } });
  for (const name of ['exec', 'empty', 'garbage']) {
    const err = await connections.clientFor(reg(name), WORKSPACE).then(() => undefined, (e: unknown) => e);
    t.ok(err instanceof ConnectionConfigError, name);
    t.equal((err as ConnectionConfigError).reason, 'InvalidCredentials', name);
  }
  const missing = await connections.clientFor(reg('nope'), WORKSPACE).then(() => undefined, (e: unknown) => e);
  t.ok(isNotFound(missing));
  const noEndpoint = await connections.clientFor(registration({ clusterEndpoint: undefined }), WORKSPACE).then(() => undefined, (e: unknown) => e);
  t.equal((noEndpoint as ConnectionConfigError).reason, 'NoEndpoint');
});

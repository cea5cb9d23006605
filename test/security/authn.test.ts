import t from 'tap';
import { execFile } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { Authenticator } from '../../src/security/authn.js';
import { writeKubeconfig } from '../../src/security/kubeconfig.js';
import { ensurePKI, issueClientCertificate, type CertKeyPair } from '../../src/security/pki.js';
import { StaticTokenFile, TokenRegistry } from '../../src/security/tokens.js';
import { buildCertificate, generateKey, loadPrivateKey } from '../../src/security/x509-builder.js';

const dir = mkdtempSync(join(tmpdir(), 'tmc-authn-'));
const pki = await ensurePKI({ dir });
const registry = new TokenRegistry();
const tokenFile = StaticTokenFile.fromText('s3cret-token,alice,u-1,"dev,ops"\n');
const authn = new Authenticator({ clientCA: pki.ca.certPem, tokens: [tokenFile, registry] });

// Every getPeerX509Certificate call on a server socket is counted, to prove the per-socket cache.
let peerLookups = 0;
const server = https.createServer({
  cert: pki.serving.certPem, key: pki.serving.keyPem, ca: pki.ca.certPem,
  requestCert: true, rejectUnauthorized: false,
}, (req, res) => {
  try {
    const u = authn.authenticateOrThrow(req);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(u));
  } catch (e) {
    const err = e as { code: number; toStatus(): unknown };
    res.writeHead(err.code, { 'content-type': 'application/json' }).end(JSON.stringify(err.toStatus()));
  }
});
server.on('secureConnection', (s: TLSSocket) => {
  const orig = s.getPeerX509Certificate.bind(s);
  s.getPeerX509Certificate = () => { peerLookups++; return orig(); };
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const port = (server.address() as AddressInfo).port;
t.teardown(() => server.close());

interface Reply { status: number; body: Record<string, unknown> }

function get(opts: { client?: CertKeyPair; token?: string; agent?: https.Agent; host?: string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = https.request({
      host: opts.host ?? '127.0.0.1', port, path: '/', ca: pki.ca.certPem,
      cert: opts.client?.certPem, key: opts.client?.keyPem, agent: opts.agent ?? false,
      headers: opts.token ? { authorization: `Bearer ${opts.token}` } : {},
    }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(body) }));
    });
    req.on('error', reject);
    req.end();
  });
}

t.test('the admin certificate authenticates as admin in system:masters', async (t) => {
  const r = await get({ client: pki.admin });
  t.equal(r.status, 200);
  t.same(r.body, { name: 'admin', groups: ['system:masters', 'system:authenticated'] });
});

t.test('the serving cert verifies for the name localhost too', async (t) => {
  t.equal((await get({ client: pki.admin, host: 'localhost' })).status, 200);
});

t.test('no credentials → 401 Unauthorized Status', async (t) => {
  const r = await get({});
  t.equal(r.status, 401);
  t.match(r.body, { kind: 'Status', reason: 'Unauthorized', message: 'Unauthorized', code: 401 });
});

t.test('a certificate from another CA is rejected', async (t) => {
  const other = await ensurePKI({ dir: mkdtempSync(join(tmpdir(), 'tmc-other-')) });
  const foreign = issueClientCertificate(other, { user: 'mallory', groups: ['system:masters'] });
  t.equal((await get({ client: foreign })).status, 401);
});

t.test('a self-signed cert claiming the CA subject is rejected', async (t) => {
  const k = generateKey();
  const fakeCA = { certPem: buildCertificate({ subject: { commonName: 'tmc-ca' }, publicKey: createPublicKey(k.key),
    selfSignKey: k.key, days: 1, isCA: true }), keyPem: k.keyPem };
  const forged = issueClientCertificate({ ca: fakeCA }, { user: 'mallory', groups: ['system:masters'] });
  t.equal((await get({ client: forged })).status, 401);
});

t.test('a certificate with an empty CN authenticates nobody', async (t) => {
  const k = generateKey();
  const certPem = buildCertificate({ subject: { commonName: '', organizations: ['system:masters'] },
    publicKey: createPublicKey(k.key), issuer: { certPem: pki.ca.certPem, key: loadPrivateKey(pki.ca.keyPem) },
    days: 1, usages: ['client'] });
  t.equal((await get({ client: { certPem, keyPem: k.keyPem } })).status, 401);
});

t.test('a serving-only certificate is not a client credential', async (t) => {
  t.equal((await get({ client: pki.serving })).status, 401);
});

t.test('bearer tokens: token file and minted tokens', async (t) => {
  const r = await get({ token: 's3cret-token' });
  t.equal(r.status, 200);
  t.same(r.body, { name: 'alice', uid: 'u-1', groups: ['dev', 'ops', 'system:authenticated'] });
  t.equal((await get({ token: 'wrong' })).status, 401);

  const minted = registry.issue('system:tmc:syncer:east', ['tmc:syncers']);
  const m = await get({ token: minted });
  t.same(m.body, { name: 'system:tmc:syncer:east', groups: ['tmc:syncers', 'system:authenticated'] });
  registry.revoke(minted);
  t.equal((await get({ token: minted })).status, 401, 'revoked token no longer works');
});

t.test('a valid certificate wins over a bad token (union: first success)', async (t) => {
  const r = await get({ client: pki.admin, token: 'wrong' });
  t.equal(r.body.name, 'admin');
});

t.test('the verdict is cached per connection', async (t) => {
  const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
  t.teardown(() => agent.destroy());
  const before = peerLookups;
  for (let i = 0; i < 3; i++) t.equal((await get({ client: pki.admin, agent })).body.name, 'admin');
  t.equal(peerLookups - before, 1, 'three requests on one socket, one certificate lookup');
});

t.test('header parsing', async (t) => {
  const fake = { socket: {} as never, headers: {} as Record<string, string> };
  for (const h of ['Bearer s3cret-token', 'bearer   s3cret-token ', 'BEARER s3cret-token']) {
    t.equal(authn.authenticate({ ...fake, headers: { authorization: h } })?.name, 'alice', h);
  }
  for (const h of ['Basic s3cret-token', 'Bearer', 'Bearer a b', 's3cret-token']) {
    t.equal(authn.authenticate({ ...fake, headers: { authorization: h } }), undefined, h);
  }
});

const kubectl = await new Promise<boolean>((r) => execFile('kubectl', ['version', '--client'], (e) => r(!e)));

t.test('kubectl (Go TLS) accepts the serving cert and presents the admin cert', { skip: !kubectl && 'kubectl not on PATH' }, async (t) => {
  const kc = join(dir, 'admin.kubeconfig');
  await writeKubeconfig(kc, { server: `https://127.0.0.1:${port}`, caPem: pki.ca.certPem,
    clientCertPem: pki.admin.certPem, clientKeyPem: pki.admin.keyPem });
  const out = await new Promise<string>((resolve, reject) =>
    execFile('kubectl', ['--kubeconfig', kc, 'get', '--raw', '/'], { timeout: 20000 }, (e, so, se) =>
      e ? reject(new Error(`${e.message}\n${se}`)) : resolve(so)));
  t.same(JSON.parse(out), { name: 'admin', groups: ['system:masters', 'system:authenticated'] });
});

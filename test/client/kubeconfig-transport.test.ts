import t from 'tap';
import https from 'node:https';
import { generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import forge from 'node-forge';
import { httpTransportFromKubeConfig } from '../../src/client/kubeconfig-transport.js';
import { KubeClient } from '../../src/client/kube-client.js';

/** A self-signed serving certificate for 127.0.0.1 (it is its own CA). */
function selfSigned(): { certPem: string; keyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 3_600_000);
  const subject = [{ name: 'commonName', value: 'tmc-test' }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true },
    { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem };
}

t.test('kubeconfig: CA trust, bearer token, server path prefix, basePath override', async (t) => {
  const { certPem, keyPem } = selfSigned();
  const seen: Array<{ url: string; auth: string | undefined }> = [];
  const server = https.createServer({ cert: certPem, key: keyPem }, (req, res) => {
    seen.push({ url: req.url ?? '', auth: req.headers.authorization });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ major: '1', minor: '32', gitVersion: 'v1.32.0-tmc' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => { server.closeAllConnections(); server.close(); });
  const port = (server.address() as AddressInfo).port;
  const kubeconfig = `
apiVersion: v1
kind: Config
clusters:
- name: tmc
  cluster:
    server: https://127.0.0.1:${port}/clusters/root
    certificate-authority-data: ${Buffer.from(certPem).toString('base64')}
users:
- name: admin
  user:
    token: s3cret
contexts:
- name: tmc
  context: { cluster: tmc, user: admin }
current-context: tmc
`;
  const transport = httpTransportFromKubeConfig({ text: kubeconfig });
  const rootTransport = httpTransportFromKubeConfig({ text: kubeconfig, basePath: '' });
  t.teardown(() => { transport.close(); rootTransport.close(); });
  t.equal((await new KubeClient(transport).version()).gitVersion, 'v1.32.0-tmc');
  await new KubeClient(rootTransport).forCluster('root:org').version();
  t.same(seen, [
    { url: '/clusters/root/version', auth: 'Bearer s3cret' },
    { url: '/clusters/root:org/version', auth: 'Bearer s3cret' },
  ]);

  const untrusted = httpTransportFromKubeConfig({ text: kubeconfig.replace(/certificate-authority-data: .*/, 'insecure-skip-tls-verify: false') });
  t.teardown(() => untrusted.close());
  await t.rejects(new KubeClient(untrusted).version(), /self[- ]signed|unable to verify/i, 'an unknown CA is rejected');
});

t.test('kubeconfig file: relative paths resolve against its directory; tokenFile; context override', async (t) => {
  const { resolveKubeConfig } = await import('../../src/client/kubeconfig.js');
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'tmc-kubeconfig-'));
  writeFileSync(join(dir, 'ca.crt'), 'CA-PEM');
  writeFileSync(join(dir, 'token'), 'from-file\n');
  writeFileSync(join(dir, 'config'), `
clusters:
- { name: c1, cluster: { server: 'https://a:6443', certificate-authority: ca.crt, tls-server-name: tmc.local } }
- { name: c2, cluster: { server: 'https://b:6443/clusters/root', insecure-skip-tls-verify: true } }
users:
- { name: u1, user: { tokenFile: token } }
- { name: u2, user: { exec: { command: get-token } } }
contexts:
- { name: one, context: { cluster: c1, user: u1, namespace: team } }
- { name: two, context: { cluster: c2, user: u2 } }
current-context: one
`);
  const one = resolveKubeConfig({ file: join(dir, 'config') });
  t.equal(one.server, 'https://a:6443');
  t.equal(one.ca?.toString(), 'CA-PEM');
  t.equal(one.token, 'from-file');
  t.equal(one.namespace, 'team');
  t.equal(one.tlsServerName, 'tmc.local');
  t.notOk(one.skipTLSVerify);
  t.notOk(one.needsPlugin);
  const two = resolveKubeConfig({ file: join(dir, 'config'), context: 'two' });
  t.equal(two.server, 'https://b:6443/clusters/root');
  t.ok(two.skipTLSVerify);
  t.ok(two.needsPlugin, 'exec users are flagged for the plugin path');
  t.throws(() => resolveKubeConfig({ file: join(dir, 'config'), context: 'three' }), /no context "three"/);
});

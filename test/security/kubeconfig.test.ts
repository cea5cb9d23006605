import t from 'tap';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { buildKubeconfig, kubeconfigToYAML, parseKubeconfig, readKubeconfigFile, writeKubeconfig } from '../../src/security/kubeconfig.js';

const dir = mkdtempSync(join(tmpdir(), 'tmc-kc-'));
const CA = '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n';
const CERT = '-----BEGIN CERTIFICATE-----\nLEAF\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nKEY\n-----END PRIVATE KEY-----\n';

t.test('write then parse round-trips, file is 0600 with embedded base64 data', async (t) => {
  const f = join(dir, 'admin.kubeconfig');
  await writeKubeconfig(f, { server: 'https://127.0.0.1:6443/clusters/root', caPem: CA, clientCertPem: CERT, clientKeyPem: KEY });
  t.equal(statSync(f).mode & 0o777, 0o600);
  const doc = parse(readFileSync(f, 'utf8'));
  t.equal(doc.clusters[0].cluster['certificate-authority-data'], Buffer.from(CA).toString('base64'));
  t.equal(doc.users[0].user['client-key-data'], Buffer.from(KEY).toString('base64'));
  t.equal(doc['current-context'], 'tmc');
  t.same(parseKubeconfig(readFileSync(f, 'utf8')),
    { server: 'https://127.0.0.1:6443/clusters/root', caPem: CA, certPem: CERT, keyPem: KEY });
});

t.test('token kubeconfig with names and namespace', async (t) => {
  const y = kubeconfigToYAML({ server: 'https://x', caPem: CA, token: 'tok', user: 'syncer', context: 'east', namespace: 'ns1' });
  t.same(parseKubeconfig(y), { server: 'https://x', caPem: CA, token: 'tok', namespace: 'ns1' });
  const o = buildKubeconfig({ server: 'https://x', token: 'tok', user: 'syncer', context: 'east' });
  t.same(o.contexts, [{ name: 'east', context: { cluster: 'east', user: 'syncer' } }]);
});

t.test('current-context selects among several; falls back to the first', async (t) => {
  const text = JSON.stringify({
    clusters: [{ name: 'a', cluster: { server: 'https://a' } }, { name: 'b', cluster: { server: 'https://b', 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'ua', user: { token: 'ta' } }, { name: 'ub', user: { token: 'tb' } }],
    contexts: [{ name: 'ca', context: { cluster: 'a', user: 'ua' } }, { name: 'cb', context: { cluster: 'b', user: 'ub' } }],
    'current-context': 'cb',
  });
  t.same(parseKubeconfig(text), { server: 'https://b', token: 'tb', insecureSkipTLSVerify: true });
  t.equal(parseKubeconfig(text.replace('"current-context":"cb"', '"current-context":"zz"')).server, 'https://a');
});

t.test('file references: resolved from a file, refused from a Secret', async (t) => {
  writeFileSync(join(dir, 'ca.crt'), CA);
  writeFileSync(join(dir, 'tok'), 'filetoken\n');
  const f = join(dir, 'refs.kubeconfig');
  writeFileSync(f, 'clusters: [{name: c, cluster: {server: "https://r", certificate-authority: ca.crt}}]\n'
    + 'users: [{name: u, user: {tokenFile: tok}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\n');
  t.same(readKubeconfigFile(f), { server: 'https://r', caPem: CA, token: 'filetoken' });
  t.throws(() => parseKubeconfig(readFileSync(f, 'utf8')), /refers to file "ca\.crt"; embed it as data/);
});

t.test('bad kubeconfigs fail clearly', async (t) => {
  t.throws(() => parseKubeconfig(''), /empty/);
  t.throws(() => parseKubeconfig('a: [b'), /not valid YAML/);
  t.throws(() => parseKubeconfig('clusters: []'), /no cluster with a server/);
  t.throws(() => parseKubeconfig('contexts: [{name: x, context: {cluster: nope}}]'), /unknown cluster "nope"/);
  t.throws(() => parseKubeconfig('clusters: 5'), /must be a list/);
});

const kubectl = await new Promise<boolean>((r) => execFile('kubectl', ['version', '--client'], (e) => r(!e)));

t.test('kubectl config view --raw reads what we write', { skip: !kubectl && 'kubectl not on PATH' }, async (t) => {
  const f = join(dir, 'kubectl.kubeconfig');
  await writeKubeconfig(f, { server: 'https://127.0.0.1:1/clusters/root', caPem: CA, clientCertPem: CERT, clientKeyPem: KEY });
  const out = await new Promise<string>((resolve, reject) =>
    execFile('kubectl', ['--kubeconfig', f, 'config', 'view', '--raw', '-o', 'json'], { timeout: 20000 },
      (e, so, se) => (e ? reject(new Error(se)) : resolve(so))));
  const v = JSON.parse(out);
  t.equal(v['current-context'], 'tmc');
  t.equal(v.clusters[0].cluster.server, 'https://127.0.0.1:1/clusters/root');
  t.equal(Buffer.from(v.users[0].user['client-certificate-data'], 'base64').toString(), CERT);
  t.same(parseKubeconfig(out), parseKubeconfig(readFileSync(f, 'utf8')), 'kubectl\'s view parses the same');
});

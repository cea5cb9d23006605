import t from 'tap';
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePKI, issueClientCertificate, issueServingCertificate, servingHosts } from '../../src/security/pki.js';
import { subjectNames } from '../../src/security/authn.js';
import { buildCertificate, generateKey } from '../../src/security/x509-builder.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'tmc-pki-'));

t.test('first start creates CA, serving and admin certs with 0600 keys', async (t) => {
  const dir = tmp();
  const pki = await ensurePKI({ dir, hosts: ['10.1.2.3', 'tmc.example.com', '0.0.0.0'] });
  for (const f of ['ca.crt', 'ca.key', 'serving.crt', 'serving.key', 'admin.crt', 'admin.key']) {
    t.ok(statSync(join(dir, f)).isFile(), f);
  }
  for (const f of ['ca.key', 'serving.key', 'admin.key']) {
    t.equal(statSync(join(dir, f)).mode & 0o777, 0o600, `${f} is 0600`);
  }
  t.equal(readFileSync(pki.paths.caCert, 'utf8'), pki.ca.certPem);

  const ca = new X509Certificate(pki.ca.certPem);
  t.ok(ca.ca, 'CA has basicConstraints CA:true');
  t.ok(ca.verify(ca.publicKey), 'CA is self-signed');
  const years = (Date.parse(ca.validTo) - Date.now()) / (365 * 24 * 3600e3);
  t.ok(years > 9.9 && years < 10.1, `CA valid ~10 years (${years.toFixed(2)})`);

  const serving = new X509Certificate(pki.serving.certPem);
  t.ok(serving.checkIssued(ca), 'serving issued by CA');
  t.ok(serving.verify(ca.publicKey), 'serving signature verifies');
  t.notOk(serving.ca);
  t.ok(serving.checkPrivateKey(createPrivateKey(pki.serving.keyPem)), 'serving key matches');
  // IPs as IP SANs, names as DNS SANs, wildcard bind address not at all.
  t.match(serving.subjectAltName, /DNS:localhost/);
  t.match(serving.subjectAltName, /DNS:tmc\.example\.com/);
  t.match(serving.subjectAltName, /IP Address:127\.0\.0\.1/);
  t.match(serving.subjectAltName, /IP Address:10\.1\.2\.3/);
  t.notMatch(serving.subjectAltName, /DNS:127|DNS:10\.|0\.0\.0\.0/);
  t.equal(serving.checkIP('::1'), '::1');
  t.equal(serving.checkHost('tmc.example.com', { subject: 'never' }), 'tmc.example.com');
  t.same(serving.keyUsage, ['1.3.6.1.5.5.7.3.1'], 'serverAuth only');
  t.same(pki.hosts, ['localhost', '127.0.0.1', '::1', '10.1.2.3', 'tmc.example.com']);

  const admin = new X509Certificate(pki.admin.certPem);
  t.ok(admin.checkIssued(ca) && admin.verify(ca.publicKey), 'admin issued by CA');
  t.same(subjectNames(admin.subject), { cn: 'admin', orgs: ['system:masters'] });
  t.same(admin.keyUsage, ['1.3.6.1.5.5.7.3.2'], 'clientAuth only');
});

t.test('second start reuses everything; a new host re-issues only the serving cert', async (t) => {
  const dir = tmp();
  const first = await ensurePKI({ dir, hosts: [] });
  const again = await ensurePKI({ dir, hosts: ['localhost'] });
  t.equal(again.ca.certPem, first.ca.certPem);
  t.equal(again.serving.certPem, first.serving.certPem, 'serving reused');
  t.equal(again.admin.certPem, first.admin.certPem);

  const widened = await ensurePKI({ dir, hosts: ['192.168.7.7'] });
  t.equal(widened.ca.certPem, first.ca.certPem, 'CA kept');
  t.equal(widened.admin.certPem, first.admin.certPem, 'admin kept');
  t.not(widened.serving.certPem, first.serving.certPem, 'serving re-issued');
  t.equal(new X509Certificate(widened.serving.certPem).checkIP('192.168.7.7'), '192.168.7.7');
  t.equal(readFileSync(join(dir, 'serving.crt'), 'utf8'), widened.serving.certPem, 'written to disk');
});

t.test('a replaced CA re-issues the leaves; a corrupt CA is regenerated', async (t) => {
  const dir = tmp();
  const first = await ensurePKI({ dir });
  writeFileSync(join(dir, 'ca.crt'), 'garbage');
  const second = await ensurePKI({ dir });
  t.not(second.ca.certPem, first.ca.certPem);
  const ca = new X509Certificate(second.ca.certPem);
  t.ok(new X509Certificate(second.serving.certPem).checkIssued(ca));
  t.ok(new X509Certificate(second.admin.certPem).verify(ca.publicKey));
});

t.test('issueClientCertificate and issueServingCertificate', async (t) => {
  const pki = await ensurePKI({ dir: tmp() });
  const ca = new X509Certificate(pki.ca.certPem);
  const c = issueClientCertificate(pki, { user: 'syncer-east', groups: ['tmc:syncers', 'team-a'], days: 2 });
  const x = new X509Certificate(c.certPem);
  t.ok(x.verify(ca.publicKey));
  t.same(subjectNames(x.subject), { cn: 'syncer-east', orgs: ['tmc:syncers', 'team-a'] });
  const days = (Date.parse(x.validTo) - Date.now()) / (24 * 3600e3);
  t.ok(days > 1.9 && days <= 2, `valid 2 days (${days})`);
  t.throws(() => issueClientCertificate(pki, { user: '' }));

  const s = issueServingCertificate(pki, { hosts: ['svc.ns.svc', '::1'] });
  const sx = new X509Certificate(s.certPem);
  t.ok(sx.verify(ca.publicKey));
  t.match(sx.subjectAltName, /DNS:svc\.ns\.svc/);
  t.equal(sx.checkIP('::1'), '::1');
});

t.test('RSA keys work too (one RSA key: RSA generation is slow)', async (t) => {
  const k = generateKey('rsa-2048');
  t.equal(createPrivateKey(k.keyPem).asymmetricKeyType, 'rsa');
  const caPem = buildCertificate({ subject: { commonName: 'rsa-ca' }, publicKey: createPublicKey(k.key),
    selfSignKey: k.key, days: 1, isCA: true });
  const ca = new X509Certificate(caPem);
  t.equal(ca.publicKey.asymmetricKeyType, 'rsa');
  t.ok(ca.verify(ca.publicKey), 'sha256WithRSAEncryption self-signature verifies');
  const leaf = issueClientCertificate({ ca: { certPem: caPem, keyPem: k.keyPem } }, { user: 'u' });
  t.ok(new X509Certificate(leaf.certPem).verify(ca.publicKey), 'EC leaf under RSA CA verifies');
});

t.test('servingHosts', async (t) => {
  t.same(servingHosts(['[::1]', ' 10.0.0.1 ', '::', '', 'localhost']), ['localhost', '127.0.0.1', '::1', '10.0.0.1']);
});

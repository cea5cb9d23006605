/**
 * The server's PKI, created on first start and reused afterwards (DESIGN §7, §9):
 *
 *   <dir>/ca.crt, ca.key            self-signed CA, 10 years
 *   <dir>/serving.crt, serving.key  TLS serving cert: localhost, 127.0.0.1, ::1 + requested hosts
 *   <dir>/admin.crt, admin.key      client cert CN=admin, O=system:masters
 *
 * Reuse rules: the CA is kept while it is valid; the serving cert is re-issued when it does not
 * cover a requested host, was not issued by the CA, or is about to expire; the admin cert likewise
 * (minus hosts). Keys are written 0600. Certificates carry ECDSA P-256 keys (see x509-builder.ts).
 */
import { X509Certificate, createPublicKey } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import type { Logger } from '../observability/logger.js';
import { GROUP_MASTERS } from './user.js';
import { buildCertificate, generateKey, loadPrivateKey, type KeyAlgorithm } from './x509-builder.js';

export interface CertKeyPair { certPem: string; keyPem: string }

export interface PKI {
  dir: string;
  ca: CertKeyPair;
  serving: CertKeyPair;
  admin: CertKeyPair;
  /** Absolute file paths of everything above. */
  paths: Record<'caCert' | 'caKey' | 'servingCert' | 'servingKey' | 'adminCert' | 'adminKey', string>;
  /** The SANs the serving certificate covers. */
  hosts: string[];
}

export interface EnsurePKIOptions {
  dir: string;
  /** Extra SANs (bind address, external DNS names). Wildcard binds (0.0.0.0, ::) are ignored. */
  hosts?: string[];
  logger?: Logger;
  keyAlgorithm?: KeyAlgorithm;
}

export const CA_DAYS = 3650;
export const LEAF_DAYS = 365;
export const ADMIN_USER = 'admin';
export { GROUP_MASTERS as MASTERS_GROUP };
/** Leaf certificates closer than this to expiry are re-issued at start-up. */
const RENEW_BEFORE_MS = 30 * 24 * 60 * 60 * 1000;
const DEFAULT_HOSTS = ['localhost', '127.0.0.1', '::1'];

export async function ensurePKI(opts: EnsurePKIOptions): Promise<PKI> {
  const { dir, logger } = opts;
  const alg = opts.keyAlgorithm ?? 'ecdsa-p256';
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const paths = {
    caCert: join(dir, 'ca.crt'), caKey: join(dir, 'ca.key'),
    servingCert: join(dir, 'serving.crt'), servingKey: join(dir, 'serving.key'),
    adminCert: join(dir, 'admin.crt'), adminKey: join(dir, 'admin.key'),
  };
  const hosts = servingHosts(opts.hosts ?? []);

  let ca = await readPair(paths.caCert, paths.caKey);
  if (!ca || !validCA(ca)) {
    const k = generateKey(alg);
    ca = {
      certPem: buildCertificate({ subject: { commonName: 'tmc-ca' }, publicKey: createPublicKey(k.key),
        selfSignKey: k.key, days: CA_DAYS, isCA: true }),
      keyPem: k.keyPem,
    };
    await writePair(paths.caCert, paths.caKey, ca);
    logger?.info({ dir }, 'created certificate authority');
  }

  let serving = await readPair(paths.servingCert, paths.servingKey);
  if (!serving || !validLeaf(serving, ca) || !coversHosts(serving, hosts)) {
    serving = issueServingCertificate({ ca }, { hosts, keyAlgorithm: alg });
    await writePair(paths.servingCert, paths.servingKey, serving);
    logger?.info({ hosts }, 'issued serving certificate');
  }

  let admin = await readPair(paths.adminCert, paths.adminKey);
  if (!admin || !validLeaf(admin, ca)) {
    admin = issueClientCertificate({ ca }, { user: ADMIN_USER, groups: [GROUP_MASTERS], keyAlgorithm: alg });
    await writePair(paths.adminCert, paths.adminKey, admin);
    logger?.info({ user: ADMIN_USER }, 'issued admin client certificate');
  }

  return { dir, ca, serving, admin, paths, hosts };
}

export interface ClientCertificateOptions {
  user: string;
  groups?: string[];
  days?: number;
  keyAlgorithm?: KeyAlgorithm;
}

/** A client certificate for `user` (CN) in `groups` (O), signed by the CA. */
export function issueClientCertificate(pki: Pick<PKI, 'ca'>, opts: ClientCertificateOptions): CertKeyPair {
  if (!opts.user) throw new Error('issueClientCertificate: user must not be empty');
  const k = generateKey(opts.keyAlgorithm);
  const certPem = buildCertificate({
    subject: { commonName: opts.user, organizations: opts.groups ?? [] },
    publicKey: createPublicKey(k.key),
    issuer: { certPem: pki.ca.certPem, key: loadPrivateKey(pki.ca.keyPem) },
    days: opts.days ?? LEAF_DAYS, usages: ['client'],
  });
  return { certPem, keyPem: k.keyPem };
}

export interface ServingCertificateOptions {
  hosts: string[];
  commonName?: string;
  days?: number;
  keyAlgorithm?: KeyAlgorithm;
}

/** A TLS serving certificate for `hosts` (DNS names and IPs), signed by the CA. */
export function issueServingCertificate(pki: Pick<PKI, 'ca'>, opts: ServingCertificateOptions): CertKeyPair {
  const k = generateKey(opts.keyAlgorithm);
  const certPem = buildCertificate({
    subject: { commonName: opts.commonName ?? 'tmc-server' },
    publicKey: createPublicKey(k.key),
    issuer: { certPem: pki.ca.certPem, key: loadPrivateKey(pki.ca.keyPem) },
    days: opts.days ?? LEAF_DAYS, usages: ['server'], hosts: opts.hosts,
  });
  return { certPem, keyPem: k.keyPem };
}

/** Default SANs plus the requested ones, de-duplicated; wildcard bind addresses are no SAN. */
export function servingHosts(extra: string[]): string[] {
  const out: string[] = [];
  for (const h of [...DEFAULT_HOSTS, ...extra]) {
    const host = h.trim().replace(/^\[(.*)\]$/, '$1'); // accept "[::1]" as written in URLs
    if (!host || host === '0.0.0.0' || host === '::' || out.includes(host)) continue;
    out.push(host);
  }
  return out;
}

function coversHosts(pair: CertKeyPair, hosts: string[]): boolean {
  const x = new X509Certificate(pair.certPem);
  return hosts.every((h) => (isIP(h) ? x.checkIP(h) !== undefined : x.checkHost(h, { subject: 'never' }) !== undefined));
}

function validCA(pair: CertKeyPair): boolean {
  try {
    const x = new X509Certificate(pair.certPem);
    return x.ca && Date.parse(x.validTo) > Date.now() && keyMatches(x, pair.keyPem);
  } catch {
    return false;
  }
}

function validLeaf(pair: CertKeyPair, ca: CertKeyPair): boolean {
  try {
    const x = new X509Certificate(pair.certPem);
    const caX = new X509Certificate(ca.certPem);
    return x.checkIssued(caX) && x.verify(caX.publicKey) && keyMatches(x, pair.keyPem)
      && Date.parse(x.validTo) - Date.now() > RENEW_BEFORE_MS;
  } catch {
    return false;
  }
}

function keyMatches(x: X509Certificate, keyPem: string): boolean {
  return x.checkPrivateKey(loadPrivateKey(keyPem));
}

async function readPair(certPath: string, keyPath: string): Promise<CertKeyPair | undefined> {
  try {
    return { certPem: await readFile(certPath, 'utf8'), keyPem: await readFile(keyPath, 'utf8') };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Writes via a temp file + rename so a crash never leaves a half-written key behind. */
async function writePair(certPath: string, keyPath: string, pair: CertKeyPair): Promise<void> {
  await writeSecretFile(keyPath, pair.keyPem);
  await writeAtomic(certPath, pair.certPem, 0o644);
}

export async function writeSecretFile(path: string, content: string): Promise<void> {
  await writeAtomic(path, content, 0o600);
}

async function writeAtomic(path: string, content: string, mode: number): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, content, { mode });
  await chmod(tmp, mode); // the umask may have narrowed or (for 0644) the file may pre-exist
  await rename(tmp, path);
}

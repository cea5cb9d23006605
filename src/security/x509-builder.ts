/**
 * Builds and signs X.509 v3 certificates: node-forge assembles the certificate (names, validity,
 * extensions, DER), node:crypto generates the keys and computes the signature.
 *
 * Why the split: node-forge can only hold RSA keys and signs in pure JS (~100 ms per RSA-2048
 * signature on these machines, and key generation is slower still), while node:crypto signs in
 * ~1 ms and makes an ECDSA P-256 key in ~1 ms. So forge builds the TBSCertificate with a
 * placeholder public key, we splice in the real SubjectPublicKeyInfo (DER from node:crypto), and
 * sign the DER with node:crypto. The result is a plain certificate that Go's crypto/tls (kubectl),
 * OpenSSL and node all accept, with either ECDSA P-256 (default) or RSA keys.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign,
  X509Certificate, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';

const asn1 = forge.asn1;

export type KeyAlgorithm = 'ecdsa-p256' | 'rsa-2048';

/** A distinguished name: CN plus any number of O values (kube reads groups from O). */
export interface Subject { commonName: string; organizations?: string[] }

export interface CertificateRequest {
  subject: Subject;
  /** Public key of the new certificate (node:crypto). */
  publicKey: KeyObject;
  /** Self-signed when absent. */
  issuer?: { certPem: string; key: KeyObject };
  /** Signing key for self-signed certificates (the private half of publicKey). */
  selfSignKey?: KeyObject;
  days: number;
  isCA?: boolean;
  /** extendedKeyUsage: server (TLS web server), client (TLS web client). */
  usages?: Array<'server' | 'client'>;
  /** DNS names and IP addresses; each goes in as the right SAN type. */
  hosts?: string[];
}

export interface KeyPair { key: KeyObject; keyPem: string }

/** A fresh private key; ECDSA P-256 by default (fast, and accepted by Go, OpenSSL and node). */
export function generateKey(alg: KeyAlgorithm = 'ecdsa-p256'): KeyPair {
  const { privateKey } = alg === 'rsa-2048'
    ? generateKeyPairSync('rsa', { modulusLength: 2048 })
    : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return { key: privateKey, keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

export function loadPrivateKey(pem: string): KeyObject {
  return createPrivateKey(pem);
}

/** Builds, signs and PEM-encodes one certificate. */
export function buildCertificate(req: CertificateRequest): string {
  const signer = req.issuer?.key ?? req.selfSignKey;
  if (!signer) throw new Error('buildCertificate: need an issuer or a self-sign key');

  const spkiDer = req.publicKey.export({ type: 'spki', format: 'der' });
  const ski = keyIdentifier(spkiDer);

  const cert = forge.pki.createCertificate();
  cert.serialNumber = randomSerial();
  const now = Date.now();
  // Back-date an hour so a client whose clock is slightly behind still accepts the certificate.
  cert.validity.notBefore = new Date(now - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(now + req.days * 24 * 60 * 60 * 1000);
  const subjectAttrs = toAttributes(req.subject);
  cert.setSubject(subjectAttrs);

  // The issuer name is copied byte for byte from the issuer's certificate (spliced in below):
  // chain building compares names as DER, and forge cannot parse certificates with EC keys anyway.
  cert.setIssuer(subjectAttrs);
  let authorityKeyId = ski;
  let issuerName: forge.asn1.Asn1 | undefined;
  if (req.issuer) {
    const issuerDer = new X509Certificate(req.issuer.certPem).raw;
    const issuerTbs = (asn1.fromDer(forge.util.createBuffer(issuerDer.toString('binary'))).value as forge.asn1.Asn1[])[0];
    issuerName = (issuerTbs.value as forge.asn1.Asn1[])[5];
    authorityKeyId = keyIdentifier(createPublicKey(req.issuer.certPem).export({ type: 'spki', format: 'der' }));
  }

  const extensions: Array<Record<string, unknown>> = [
    { name: 'basicConstraints', cA: !!req.isCA, critical: true },
    req.isCA
      ? { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true }
      : { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    // Given as ready-made values: forge would derive them from an RSA key it does not have.
    { name: 'subjectKeyIdentifier', value: asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, ski) },
  ];
  if (!req.isCA || req.issuer) {
    extensions.push({ name: 'authorityKeyIdentifier', keyIdentifier: authorityKeyId });
  }
  if (req.usages?.length) {
    extensions.push({ name: 'extKeyUsage', serverAuth: req.usages.includes('server'),
      clientAuth: req.usages.includes('client') });
  }
  if (req.hosts?.length) extensions.push({ name: 'subjectAltName', altNames: req.hosts.map(altName) });
  cert.setExtensions(extensions);

  // forge's TBS builder needs *some* RSA public key; it is replaced below.
  cert.publicKey = PLACEHOLDER_RSA_KEY;
  const algId = signatureAlgorithm(signer);
  cert.siginfo.algorithmOid = algId.oid;
  const tbs = (forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 })
    .getTBSCertificate(cert);
  const tbsParts = tbs.value as forge.asn1.Asn1[];
  tbsParts[2] = algId.asn1();                                         // signature AlgorithmIdentifier
  if (issuerName) tbsParts[3] = issuerName;                           // issuer
  tbsParts[6] = asn1.fromDer(forge.util.createBuffer(spkiDer.toString('binary'))); // SubjectPublicKeyInfo

  const tbsDer = Buffer.from(asn1.toDer(tbs).getBytes(), 'binary');
  const signature = sign('sha256', tbsDer, signer); // ECDSA: DER (r,s), as X.509 wants
  const certAsn1 = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    tbs,
    algId.asn1(),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, '\x00' + signature.toString('binary')),
  ]);
  return derToPem(Buffer.from(asn1.toDer(certAsn1).getBytes(), 'binary'));
}

const OID_ECDSA_SHA256 = '1.2.840.10045.4.3.2';
const OID_RSA_SHA256 = '1.2.840.113549.1.1.11';

/** The AlgorithmIdentifier for sha256 with the signer's key type (ECDSA has no params, RSA a NULL). */
function signatureAlgorithm(key: KeyObject): { oid: string; asn1(): forge.asn1.Asn1 } {
  const ec = key.asymmetricKeyType === 'ec';
  const oid = ec ? OID_ECDSA_SHA256 : OID_RSA_SHA256;
  return {
    oid,
    asn1: () => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(oid).getBytes()),
      ...(ec ? [] : [asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '')]),
    ]),
  };
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING contents (binary string). */
function keyIdentifier(spkiDer: Buffer): string {
  const spki = asn1.fromDer(forge.util.createBuffer(spkiDer.toString('binary')));
  const bitString = (spki.value as forge.asn1.Asn1[])[1].value as string;
  return createHash('sha1').update(Buffer.from(bitString.slice(1), 'binary')).digest().toString('binary');
}

function toAttributes(s: Subject): forge.pki.CertificateField[] {
  const attrs: forge.pki.CertificateField[] = [];
  for (const o of s.organizations ?? []) attrs.push({ shortName: 'O', value: o });
  attrs.push({ shortName: 'CN', value: s.commonName });
  return attrs;
}

/** IP literals become iPAddress SANs (type 7), everything else dNSName (type 2). */
function altName(host: string): { type: number; value?: string; ip?: string } {
  return isIP(host) ? { type: 7, ip: host } : { type: 2, value: host };
}

/** 16 random bytes with the top bit cleared: a positive INTEGER, as RFC 5280 requires. */
function randomSerial(): string {
  const b = randomBytes(16);
  b[0] &= 0x7f;
  if (b[0] === 0) b[0] = 0x01; // keep DER minimal (no leading zero octet)
  return b.toString('hex');
}

function derToPem(der: Buffer): string {
  const b64 = der.toString('base64').match(/.{1,64}/g)!.join('\n');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

const PLACEHOLDER_RSA_KEY = forge.pki.setRsaPublicKey(
  new forge.jsbn.BigInteger('1', 10), new forge.jsbn.BigInteger('65537', 10));

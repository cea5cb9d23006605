/**
 * Request authentication: x509 client certificates first, then bearer tokens (as kube's union
 * authenticator: the first that succeeds wins). A request nobody vouches for yields `undefined`;
 * the wire layer answers it with 401 `Unauthorized` (`authenticateOrThrow`).
 *
 * The TLS server runs with `requestCert: true, rejectUnauthorized: false` so token-only clients can
 * connect; certificates are therefore verified here, against our CA, not trusted from the socket.
 * Per-request cost is one WeakMap lookup: a keep-alive connection presents the same certificate
 * for every request, so the verdict is cached per socket.
 */
import { X509Certificate } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { unauthorized } from '../errors/status.js';
import type { TokenAuthenticator } from './tokens.js';
import { withAuthenticatedGroup, type UserInfo } from './user.js';

/** The parts of an http.IncomingMessage (or express Request) authentication looks at. */
export interface AuthnRequest {
  socket: Socket | TLSSocket;
  headers: IncomingHttpHeaders;
}

export interface AuthenticatorOptions {
  /** PEM CA certificate(s) that client certificates must chain to (directly). */
  clientCA?: string | string[];
  /** Token sources, asked in order: e.g. the `--token-auth-file` and the server's TokenRegistry. */
  tokens?: TokenAuthenticator[];
}

const CLIENT_AUTH_EKU = '1.3.6.1.5.5.7.3.2';

interface CachedPeer { user: UserInfo | undefined; validToMs: number }

export class Authenticator {
  private readonly cas: X509Certificate[];
  private readonly tokens: TokenAuthenticator[];
  private readonly peers = new WeakMap<object, CachedPeer>();

  constructor(opts: AuthenticatorOptions = {}) {
    const pems = opts.clientCA === undefined ? [] : Array.isArray(opts.clientCA) ? opts.clientCA : [opts.clientCA];
    this.cas = pems.map((p) => new X509Certificate(p));
    this.tokens = opts.tokens ?? [];
  }

  /** The authenticated user, or undefined (→ 401). */
  authenticate(req: AuthnRequest): UserInfo | undefined {
    return this.fromCertificate(req.socket) ?? this.fromBearerToken(req.headers.authorization);
  }

  authenticateOrThrow(req: AuthnRequest): UserInfo {
    const u = this.authenticate(req);
    if (!u) throw unauthorized();
    return u;
  }

  private fromCertificate(socket: Socket | TLSSocket): UserInfo | undefined {
    if (this.cas.length === 0 || !isTLSSocket(socket)) return undefined;
    const cached = this.peers.get(socket);
    if (cached && Date.now() < cached.validToMs) return cached.user;
    const peer = verifyPeer(socket, this.cas);
    this.peers.set(socket, peer);
    return peer.user;
  }

  private fromBearerToken(header: string | undefined): UserInfo | undefined {
    if (!header || this.tokens.length === 0) return undefined;
    const m = /^\s*bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) return undefined;
    for (const src of this.tokens) {
      const u = src.verify(m[1]);
      if (u) return u;
    }
    return undefined;
  }
}

function isTLSSocket(s: Socket | TLSSocket): s is TLSSocket {
  return typeof (s as TLSSocket).getPeerX509Certificate === 'function';
}

/**
 * Verifies the socket's client certificate against the CAs: issued by one of them, signature
 * valid, within its validity period, usable for client auth, non-empty CN. `validToMs` bounds how
 * long the verdict may be cached (a rejection is re-evaluated on the next request only after a
 * minute; it cannot change on the same connection anyway).
 */
export function verifyPeer(socket: TLSSocket, cas: X509Certificate[]): CachedPeer {
  const reject = { user: undefined, validToMs: Date.now() + 60_000 };
  const cert = socket.getPeerX509Certificate();
  if (!cert) return reject;
  const now = Date.now();
  const notAfter = Date.parse(cert.validTo);
  if (Date.parse(cert.validFrom) > now || notAfter <= now) return reject;
  if (!cas.some((ca) => cert.checkIssued(ca) && cert.verify(ca.publicKey))) return reject;
  const ekus = cert.keyUsage; // extended key usage OIDs; undefined = unrestricted
  if (ekus && ekus.length && !ekus.includes(CLIENT_AUTH_EKU)) return reject;

  const { cn, orgs } = subjectNames(cert.subject);
  if (!cn) return reject; // kube: a certificate without a CN authenticates nobody
  return { user: { name: cn, groups: withAuthenticatedGroup(orgs) }, validToMs: notAfter };
}

/**
 * CN and every O from node's subject string (`O=a\nO=b\nCN=x`). Node escapes values that contain
 * separators as JSON strings (`CN="a\nb"`), which JSON.parse undoes.
 */
export function subjectNames(subject: string): { cn: string; orgs: string[] } {
  let cn = '';
  const orgs: string[] = [];
  for (const line of subject.split('\n')) {
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq);
    let value = line.slice(eq + 1);
    if (value.startsWith('"')) {
      try { value = JSON.parse(value) as string; } catch { /* keep as is */ }
    }
    if (key === 'CN') cn = value;
    else if (key === 'O') orgs.push(value);
  }
  return { cn, orgs };
}

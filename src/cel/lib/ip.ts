/**
 * Kubernetes ip and cidr libraries (apiserver pkg/cel/library/ip.go, cidr.go):
 * ip: `ip, isIP, ip.isCanonical, family, isUnspecified, isLoopback, isLinkLocalMulticast,
 * isLinkLocalUnicast, isGlobalUnicast, string`; cidr: `cidr, isCIDR, containsIP, containsCIDR, ip,
 * prefixLength, masked, string`. Zones and IPv4-mapped IPv6 addresses are rejected, as in kube.
 */

import { IPAddr, IPPrefix, parseAddr, parsePrefix } from './ipaddr.js';
import { fail, type Registrar } from './util.js';

/** `ip` is both a function and, for `ip.isCanonical(...)`, a namespace object. */
class IPNamespace {}

function kubeAddr(raw: string): IPAddr | string {
  const a = parseAddr(raw);
  if (typeof a === 'string') return `IP Address ${JSON.stringify(raw)} parse error during conversion from string: ${a}`;
  if (a.zone !== '') return `IP address ${JSON.stringify(raw)} with zone value is not allowed`;
  if (a.is4In6()) return `IPv4-mapped IPv6 address ${JSON.stringify(raw)} is not allowed`;
  return a;
}

function kubePrefix(raw: string): IPPrefix | string {
  const p = parsePrefix(raw);
  if (typeof p === 'string') return `network address parse error during conversion from string: ${p}`;
  if (p.addr.zone !== '') return `CIDR ${JSON.stringify(raw)} with zone value is not allowed`;
  if (p.addr.is4In6()) return `IPv4-mapped IPv6 address ${JSON.stringify(raw)} is not allowed`;
  return p;
}

function mustAddr(raw: string): IPAddr {
  const a = kubeAddr(raw);
  return typeof a === 'string' ? fail('invalid_ip', a) : a;
}

function mustPrefix(raw: string): IPPrefix {
  const p = kubePrefix(raw);
  return typeof p === 'string' ? fail('invalid_cidr', p) : p;
}

export function registerIP(env: Registrar): void {
  env.registerType('net.IP', IPAddr);
  env.registerType('net.CIDR', IPPrefix);
  env.registerType('IPNamespace', IPNamespace);
  env.registerConstant('ip', 'IPNamespace', new IPNamespace());

  env.registerFunction('ip(string): net.IP', mustAddr);
  env.registerFunction('isIP(string): bool', (s: string) => typeof kubeAddr(s) !== 'string');
  env.registerFunction('IPNamespace.isCanonical(string): bool', (_: unknown, s: string) => mustAddr(s).toString() === s);
  env.registerFunction('net.IP.family(): int', (a: IPAddr) => BigInt(a.family));
  env.registerFunction('net.IP.isUnspecified(): bool', (a: IPAddr) => a.isUnspecified());
  env.registerFunction('net.IP.isLoopback(): bool', (a: IPAddr) => a.isLoopback());
  env.registerFunction('net.IP.isLinkLocalMulticast(): bool', (a: IPAddr) => a.isLinkLocalMulticast());
  env.registerFunction('net.IP.isLinkLocalUnicast(): bool', (a: IPAddr) => a.isLinkLocalUnicast());
  env.registerFunction('net.IP.isGlobalUnicast(): bool', (a: IPAddr) => a.isGlobalUnicast());
  env.registerFunction('string(net.IP): string', (a: IPAddr) => a.toString());
  env.registerOperator('net.IP == net.IP', (a: IPAddr, b: IPAddr) => a.equals(b));

  env.registerFunction('cidr(string): net.CIDR', mustPrefix);
  env.registerFunction('isCIDR(string): bool', (s: string) => typeof kubePrefix(s) !== 'string');
  env.registerFunction('net.CIDR.containsIP(net.IP): bool', (c: IPPrefix, a: IPAddr) => c.containsAddr(a));
  env.registerFunction('net.CIDR.containsIP(string): bool', (c: IPPrefix, s: string) => c.containsAddr(mustAddr(s)));
  env.registerFunction('net.CIDR.containsCIDR(net.CIDR): bool', (c: IPPrefix, o: IPPrefix) => c.containsPrefix(o));
  env.registerFunction('net.CIDR.containsCIDR(string): bool', (c: IPPrefix, s: string) => c.containsPrefix(mustPrefix(s)));
  env.registerFunction('net.CIDR.ip(): net.IP', (c: IPPrefix) => c.addr);
  env.registerFunction('net.CIDR.masked(): net.CIDR', (c: IPPrefix) => c.masked());
  env.registerFunction('net.CIDR.prefixLength(): int', (c: IPPrefix) => BigInt(c.prefixLength));
  env.registerFunction('string(net.CIDR): string', (c: IPPrefix) => c.toString());
  env.registerOperator('net.CIDR == net.CIDR', (a: IPPrefix, b: IPPrefix) => a.equals(b));
}

/**
 * IP addresses and prefixes with Go `net/netip` semantics (what kube's CEL ip/cidr libraries use):
 * strict dotted-quad IPv4 (no leading zeros), RFC 4291 IPv6 text, RFC 5952 canonical output.
 * Pure values; the CEL bindings are in ip.ts.
 */

export class IPAddr {
  constructor(readonly family: 4 | 6, readonly value: bigint, readonly zone = '') {}

  get bits(): number { return this.family === 4 ? 32 : 128; }

  is4In6(): boolean { return this.family === 6 && this.value >> 32n === 0xffffn; }
  isUnspecified(): boolean { return this.value === 0n; }
  isLoopback(): boolean { return this.family === 4 ? this.value >> 24n === 127n : this.value === 1n; }
  isMulticast(): boolean { return this.family === 4 ? this.value >> 28n === 0xen : this.value >> 120n === 0xffn; }
  isLinkLocalMulticast(): boolean {
    return this.family === 4 ? this.value >> 8n === 0xe00000n : ((this.value >> 112n) & 0xff0fn) === 0xff02n;
  }
  isLinkLocalUnicast(): boolean {
    return this.family === 4 ? this.value >> 16n === 0xa9fen : this.value >> 118n === 0x3fan;
  }
  isGlobalUnicast(): boolean {
    if (this.family === 4 && this.value === 0xffffffffn) return false;
    return !this.isUnspecified() && !this.isLoopback() && !this.isMulticast() && !this.isLinkLocalUnicast();
  }

  equals(o: unknown): boolean { return o instanceof IPAddr && o.family === this.family && o.value === this.value; }

  toString(): string {
    if (this.family === 4) return v4String(this.value);
    if (this.is4In6()) return `::ffff:${v4String(this.value & 0xffffffffn)}`;
    const groups: number[] = [];
    for (let i = 7; i >= 0; i--) groups.push(Number((this.value >> BigInt(i * 16)) & 0xffffn));
    // longest run of zero groups (at least two), leftmost on ties
    let bestAt = -1, bestLen = 1;
    for (let i = 0; i < 8;) {
      if (groups[i] !== 0) { i++; continue; }
      let j = i;
      while (j < 8 && groups[j] === 0) j++;
      if (j - i > bestLen) { bestAt = i; bestLen = j - i; }
      i = j;
    }
    const hex = groups.map((g) => g.toString(16));
    if (bestAt < 0) return hex.join(':');
    return `${hex.slice(0, bestAt).join(':')}::${hex.slice(bestAt + bestLen).join(':')}`;
  }
}

function v4String(v: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 0xffn)).join('.');
}

function parseV4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || (p.length > 1 && p[0] === '0')) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

function parseV6(s: string): bigint | undefined {
  let head = s, tail = '';
  const dbl = s.indexOf('::');
  if (dbl >= 0) {
    head = s.slice(0, dbl);
    tail = s.slice(dbl + 2);
    if (tail.includes('::')) return undefined;
  }
  const groups = (part: string): bigint[] | undefined => {
    if (part === '') return [];
    const out: bigint[] = [];
    const items = part.split(':');
    for (let i = 0; i < items.length; i++) {
      const it = items[i];
      if (i === items.length - 1 && it.includes('.')) {
        const v4 = parseV4(it);
        if (v4 === undefined) return undefined;
        out.push(v4 >> 16n, v4 & 0xffffn);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(it)) return undefined;
        out.push(BigInt(parseInt(it, 16)));
      }
    }
    return out;
  };
  const h = groups(head);
  const t = groups(tail);
  if (!h || !t) return undefined;
  if (tail.includes('.') && head.includes('.')) return undefined;
  if (head.includes('.') && dbl >= 0) return undefined;
  let all: bigint[];
  if (dbl >= 0) {
    const missing = 8 - h.length - t.length;
    if (missing < 1) return undefined;
    all = [...h, ...new Array<bigint>(missing).fill(0n), ...t];
  } else {
    all = h;
  }
  if (all.length !== 8) return undefined;
  return all.reduce((acc, g) => (acc << 16n) | g, 0n);
}

/** Parses like netip.ParseAddr; returns a reason on failure. */
export function parseAddr(raw: string): IPAddr | string {
  if (raw.includes(':')) {
    const pct = raw.indexOf('%');
    const zone = pct >= 0 ? raw.slice(pct + 1) : '';
    const v = parseV6(pct >= 0 ? raw.slice(0, pct) : raw);
    if (v === undefined || (pct >= 0 && zone === '')) return `ParseAddr(${JSON.stringify(raw)}): unable to parse IP`;
    return new IPAddr(6, v, zone);
  }
  const v = parseV4(raw);
  if (v === undefined) return `ParseAddr(${JSON.stringify(raw)}): unable to parse IP`;
  return new IPAddr(4, v);
}

export class IPPrefix {
  constructor(readonly addr: IPAddr, readonly prefixLength: number) {}

  masked(): IPPrefix {
    const hostBits = BigInt(this.addr.bits - this.prefixLength);
    const v = (this.addr.value >> hostBits) << hostBits;
    return new IPPrefix(new IPAddr(this.addr.family, v), this.prefixLength);
  }

  containsAddr(ip: IPAddr): boolean {
    if (ip.family !== this.addr.family) return false;
    const hostBits = BigInt(this.addr.bits - this.prefixLength);
    return ip.value >> hostBits === this.addr.value >> hostBits;
  }

  containsPrefix(o: IPPrefix): boolean {
    return o.addr.family === this.addr.family && this.prefixLength <= o.prefixLength && this.containsAddr(o.addr);
  }

  equals(o: unknown): boolean {
    return o instanceof IPPrefix && o.prefixLength === this.prefixLength && this.addr.equals(o.addr);
  }

  toString(): string { return `${this.addr}/${this.prefixLength}`; }
}

/** Parses like netip.ParsePrefix; returns a reason on failure. */
export function parsePrefix(raw: string): IPPrefix | string {
  const slash = raw.lastIndexOf('/');
  if (slash < 0) return `netip.ParsePrefix(${JSON.stringify(raw)}): no '/'`;
  const addr = parseAddr(raw.slice(0, slash));
  if (typeof addr === 'string') return `netip.ParsePrefix(${JSON.stringify(raw)}): ${addr}`;
  const bitsText = raw.slice(slash + 1);
  if (!/^(0|[1-9]\d*)$/.test(bitsText) || Number(bitsText) > addr.bits) {
    return `netip.ParsePrefix(${JSON.stringify(raw)}): bad bits after slash: ${JSON.stringify(bitsText)}`;
  }
  return new IPPrefix(addr, Number(bitsText));
}

import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Where a provider URL may lead. The admin types the URL and the server calls it, so without
 * this rule a provider URL reaches what only the server can: loopback services, the cloud's
 * metadata address, the private network. The rule is checked on the typed URL when it is saved
 * and on every address the name resolves to when connecting, so a DNS name cannot point inside.
 */
export interface ProviderNetwork {
  /** ALLOW_PRIVATE_PROVIDER_URLS: loopback and private addresses allowed (tests, a closed network). */
  readonly allowPrivate: boolean;
  /** Name resolution: the system's, or in tests one that maps a name anywhere. */
  readonly resolve: (hostname: string) => Promise<readonly ResolvedAddress[]>;
}

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** The system resolver (getaddrinfo, so /etc/hosts too: `localhost` resolves to loopback). */
export function systemResolve(hostname: string): Promise<readonly ResolvedAddress[]> {
  return new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses: LookupAddress[]) => {
      if (error) reject(error);
      else resolve(addresses.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 })));
    });
  });
}

export function providerNetwork(allowPrivate: boolean, resolve = systemResolve): ProviderNetwork {
  return Object.freeze({ allowPrivate, resolve });
}

/** What production gets unless the operator says otherwise. */
export const DEFAULT_PROVIDER_NETWORK = providerNetwork(false);

/** The error a refused address fails the connection with; callers recognise it by its code. */
export class ForbiddenAddressError extends Error {
  readonly code = 'EPROVIDERFORBIDDEN';
  constructor(hostname: string) {
    super(`${hostname} resolves to an address providers may not use`);
    this.name = 'ForbiddenAddressError';
  }
}

// IANA special-purpose registries (RFC 6890 and successors): nothing a public panel lives at.
const FORBIDDEN_IPV4: readonly [string, number][] = [
  ['0.0.0.0', 8], // "this network", 0.0.0.0 included
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // CGNAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, the cloud metadata address among them
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, 255.255.255.255 included
];

const FORBIDDEN_IPV6: readonly [string, number][] = [
  ['::', 96], // unspecified, loopback and IPv4-compatible (deprecated)
  ['100::', 64], // discard
  ['2001::', 32], // Teredo
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
];

const FORBIDDEN = new BlockList();
for (const [network, prefix] of FORBIDDEN_IPV4) FORBIDDEN.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of FORBIDDEN_IPV6) FORBIDDEN.addSubnet(network, prefix, 'ipv6');

/** The eight 16-bit groups of an IPv6 address (a trailing dotted IPv4 counts as two). */
function ipv6Groups(address: string): number[] {
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address);
  const text = dotted
    ? `${address.slice(0, dotted.index)}${((Number(dotted[1]) << 8) | Number(dotted[2])).toString(16)}:${((Number(dotted[3]) << 8) | Number(dotted[4])).toString(16)}`
    : address;
  const [head = '', tail] = text.split('::');
  const parse = (part: string) =>
    part === '' ? [] : part.split(':').map((group) => Number.parseInt(group, 16));
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

const dottedOf = (high: number, low: number) => `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;

/** The IPv4 address an IPv6 one carries (mapped, NAT64, 6to4), which is then what is reached. */
function embeddedIpv4(address: string): string | undefined {
  const g = ipv6Groups(address);
  const isZero = (from: number, to: number) => g.slice(from, to).every((group) => group === 0);
  if (isZero(0, 5) && g[5] === 0xffff) return dottedOf(g[6] ?? 0, g[7] ?? 0);
  if (g[0] === 0x64 && g[1] === 0xff9b && isZero(2, 6)) return dottedOf(g[6] ?? 0, g[7] ?? 0);
  if (g[0] === 0x2002) return dottedOf(g[1] ?? 0, g[2] ?? 0);
  return undefined;
}

/** Whether an IP address (without brackets) is one a provider may not be reached at. */
export function isForbiddenAddress(address: string): boolean {
  const family = isIP(address);
  try {
    if (family === 4) return FORBIDDEN.check(address, 'ipv4');
    if (family !== 6 || address.includes('%')) return true;
    if (FORBIDDEN.check(address, 'ipv6')) return true;
    const ipv4 = embeddedIpv4(address);
    return ipv4 !== undefined && FORBIDDEN.check(ipv4, 'ipv4');
  } catch {
    return true;
  }
}

/** A URL's host as `net` takes it: IPv6 without its brackets. */
export function bareHost(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/**
 * Save time: whether the URL's host is a forbidden address, or a name resolving to one now.
 * The URL parser has already turned `2130706433`, `0x7f000001`, `0177.0.0.1` and `127.1` into
 * `127.0.0.1`. A name that does not resolve today is let through: connecting checks it again.
 */
export async function isForbiddenProviderUrl(url: URL, network: ProviderNetwork): Promise<boolean> {
  if (network.allowPrivate) return false;
  const host = bareHost(url);
  if (isIP(host)) return isForbiddenAddress(host);
  try {
    const found = await network.resolve(host);
    return found.some((a) => isForbiddenAddress(a.address));
  } catch {
    return false;
  }
}

/**
 * Connection time: the `lookup` given to the socket. Every address the name resolves to is
 * checked (not only the one connected to), so a name with one public and one private address
 * is refused whatever order the resolver answers in. `net` skips `lookup` for a literal IP,
 * which the caller checks itself with `isForbiddenAddress`.
 */
export function guardedLookup(network: ProviderNetwork): LookupFunction {
  return (hostname, options, callback) => {
    network.resolve(hostname).then(
      (found) => {
        const wanted = options.family === 4 || options.family === 6 ? options.family : undefined;
        const addresses = found.filter((a) => wanted === undefined || a.family === wanted);
        if (!network.allowPrivate && found.some((a) => isForbiddenAddress(a.address))) {
          callback(new ForbiddenAddressError(hostname), '', 0);
        } else if (addresses.length === 0) {
          callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
        } else if (options.all) {
          callback(
            null,
            addresses.map((a) => ({ address: a.address, family: a.family })),
          );
        } else {
          const first = addresses[0] as ResolvedAddress;
          callback(null, first.address, first.family);
        }
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}

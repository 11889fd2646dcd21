import { BlockList, isIP } from 'node:net';

/** What an address is, for outbound requests: only `public` addresses are reached without an allow-list. */
export type AddressClass =
  'public' | 'unspecified' | 'loopback' | 'private' | 'link_local' | 'multicast' | 'reserved';

const RANGES: [Exclude<AddressClass, 'public'>, string, number, 'ipv4' | 'ipv6'][] = [
  ['unspecified', '0.0.0.0', 8, 'ipv4'],
  ['unspecified', '::', 128, 'ipv6'],
  ['loopback', '127.0.0.0', 8, 'ipv4'],
  ['loopback', '::1', 128, 'ipv6'],
  ['private', '10.0.0.0', 8, 'ipv4'],
  ['private', '172.16.0.0', 12, 'ipv4'],
  ['private', '192.168.0.0', 16, 'ipv4'],
  ['private', '100.64.0.0', 10, 'ipv4'], // carrier-grade NAT, shared address space
  ['private', 'fc00::', 7, 'ipv6'], // unique local
  ['link_local', '169.254.0.0', 16, 'ipv4'], // cloud metadata services live here
  ['link_local', 'fe80::', 10, 'ipv6'],
  ['multicast', '224.0.0.0', 4, 'ipv4'],
  ['multicast', 'ff00::', 8, 'ipv6'],
  ['reserved', '240.0.0.0', 4, 'ipv4'], // and the broadcast address
];

// one list per class; Node's BlockList also matches IPv4-mapped IPv6 addresses (::ffff:127.0.0.1)
const LISTS = new Map<Exclude<AddressClass, 'public'>, BlockList>();
for (const [klass, network, prefix, type] of RANGES) {
  if (!LISTS.has(klass)) LISTS.set(klass, new BlockList());
  LISTS.get(klass)!.addSubnet(network, prefix, type);
}

const NAT64 = new BlockList();
NAT64.addSubnet('64:ff9b::', 96, 'ipv6');

/** The class of an IP address (v4 or v6, no brackets); anything that is not an address is `reserved`. */
export function classifyAddress(address: string): AddressClass {
  const family = isIP(address);
  if (family === 0) return 'reserved';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  // NAT64 (64:ff9b::a.b.c.d) reaches the embedded IPv4 address: judge that one
  if (type === 'ipv6' && NAT64.check(address, 'ipv6')) return classifyAddress(embeddedIpv4(address));
  for (const [klass, list] of LISTS) if (list.check(address, type)) return klass;
  return 'public';
}

function embeddedIpv4(address: string): string {
  const url = new URL(`http://[${address}]/`).hostname.slice(1, -1); // canonical form
  const groups = url.split(':');
  const last = groups[groups.length - 1];
  if (last.includes('.')) return last;
  const lo = parseInt(last || '0', 16);
  const hi = parseInt(groups[groups.length - 2] || '0', 16);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

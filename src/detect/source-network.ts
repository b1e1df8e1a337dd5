// The network a call came from: the /24 of an IPv4 address, the /48 of an IPv6 one. Agents run
// behind pools of addresses (NAT, autoscaled hosts, cloud egress) that change within a network
// far more often than across networks, so "new network" is the signal that carries, where
// "new address" mostly measures the size of the pool.
//
// Parsing is by hand and allocation-free (this runs several times per event): IPv4 as four
// decimal octets; IPv6 by its first three groups, honouring `::` and an IPv4-mapped tail
// (::ffff:10.1.2.3 is the IPv4 address). Anything else (a hostname, a malformed address) is its
// own network, keyed by its full text.
import { hashText, mixHash } from '../profile/sketches/hash.js';

const IPV6_SALT = 0x6b43a9b5;
const UNPARSED_SALT = 0x2545f491;

/** 32-bit key of the source network of `ip` (equal keys = same /24 or /48). */
export function sourceNetworkKey(ip: string): number {
  const v4 = parseIpv4Prefix(ip, 0);
  if (v4 >= 0) return mixHash(v4);
  const v6 = ipv6PrefixKey(ip);
  if (v6 !== undefined) return v6;
  return mixHash(hashText(ip) ^ UNPARSED_SALT);
}

/**
 * Whether `networkKey` (a sourceNetworkKey) is another /24 of the same IPv4 /16 as `ip`: the
 * neighbouring subnet an organisation's hosts move or fail over to. Tries the 256 /24s of the
 * /16 (~1 µs), so call it only when a network has changed. False for IPv6 and unparsed sources.
 */
export function inSameIpv4Slash16(ip: string, networkKey: number): boolean {
  const v4 = parseIpv4Prefix(ip, 0);
  if (v4 < 0) return false;
  const slash16 = v4 & ~0xff;
  for (let third = 0; third < 256; third++) if (mixHash(slash16 | third) >>> 0 === networkKey >>> 0) return true;
  return false;
}

/** The network in words: "203.0.113.0/24", "2001:db8:1::/48", or the text itself when it is not an address. */
export function describeSourceNetwork(ip: string): string {
  const v4 = parseIpv4Prefix(ip, 0);
  if (v4 >= 0) return `${v4 >>> 16}.${(v4 >>> 8) & 255}.${v4 & 255}.0/24`;
  const groups = ipv6Groups(ip);
  if (groups === undefined) return ip;
  if (groups.mappedIpv4 >= 0) {
    const v = groups.mappedIpv4;
    return `${v >>> 16}.${(v >>> 8) & 255}.${v & 255}.0/24`;
  }
  return `${groups.first.toString(16)}:${groups.second.toString(16)}:${groups.third.toString(16)}::/48`;
}

/** The first three octets of a dotted IPv4 address starting at `from`, as a 24-bit number; −1 if it is not one. */
function parseIpv4Prefix(text: string, from: number): number {
  let prefix = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = from; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      octet = octet * 10 + (code - 48);
      if (++digits > 3 || octet > 255) return -1;
    } else if (code === 46) {
      if (digits === 0 || ++dots > 3) return -1;
      prefix = (prefix << 8) | octet;
      octet = 0;
      digits = 0;
    } else {
      return -1;
    }
  }
  return dots === 3 && digits > 0 ? prefix : -1;
}

function ipv6PrefixKey(ip: string): number | undefined {
  const groups = ipv6Groups(ip);
  if (groups === undefined) return undefined;
  if (groups.mappedIpv4 >= 0) return mixHash(groups.mappedIpv4);
  return mixHash(((groups.first << 16) | groups.second) ^ mixHash(groups.third ^ IPV6_SALT));
}

interface Ipv6Prefix {
  first: number;
  second: number;
  third: number;
  /** The 24-bit IPv4 prefix of an IPv4-mapped address (::ffff:a.b.c.d), else −1. */
  mappedIpv4: number;
}

/**
 * The first three 16-bit groups of an IPv6 address. Only what the /48 needs is validated: hex
 * groups of at most four digits separated by ':', at most one '::' (groups after it are zeros
 * as far as the first three are concerned when it comes early), a zone (%eth0) ignored.
 */
function ipv6Groups(ip: string): Ipv6Prefix | undefined {
  const groups = [0, 0, 0];
  let count = 0;
  let value = 0;
  let digits = 0;
  let sawColon = false;
  let i = 0;
  for (; i < ip.length; i++) {
    const code = ip.charCodeAt(i);
    if (code === 58) {
      sawColon = true;
      if (i + 1 < ip.length && ip.charCodeAt(i + 1) === 58) {
        // '::' — the groups before it are all the explicit leading groups; the rest are zeros.
        if (digits > 0 && count < 3) groups[count] = value;
        if (digits > 0) count++;
        const rest = ip.slice(i + 2);
        const mapped = count === 0 && rest.toLowerCase().startsWith('ffff:') ? parseIpv4Prefix(rest, 5) : -1;
        return { first: groups[0] ?? 0, second: groups[1] ?? 0, third: groups[2] ?? 0, mappedIpv4: mapped };
      }
      if (digits === 0) return undefined;
      if (count < 3) groups[count] = value;
      count++;
      value = 0;
      digits = 0;
      if (count >= 3) break;
    } else if (code === 37) {
      break; // zone id
    } else {
      const hex = hexValue(code);
      if (hex < 0 || ++digits > 4) return undefined;
      value = value * 16 + hex;
    }
  }
  if (!sawColon || count < 3) return undefined;
  return { first: groups[0] ?? 0, second: groups[1] ?? 0, third: groups[2] ?? 0, mappedIpv4: -1 };
}

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return -1;
}

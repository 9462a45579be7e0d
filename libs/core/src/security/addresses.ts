/**
 * Which addresses a server-side fetch (base model, webhook) must never reach unless an admin
 * allowlists the host: pure checks on the URL and the addresses its host resolves to.
 */

const V4_BLOCKED: [string, number, string][] = [
  ['0.0.0.0', 8, 'unspecified'],
  ['127.0.0.0', 8, 'loopback'],
  ['10.0.0.0', 8, 'private'],
  ['172.16.0.0', 12, 'private'],
  ['192.168.0.0', 16, 'private'],
  ['100.64.0.0', 10, 'shared (carrier-grade NAT)'],
  ['169.254.0.0', 16, 'link-local (cloud metadata)'],
  ['192.0.0.0', 24, 'IETF protocol'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

function v4ToInt(ip: string): number | null {
  const parts = ip.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null;
    n = n * 256 + Number(p);
  }
  return n;
}

function v4Range(ip: string): string | null {
  const n = v4ToInt(ip);
  if (n === null) return null;
  for (const [base, bits, name] of V4_BLOCKED) {
    const size = 2 ** (32 - bits);
    const start = v4ToInt(base)!;
    if (n >= start && n < start + size) return name;
  }
  return null;
}

/** Expands an IPv6 address to its 8 groups, or null. */
function v6Groups(ip: string): number[] | null {
  const bare = ip.replace(/^\[|\]$/g, '').split('%')[0]!;
  const tailV4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
  let text = bare;
  if (tailV4) {
    const n = v4ToInt(tailV4[1]!);
    if (n === null) return null;
    text =
      bare.slice(0, -tailV4[1]!.length) + `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail, extra] = text.split('::');
  if (extra !== undefined) return null;
  const parse = (s: string | undefined) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const h = parse(head);
  const t = parse(tail);
  const fill = tail === undefined ? 0 : 8 - h.length - t.length;
  const groups = [...h, ...Array<number>(Math.max(fill, 0)).fill(0), ...t];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff)
    ? groups
    : null;
}

function v6Range(ip: string): string | null {
  const g = v6Groups(ip);
  if (!g) return null;
  if (g.every((x) => x === 0)) return 'unspecified';
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return 'loopback';
  // IPv4-mapped (::ffff:a.b.c.d): judged as the IPv4 address it carries.
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) {
    return v4Range(`${g[6]! >> 8}.${g[6]! & 255}.${g[7]! >> 8}.${g[7]! & 255}`);
  }
  if ((g[0]! & 0xffc0) === 0xfe80) return 'link-local';
  if ((g[0]! & 0xfe00) === 0xfc00) return 'private (unique local)';
  if ((g[0]! & 0xff00) === 0xff00) return 'multicast';
  return null;
}

export const isIpLiteral = (host: string): boolean =>
  v4ToInt(host) !== null || v6Groups(host) !== null;

/** The blocked range an address lies in ("loopback", "private"…), or null if it may be fetched. */
export function blockedAddressRange(ip: string): string | null {
  return v4ToInt(ip) !== null ? v4Range(ip) : v6Range(ip);
}

export interface UrlRules {
  /** Hosts (lower-case names or IPs) that may be fetched over http and at blocked addresses. */
  allowedHosts: readonly string[];
}

export const URL_ALLOWLIST_SETTING = 'RETUNE_ALLOWED_HOSTS';

/** The parts of a WHATWG URL these rules read (core has no URL class: callers parse). */
export interface UrlParts {
  protocol: string;
  hostname: string;
  username: string;
  password: string;
}

/** The host of a URL as the allowlist spells it (no brackets, lower-case). */
export const urlHost = (url: UrlParts): string =>
  url.hostname.replace(/^\[|\]$/g, '').toLowerCase();

/**
 * Why `url` may not be fetched before any lookup (scheme, credentials, a blocked IP literal),
 * or null. `field` names the spec field the URL came from.
 */
export function urlRefusal(field: string, url: UrlParts, rules: UrlRules): string | null {
  const host = urlHost(url);
  const allowed = rules.allowedHosts.includes(host);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && allowed)) {
    return `${field}: ${url.protocol}// URLs are refused (rule: https only, or http to an allowlisted host): use https, or an admin adds "${host}" to ${URL_ALLOWLIST_SETTING}`;
  }
  if (url.username || url.password) {
    return `${field}: URLs with credentials are refused: drop the user:password@ part`;
  }
  return allowed || !isIpLiteral(host) ? null : addressRefusal(field, host, [host]);
}

/** Why the addresses a host resolved to may not be fetched, or null. */
export function addressRefusal(field: string, host: string, addresses: string[]): string | null {
  for (const address of addresses) {
    const range = blockedAddressRange(address);
    if (range) {
      return `${field}: ${host} is a ${range} address (${address}); such addresses are refused (rule: no loopback, link-local, private or metadata addresses): an admin can allowlist the host in ${URL_ALLOWLIST_SETTING}`;
    }
  }
  return null;
}

/**
 * urlRefusal, then (unless the host is allowlisted or an IP literal) the addresses the host
 * resolves to: the whole rule for one hop of a fetch. The lookup is the caller's (core has no
 * DNS); its errors propagate (a lookup failure may be transient).
 */
export async function urlRefusalAfterLookup(
  field: string,
  url: UrlParts,
  rules: UrlRules,
  resolveHost: (host: string) => Promise<string[]>,
): Promise<string | null> {
  const early = urlRefusal(field, url, rules);
  const host = urlHost(url);
  if (early || rules.allowedHosts.includes(host) || isIpLiteral(host)) return early;
  return addressRefusal(field, host, await resolveHost(host));
}

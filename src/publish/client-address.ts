import { BlockList, isIP } from 'node:net';

/**
 * The reverse proxies `rotation serve --publish` sits behind (the publish config's `trustProxy`): the header they
 * write the client's address into, and their own addresses or networks (`10.0.0.0/8`, `::1`). Without it the
 * client is the connection's address and every forwarding header is ignored.
 */
export type TrustProxy = { header: 'x-forwarded-for' | 'forwarded'; proxies: readonly string[] };

/** An address without the IPv4-in-IPv6 prefix a dual-stack socket reports (`::ffff:10.0.0.1` is `10.0.0.1`). */
function plain(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m?.[1] ?? address;
}

/** Is `entry` an address (`192.0.2.1`, `::1`) or a network (`10.0.0.0/8`, `fd00::/8`)? */
export function isAddressOrNetwork(entry: string): boolean {
  const [address = '', prefix, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d{1,3}$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
}

/** The trusted proxies as a matcher (entries checked by the config schema with `isAddressOrNetwork`). */
export function proxyMatcher(proxies: readonly string[]): (address: string) => boolean {
  const list = new BlockList();
  for (const entry of proxies) {
    const [address = '', prefix] = entry.split('/');
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(plain(address), type);
    else list.addSubnet(plain(address), Number(prefix), type);
  }
  return (address) => {
    const a = plain(address);
    const family = isIP(a);
    return family !== 0 && list.check(a, family === 6 ? 'ipv6' : 'ipv4');
  };
}

/** The addresses of `X-Forwarded-For: client, proxy1, proxy2`, left to right, as written. */
function xForwardedFor(value: string): string[] {
  return value.split(',').map((s) => s.trim());
}

/**
 * The `for=` addresses of `Forwarded: for=192.0.2.60;proto=https, for="[2001:db8::1]:4711"` (RFC 7239), left to
 * right; an element without `for=` gives ''.
 */
function forwarded(value: string): string[] {
  return value.split(',').map((element) => {
    const pair = element
      .split(';')
      .map((p) => p.trim())
      .find((p) => p.toLowerCase().startsWith('for='));
    if (!pair) return '';
    let v = pair.slice(4).trim();
    if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) v = v.slice(1, -1);
    const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(v);
    if (bracketed) return bracketed[1] ?? '';
    // An IPv4 address with a port; a bare IPv6 address (quoted without brackets) is taken as it is.
    const withPort = /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(v);
    return withPort?.[1] ?? v;
  });
}

/**
 * Who is asking, for the per-client throttle: the connection's address, unless it is a trusted proxy; then the
 * configured header is read from the right (each proxy appends the address it received the request from) past
 * every trusted proxy, and the first address that is not one is the client. Entries further left were written by
 * the client itself and are never used. A missing header, or an entry there that is not an address, leaves the
 * connection's address (the proxy's: its clients then share one budget, as without the setting).
 */
export function clientAddress(
  remote: string | undefined,
  header: (name: string) => string | undefined,
  trust: TrustProxy | undefined,
  isProxy: (address: string) => boolean,
): string {
  const connection = remote ? plain(remote) : 'unknown';
  if (!trust || !remote || !isProxy(remote)) return connection;
  const value = header(trust.header);
  if (!value) return connection;
  const chain = trust.header === 'forwarded' ? forwarded(value) : xForwardedFor(value);
  for (let i = chain.length - 1; i >= 0; i--) {
    const a = plain(chain[i] ?? '');
    if (isIP(a) === 0) return connection;
    if (!isProxy(a)) return a;
  }
  // Every hop is a trusted proxy: the leftmost is the closest to the client there is.
  return plain(chain[0] ?? connection);
}

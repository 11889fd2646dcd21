import { classifyAddress } from './address-class';
import {
  checkWebhookUrl,
  normalizeWebhookHost,
  ResolvedAddress,
  WebhookUrlPolicy,
} from './webhook-url-policy';

// names resolved by a stand-in resolver (no network in unit tests)
const DNS: Record<string, ResolvedAddress[]> = {
  'hooks.example.com': [{ address: '93.184.216.34', family: 4 }],
  'internal.example.com': [{ address: '10.1.2.3', family: 4 }],
  'mixed.example.com': [
    { address: '93.184.216.34', family: 4 },
    { address: '192.168.1.10', family: 4 },
  ],
  localhost: [
    { address: '127.0.0.1', family: 4 },
    { address: '::1', family: 6 },
  ],
};

function policy(allowListed: string[] = [], allowPlainHttp = false): WebhookUrlPolicy {
  return {
    allowPlainHttp,
    isAllowListed: (host) => allowListed.includes(host),
    resolve: async (host) => {
      const found = DNS[host];
      if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
      return found;
    },
  };
}

describe('webhook URL policy', () => {
  it.each([
    ['93.184.216.34', 'public'],
    ['2606:2800:220:1:248:1893:25c8:1946', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['169.254.169.254', 'link_local'],
    ['fe80::1', 'link_local'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['64:ff9b::a00:1', 'private'],
    ['64:ff9b::5db8:d822', 'public'],
  ])('classifies %s as %s', (address, klass) => {
    expect(classifyAddress(address)).toBe(klass);
  });

  it('accepts an https URL on a host that resolves only to public addresses, naming the address to pin', async () => {
    const verdict = await checkWebhookUrl('https://hooks.example.com/credit', policy());
    expect(verdict).toMatchObject({
      ok: true,
      host: 'hooks.example.com',
      address: { address: '93.184.216.34' },
    });
  });

  it.each([
    ['http://hooks.example.com/x', 'WEBHOOK_URL.HTTPS_REQUIRED'],
    ['ftp://hooks.example.com/x', 'WEBHOOK_URL.INVALID'],
    ['not a url', 'WEBHOOK_URL.INVALID'],
    ['https://user:pw@hooks.example.com/x', 'WEBHOOK_URL.INVALID'],
    ['https://127.0.0.1/x', 'WEBHOOK_URL.LOOPBACK'],
    ['https://[::1]:8443/x', 'WEBHOOK_URL.LOOPBACK'],
    ['https://0x7f.1/x', 'WEBHOOK_URL.LOOPBACK'], // the URL parser normalises odd IPv4 forms
    ['https://2130706433/x', 'WEBHOOK_URL.LOOPBACK'],
    ['https://[::ffff:127.0.0.1]/x', 'WEBHOOK_URL.LOOPBACK'],
    ['https://10.0.0.1/x', 'WEBHOOK_URL.PRIVATE'],
    ['https://169.254.169.254/latest/meta-data', 'WEBHOOK_URL.LINK_LOCAL'],
    ['https://0.0.0.0/x', 'WEBHOOK_URL.UNSPECIFIED'],
    ['https://224.0.0.1/x', 'WEBHOOK_URL.MULTICAST'],
    ['https://localhost/x', 'WEBHOOK_URL.LOOPBACK'],
    ['https://LOCALHOST./x', 'WEBHOOK_URL.LOOPBACK'],
    ['https://internal.example.com/x', 'WEBHOOK_URL.PRIVATE'],
    ['https://mixed.example.com/x', 'WEBHOOK_URL.PRIVATE'], // one private address is enough
    ['https://no-such-host.invalid/x', 'WEBHOOK_URL.UNRESOLVABLE'],
  ])('refuses %s (%s)', async (url, code) => {
    const verdict = await checkWebhookUrl(url, policy());
    expect(verdict).toMatchObject({ ok: false, code });
    // never tells the resolved address
    if (!verdict.ok) expect(verdict.message).not.toMatch(/10\.1\.2\.3|192\.168|127\.0\.0\.1/);
  });

  it('admits plain http only where allowed', async () => {
    expect((await checkWebhookUrl('http://hooks.example.com/x', policy([], true))).ok).toBe(true);
  });

  it('admits an allow-listed host whatever its addresses, pinned to what it resolved to', async () => {
    expect(await checkWebhookUrl('https://127.0.0.1:9000/x', policy(['127.0.0.1']))).toMatchObject({
      ok: true,
      address: { address: '127.0.0.1', family: 4 },
    });
    expect(await checkWebhookUrl('https://[::1]/x', policy(['::1']))).toMatchObject({ ok: true });
    expect(
      await checkWebhookUrl('https://internal.example.com/x', policy(['internal.example.com'])),
    ).toMatchObject({
      ok: true,
      address: { address: '10.1.2.3' },
    });
    // the allow-list is per host: another loopback address is still refused
    expect(await checkWebhookUrl('https://127.0.0.2/x', policy(['127.0.0.1']))).toMatchObject({ ok: false });
    // an allow-listed name that does not resolve here is admitted, with nothing to connect to (yet)
    const unresolved = await checkWebhookUrl('https://gone.invalid/x', policy(['gone.invalid']));
    expect(unresolved).toMatchObject({ ok: true, host: 'gone.invalid' });
    expect(unresolved.ok && unresolved.address).toBeUndefined();
  });

  it('normalises what an admin allow-lists', () => {
    expect(normalizeWebhookHost('Hooks.Example.COM.')).toBe('hooks.example.com');
    expect(normalizeWebhookHost('::1')).toBe('::1');
    expect(normalizeWebhookHost('[::1]')).toBe('::1');
    expect(normalizeWebhookHost('127.0.0.1')).toBe('127.0.0.1');
    expect(normalizeWebhookHost('https://x.example.com/')).toBeUndefined();
    expect(normalizeWebhookHost('x.example.com:8443')).toBeUndefined();
    expect(normalizeWebhookHost('')).toBeUndefined();
  });
});

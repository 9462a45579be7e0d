import { describe, expect, it } from 'vitest';
import { addressRefusal, blockedAddressRange, urlRefusal as refusalOf } from './addresses';

// Node's URL parses here as it does in the API; core itself has no URL class.
const urlRefusal = (field: string, raw: string, rules: { allowedHosts: string[] }) =>
  refusalOf(field, new URL(raw), rules);

const rules = { allowedHosts: ['models.internal'] };

describe('blocked addresses', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['10.1.2.3', 'private'],
    ['172.20.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['0.0.0.0', 'unspecified'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fd12::1', 'private (unique local)'],
  ])('%s is %s', (ip, range) => {
    expect(blockedAddressRange(ip)).toBe(range);
  });

  it('lets public addresses through', () => {
    expect(blockedAddressRange('8.8.8.8')).toBeNull();
    expect(blockedAddressRange('172.32.0.1')).toBeNull();
    expect(blockedAddressRange('2606:4700::1111')).toBeNull();
  });
});

describe('urlRefusal', () => {
  it('refuses http, naming the rule and the setting', () => {
    expect(urlRefusal('baseModel', 'http://example.com/m.json', rules)).toMatch(
      /https only.*RETUNE_ALLOWED_HOSTS/,
    );
    expect(urlRefusal('baseModel', 'http://models.internal/m.json', rules)).toBeNull();
  });

  it('refuses IP literals in blocked ranges unless allowlisted', () => {
    expect(urlRefusal('webhookUrl', 'https://169.254.169.254/latest', rules)).toMatch(
      /metadata.*RETUNE_ALLOWED_HOSTS/,
    );
    expect(urlRefusal('webhookUrl', 'https://[::1]:8443/x', rules)).toMatch(/loopback/);
    expect(
      urlRefusal('webhookUrl', 'https://10.0.0.5/x', { allowedHosts: ['10.0.0.5'] }),
    ).toBeNull();
    expect(urlRefusal('webhookUrl', 'https://example.com/hook', rules)).toBeNull();
  });

  it('judges every address a name resolves to', () => {
    expect(addressRefusal('webhookUrl', 'evil.test', ['8.8.8.8', '127.0.0.1'])).toMatch(
      /evil\.test is a loopback address/,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { checkCallbackUrl, classifyAddress, MAX_CALLBACK_URL_LENGTH } from './callback-policy.js';

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['fd00::1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['0.0.0.0', 'unroutable'],
    ['::', 'unroutable'],
    ['224.0.0.1', 'unroutable'],
    ['255.255.255.255', 'unroutable'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['[::ffff:a00:1]', 'private'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['93.184.216.34', 'public'],
    ['2606:4700::1111', 'public'],
  ])('%s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });
  it('is undefined for names and malformed literals', () => {
    for (const text of ['example.com', '1.2.3', '1:2:3', '1::2::3', '256.1.1.1', ':::'])
      expect(classifyAddress(text)).toBeUndefined();
  });
});

describe('checkCallbackUrl', () => {
  const none = {};
  it('allows HTTPS to public hosts by default', () => {
    expect(checkCallbackUrl('https://hooks.example.com/reelkit?x=1', none)).toBeUndefined();
    expect(checkCallbackUrl('https://93.184.216.34:8443/hook', none)).toBeUndefined();
  });
  it.each([
    ['https://169.254.169.254/latest', /link-local/],
    ['https://10.0.0.1/', /private/],
    ['https://192.168.1.1/', /private/],
    ['https://[::1]/', /loopback/],
    ['https://localhost/', /loopback/],
    ['https://0x7f000001/', /canonical/],
    ['https://2130706433/', /canonical/],
    ['https://127.1/', /canonical/],
    ['https://0177.0.0.1/', /canonical/],
    ['https://user:pass@127.0.0.1/', /credentials/],
    ['https://user@hooks.example.com/', /credentials/],
    ['http://hooks.example.com/', /HTTPS/],
    ['ftp://hooks.example.com/', /HTTPS/],
    ['https://0.0.0.0/', /no receiver/],
    [`https://hooks.example.com/${'a'.repeat(MAX_CALLBACK_URL_LENGTH)}`, /longer/],
  ])('refuses %s by default', (url, reason) => {
    expect(checkCallbackUrl(url, none)).toMatch(reason);
  });
  it('allows loopback (http or https) with allowHttpLoopback, and nothing private', () => {
    const policy = { allowHttpLoopback: true };
    expect(checkCallbackUrl('http://127.0.0.1:8787/hook', policy)).toBeUndefined();
    expect(checkCallbackUrl('http://localhost:8787/', policy)).toBeUndefined();
    expect(checkCallbackUrl('https://[::1]:8443/', policy)).toBeUndefined();
    expect(checkCallbackUrl('http://10.0.0.1/', policy)).toMatch(/private/);
    expect(checkCallbackUrl('http://hooks.example.com/', policy)).toMatch(/HTTPS/);
    expect(checkCallbackUrl('http://2130706433/', policy)).toMatch(/canonical/);
  });
  it('allows private networks over HTTPS with allowPrivateNetworks, over HTTP with both', () => {
    expect(checkCallbackUrl('https://10.0.0.1/', { allowPrivateNetworks: true })).toBeUndefined();
    expect(checkCallbackUrl('http://10.0.0.1/', { allowPrivateNetworks: true })).toMatch(
      /allow-http-callbacks/,
    );
    const both = { allowPrivateNetworks: true, allowHttpLoopback: true };
    expect(checkCallbackUrl('http://192.168.1.20:9000/', both)).toBeUndefined();
    expect(checkCallbackUrl('http://receiver.internal/', both)).toBeUndefined();
    expect(checkCallbackUrl('https://224.0.0.1/', both)).toMatch(/no receiver/);
  });
});

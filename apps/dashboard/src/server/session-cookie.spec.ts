import { describe, expect, it } from 'vitest';
import { isHttps, readCookie } from './session-cookie';

describe('session cookie helpers', () => {
  it('reads one cookie from a Cookie header', () => {
    const header = 'a=1; retune_session=abc%2Bdef;b=2';
    expect(readCookie(header, 'retune_session')).toBe('abc+def');
    expect(readCookie(header, 'b')).toBe('2');
    expect(readCookie(header, 'retune')).toBeNull();
    expect(readCookie(null, 'a')).toBeNull();
    expect(readCookie('retune_session=%E0%A4%A', 'retune_session')).toBeNull();
  });

  it('knows https from the URL or X-Forwarded-Proto', () => {
    expect(isHttps(new Request('https://a.example/'))).toBe(true);
    expect(isHttps(new Request('http://a.example/'))).toBe(false);
    expect(
      isHttps(
        new Request('http://a.example/', { headers: { 'x-forwarded-proto': 'https, http' } }),
      ),
    ).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { checkReleaseApiBase, DEFAULT_WEAPP_API_BASE } from './api-base';

const prodWeapp = { NODE_ENV: 'production', TARO_ENV: 'weapp' };

describe('checkReleaseApiBase: a production weapp build ships only an https:// API base', () => {
  it('accepts an https:// origin, with or without a path', () => {
    expect(
      checkReleaseApiBase({ ...prodWeapp, TARO_APP_API_BASE: 'https://api.linli.example.cn' }),
    ).toBeNull();
    expect(
      checkReleaseApiBase({ ...prodWeapp, TARO_APP_API_BASE: 'https://linli.example.cn/bff' }),
    ).toBeNull();
  });

  it('refuses plain http to a real host, naming the variable and the console setting', () => {
    const check = checkReleaseApiBase({ ...prodWeapp, TARO_APP_API_BASE: 'http://api.linli.example.cn' });
    expect(check).toEqual({
      error: expect.stringContaining('TARO_APP_API_BASE=http://api.linli.example.cn'),
    });
    expect((check as { error: string }).error).toContain('合法域名');
    // A LAN address works on a phone in debug mode only: still refused for a release.
    expect(
      checkReleaseApiBase({ ...prodWeapp, TARO_APP_API_BASE: 'http://192.168.1.20:3000' }),
    ).toHaveProperty('error');
  });

  it('refuses what is not a URL, and other schemes', () => {
    expect(checkReleaseApiBase({ ...prodWeapp, TARO_APP_API_BASE: 'api.linli.example.cn' })).toHaveProperty(
      'error',
    );
    expect(
      checkReleaseApiBase({ ...prodWeapp, TARO_APP_API_BASE: 'ws://api.linli.example.cn' }),
    ).toHaveProperty('error');
  });

  it('lets the loopback default through with a warning (DevTools on this computer only)', () => {
    expect(DEFAULT_WEAPP_API_BASE).toBe('http://127.0.0.1:3000');
    expect(checkReleaseApiBase(prodWeapp)).toEqual({
      warning: expect.stringContaining(DEFAULT_WEAPP_API_BASE),
    });
    expect(checkReleaseApiBase({ ...prodWeapp, TARO_APP_API_BASE: 'http://localhost:3000' })).toHaveProperty(
      'warning',
    );
  });

  it('treats any build but a development one as production, and weapp as the default target', () => {
    const http = { TARO_APP_API_BASE: 'http://api.linli.example.cn' };
    expect(checkReleaseApiBase(http)).toHaveProperty('error');
    expect(checkReleaseApiBase({ ...http, TARO_ENV: 'weapp' })).toHaveProperty('error');
  });

  it('leaves development builds and the H5 build alone', () => {
    const http = 'http://api.linli.example.cn';
    expect(
      checkReleaseApiBase({ NODE_ENV: 'development', TARO_ENV: 'weapp', TARO_APP_API_BASE: http }),
    ).toBeNull();
    expect(
      checkReleaseApiBase({ NODE_ENV: 'production', TARO_ENV: 'h5', TARO_APP_API_BASE: http }),
    ).toBeNull();
    expect(checkReleaseApiBase({ NODE_ENV: 'production', TARO_ENV: 'h5' })).toBeNull();
  });
});

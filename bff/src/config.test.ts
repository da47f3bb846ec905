import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, persistedJwtSecret } from './config';

const SECRET = 'x'.repeat(32);
const PROD_OK = {
  NODE_ENV: 'production',
  JWT_SECRET: SECRET,
  DATABASE_URL: 'postgres://linli:pw@db.internal:5432/linli',
  WECHAT_API_BASE: 'https://api.weixin.qq.com',
  WECHATPAY_MCHID: '1900000001',
  WECHATPAY_PRIVATE_KEY_PATH: '/etc/linli/apiclient_key.pem',
  WECHATPAY_CERT_SERIAL: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1',
  WECHATPAY_APIV3_KEY: 'a'.repeat(32),
  WECHATPAY_PUBLIC_KEY_PATH: '/etc/linli/pub_key.pem',
  WECHATPAY_PUBLIC_KEY_ID: 'PUB_KEY_ID_0119000000012025010100000000000000',
  WECHATPAY_NOTIFY_BASE: 'https://api.linli.example.cn',
};

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error(`expected loadConfig to refuse ${JSON.stringify(env)}`);
}

describe('loadConfig defaults', () => {
  it('fills in the documented defaults from an empty environment', () => {
    const c = loadConfig({});
    expect(c.NODE_ENV).toBe('development');
    expect(c.PORT).toBe(3000);
    expect(c.TZ_DISPLAY).toBe('Asia/Shanghai');
    expect(c.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(c.BODY_LIMIT_BYTES).toBe(256 * 1024);
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.AUTH_DEV_LOGIN).toBe(true);
  });

  it.each(['development', 'test'])('dev login is on by default in %s', (NODE_ENV) => {
    expect(loadConfig({ NODE_ENV }).AUTH_DEV_LOGIN).toBe(true);
  });

  it('dev login is off by default in production', () => {
    expect(loadConfig(PROD_OK).AUTH_DEV_LOGIN).toBe(false);
  });

  it('coerces numbers and booleans from strings and treats empty strings as unset', () => {
    const c = loadConfig({ PORT: '8080', AUTH_DEV_LOGIN: 'off', TZ_DISPLAY: '' });
    expect(c.PORT).toBe(8080);
    expect(c.AUTH_DEV_LOGIN).toBe(false);
    expect(c.TZ_DISPLAY).toBe('Asia/Shanghai');
  });

  it('never reads variables outside its schema', () => {
    expect(loadConfig({ SOMETHING_ELSE: 'x' })).not.toHaveProperty('SOMETHING_ELSE');
  });
});

describe('loadConfig refuses bad values and names the variable', () => {
  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['PORT', '3000.5'],
    ['DATABASE_URL', 'not a url'],
    ['REDIS_URL', 'redis at 127.0.0.1'],
    ['REDIS_URL', 'localhost:6379'],
    ['DATABASE_URL', 'mysql://root@127.0.0.1/linli'],
    ['JWT_SECRET', 'short-secret'],
    ['NODE_ENV', 'staging'],
    ['AUTH_DEV_LOGIN', 'maybe'],
    ['BODY_LIMIT_BYTES', '10'],
  ])('%s=%s', (name, value) => {
    const problems = problemsOf({ [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${name} `));
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`- ${name} `));
  });

  it('a short JWT_SECRET says how long it must be', () => {
    expect(problemsOf({ JWT_SECRET: 'x'.repeat(31) })).toEqual(['JWT_SECRET must be at least 32 characters']);
    expect(loadConfig({ JWT_SECRET: SECRET }).JWT_SECRET).toBe(SECRET);
  });

  it('lists every bad variable at once', () => {
    const problems = problemsOf({ PORT: 'abc', REDIS_URL: 'nope' });
    expect(problems.map((p) => p.split(' ')[0]).sort()).toEqual(['PORT', 'REDIS_URL']);
  });

  it('ConfigError has its name and a readable message', () => {
    try {
      loadConfig({ PORT: 'abc' });
      expect.unreachable();
    } catch (err) {
      expect((err as Error).name).toBe('ConfigError');
      expect((err as Error).message).toMatch(/^Invalid configuration:\n {2}- PORT /);
    }
  });
});

describe('production', () => {
  it('accepts a complete production environment', () => {
    const c = loadConfig(PROD_OK);
    expect(c.NODE_ENV).toBe('production');
    expect(c.JWT_SECRET).toBe(SECRET);
  });

  it('refuses dev login', () => {
    const problems = problemsOf({ ...PROD_OK, AUTH_DEV_LOGIN: 'on' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^AUTH_DEV_LOGIN must be off in production/);
  });

  it.each(['JWT_SECRET', 'DATABASE_URL', 'WECHAT_API_BASE'])('refuses to start without %s', (name) => {
    const problems = problemsOf({ ...PROD_OK, [name]: undefined });
    expect(problems).toEqual([`${name} is required in production`]);
    // An empty string is as missing as an absent one.
    expect(problemsOf({ ...PROD_OK, [name]: '' })).toEqual([`${name} is required in production`]);
  });

  it('refuses devpay: WeChat Pay must be configured, completely, with an https notify origin', () => {
    expect(problemsOf({ ...PROD_OK, WECHATPAY_MCHID: undefined })).toEqual([
      'WECHATPAY_MCHID is required in production',
    ]);
    expect(problemsOf({ ...PROD_OK, WECHATPAY_APIV3_KEY: undefined })).toEqual([
      'WECHATPAY_APIV3_KEY is required with WECHATPAY_MCHID',
    ]);
    expect(problemsOf({ ...PROD_OK, WECHATPAY_PRIVATE_KEY_PATH: undefined })).toEqual([
      'WECHATPAY_PRIVATE_KEY is required with WECHATPAY_MCHID (or its _PATH)',
    ]);
    expect(problemsOf({ ...PROD_OK, WECHATPAY_NOTIFY_BASE: 'http://api.linli.example.cn' })).toEqual([
      'WECHATPAY_NOTIFY_BASE must be an https:// origin in production (WeChat Pay posts only to https)',
    ]);
    // Platform-certificate mode needs no public key.
    expect(
      loadConfig({
        ...PROD_OK,
        WECHATPAY_VERIFY_MODE: 'platform_certificate',
        WECHATPAY_PUBLIC_KEY_PATH: undefined,
        WECHATPAY_PUBLIC_KEY_ID: undefined,
      }).WECHATPAY_VERIFY_MODE,
    ).toBe('platform_certificate');
  });

  it('names every missing variable at once', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    expect(problems.sort()).toEqual(
      ['DATABASE_URL', 'JWT_SECRET', 'WECHATPAY_MCHID', 'WECHAT_API_BASE'].map(
        (n) => `${n} is required in production`,
      ),
    );
  });

  it('never falls back to a secret written in the source', () => {
    const dev = loadConfig({}).JWT_SECRET;
    expect(dev).not.toMatch(/not-for-production/);
    expect(dev.length).toBeGreaterThanOrEqual(32);
    // One process, one key: every app built in it verifies the others' tokens.
    expect(loadConfig({}).JWT_SECRET).toBe(dev);
    expect(() => loadConfig({ ...PROD_OK, JWT_SECRET: undefined })).toThrow(ConfigError);
  });

  it('an embedded install keeps a random key of its own beside its data, for its owner only', () => {
    const root = mkdtempSync(join(tmpdir(), 'linli-secret-'));
    try {
      const first = persistedJwtSecret(join(root, 'a', 'pglite'));
      expect(first.length).toBeGreaterThanOrEqual(32);
      expect(persistedJwtSecret(join(root, 'a', 'pglite'))).toBe(first);
      expect(statSync(join(root, 'a', 'jwt-secret')).mode & 0o777).toBe(0o600);
      expect(persistedJwtSecret(join(root, 'b', 'pglite'))).not.toBe(first);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp, type TestApp } from '../helper';

let t: TestApp;
beforeAll(async () => {
  t = await setupTestApp();
});
afterAll(() => t?.close());

describe('WeChat login against the fake WeChat server', () => {
  it('creates a user by openid, returns our tokens and never the session_key', async () => {
    t.wechat.registerCode('code-a', { openid: 'o_resident_a', sessionKey: 'c2Vzc2lvbi1rZXktc2VjcmV0' });
    const res = await t.call({ method: 'POST', url: '/v1/auth/wechat', payload: { code: 'code-a' } });
    expect(res.status).toBe(200);
    expect(res.body.accessToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(JSON.stringify(res.body)).not.toContain('c2Vzc2lvbi1rZXktc2VjcmV0');

    t.wechat.registerCode('code-b', { openid: 'o_resident_a' });
    const again = await t.call({ method: 'POST', url: '/v1/auth/wechat', payload: { code: 'code-b' } });
    expect(again.body.userId).toBe(res.body.userId);

    const me = await t.call({
      method: 'GET',
      url: '/v1/me',
      headers: { authorization: `Bearer ${res.body.accessToken}` },
    });
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(res.body.userId);
  });

  it('a used code is refused with a clear 400', async () => {
    t.wechat.registerCode('code-once', { openid: 'o_once' });
    expect(
      (await t.call({ method: 'POST', url: '/v1/auth/wechat', payload: { code: 'code-once' } })).status,
    ).toBe(200);
    const res = await t.call({ method: 'POST', url: '/v1/auth/wechat', payload: { code: 'code-once' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('WECHAT_CODE_INVALID');
  });

  it.each([
    [40029, 400, 'WECHAT_CODE_INVALID'],
    [45011, 429, 'WECHAT_RATE_LIMITED'],
    [40226, 403, 'WECHAT_USER_BLOCKED'],
    [-1, 502, 'WECHAT_UNAVAILABLE'],
  ])('WeChat errcode %i maps to %i %s', async (errcode, status, code) => {
    t.wechat.failNext('jscode2session', errcode);
    const res = await t.call({
      method: 'POST',
      url: '/v1/auth/wechat',
      payload: { code: `dev:err${errcode}` },
    });
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
  });
});

describe('tokens', () => {
  it('refresh rotates: the new pair works, the old refresh token does not, and its reuse ends the family', async () => {
    const login = await t.call({
      method: 'POST',
      url: '/v1/auth/dev-login',
      payload: { phone: '13900000001' },
    });
    const first = login.body.refreshToken;
    const r1 = await t.call({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken: first } });
    expect(r1.status).toBe(200);
    expect(r1.body.refreshToken).not.toBe(first);

    const reuse = await t.call({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken: first } });
    expect(reuse.status).toBe(401);
    expect(reuse.body.error.code).toBe('REFRESH_INVALID');
    // The stolen-token alarm revoked the newest one too.
    const r2 = await t.call({
      method: 'POST',
      url: '/v1/auth/refresh',
      payload: { refreshToken: r1.body.refreshToken },
    });
    expect(r2.status).toBe(401);
  });

  it('a forged or missing access token is 401 in the envelope', async () => {
    const none = await t.call({ method: 'GET', url: '/v1/me' });
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('UNAUTHORIZED');
    const forged = await t.call({ method: 'GET', url: '/v1/me', headers: { authorization: 'Bearer a.b.c' } });
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe('TOKEN_INVALID');
  });

  it('logout ends the refresh token', async () => {
    const { authorization } = await t.login('13900000002');
    const login = await t.call({
      method: 'POST',
      url: '/v1/auth/dev-login',
      payload: { phone: '13900000002' },
    });
    const out = await t.call({
      method: 'POST',
      url: '/v1/auth/logout',
      headers: { authorization: `Bearer ${login.body.accessToken}` },
      payload: { refreshToken: login.body.refreshToken },
    });
    expect(out.status).toBe(200);
    const r = await t.call({
      method: 'POST',
      url: '/v1/auth/refresh',
      payload: { refreshToken: login.body.refreshToken },
    });
    expect(r.status).toBe(401);
    expect(authorization).toMatch(/^Bearer /);
  });
});

describe('GET /v1/me', () => {
  it('shows roles, verified memberships and linked elders of the seeded proxy', async () => {
    const { authorization } = await t.login('13800000021');
    const me = await t.call({ method: 'GET', url: '/v1/me', headers: { authorization } });
    expect(me.status).toBe(200);
    expect(me.body.user.name).toBe('刘晓明');
    expect(me.body.user.phoneMasked).toBe('138****0021');
    expect(me.body.roles).toContain('resident');
    expect(me.body.memberships[0].status).toBe('approved');
    expect(me.body.memberships[0].address).toContain('黌门街社区');
    expect(me.body.elders).toEqual([expect.objectContaining({ name: '刘奶奶', consentStatus: 'granted' })]);
    expect(me.body.staffCommunities).toEqual([]);
  });

  it("names the communities a staff member runs (the office pages' scope)", async () => {
    const { authorization } = await t.login('13800000001');
    const me = await t.call({ method: 'GET', url: '/v1/me', headers: { authorization } });
    expect(me.status).toBe(200);
    expect(me.body.staffCommunities).toEqual([{ id: expect.any(String), name: '黌门街社区' }]);
  });
});

describe('PATCH /v1/me', () => {
  it('sets the name people see, trimmed; empty or too long names are refused by field', async () => {
    const { authorization } = await t.login('13900000055');
    const ok = await t.call({
      method: 'PATCH',
      url: '/v1/me',
      headers: { authorization },
      payload: { name: '  小王 ' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.user.name).toBe('小王');
    for (const name of ['   ', '名'.repeat(21)]) {
      const bad = await t.call({
        method: 'PATCH',
        url: '/v1/me',
        headers: { authorization },
        payload: { name },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details[0].path).toBe('body.name');
    }
  });

  it('a family proxy cannot rename the elder', async () => {
    const family = await t.login('13800000021');
    const elder = await t.login('13800000020');
    const res = await t.call({
      method: 'PATCH',
      url: '/v1/me',
      headers: { authorization: family.authorization, 'x-on-behalf-of': elder.userId },
      payload: { name: '改名' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('PROXY_NOT_ALLOWED');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPhone, TEST_ENV } from '../fixtures/people';
import { setupTestApp, type TestApp } from '../helper';

let t: TestApp;
beforeAll(async () => {
  t = await setupTestApp(TEST_ENV);
});
afterAll(() => t?.close());

async function signIn(phone: string) {
  const res = await t.call({ method: 'POST', url: '/v1/auth/dev-login', payload: { phone } });
  expect(res.status).toBe(200);
  return res.body as { accessToken: string; refreshToken: string };
}
const me = (accessToken: string) =>
  t.call({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${accessToken}` } });

describe('revocation reaches access tokens', () => {
  it('logout ends that login’s access token at once, not the person’s other logins', async () => {
    const phone = freshPhone();
    const phoneA = await signIn(phone);
    const phoneB = await signIn(phone);
    expect((await me(phoneA.accessToken)).status).toBe(200);
    const out = await t.call({
      method: 'POST',
      url: '/v1/auth/logout',
      headers: { authorization: `Bearer ${phoneA.accessToken}` },
      payload: { refreshToken: phoneA.refreshToken },
    });
    expect(out.status).toBe(200);
    const after = await me(phoneA.accessToken);
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('TOKEN_INVALID');
    expect((await me(phoneB.accessToken)).status).toBe(200);
  });

  it('reuse of a used refresh token ends the access tokens of that whole login', async () => {
    const first = await signIn(freshPhone());
    const rotated = await t.call({
      method: 'POST',
      url: '/v1/auth/refresh',
      payload: { refreshToken: first.refreshToken },
    });
    expect(rotated.status).toBe(200);
    expect((await me(rotated.body.accessToken)).status).toBe(200);
    // A thief replays the old refresh token: the family is revoked, both access tokens die.
    const replay = await t.call({
      method: 'POST',
      url: '/v1/auth/refresh',
      payload: { refreshToken: first.refreshToken },
    });
    expect(replay.status).toBe(401);
    expect((await me(rotated.body.accessToken)).status).toBe(401);
    expect((await me(first.accessToken)).status).toBe(401);
  });
});

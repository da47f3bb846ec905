import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp, type TestApp } from '../helper';

let t: TestApp;
beforeAll(async () => {
  t = await setupTestApp();
});
afterAll(() => t?.close());

const ELDER = '13800000020'; // 刘奶奶, 86
const FAMILY = '13800000021'; // 刘晓明, her consented proxy

async function me(phone: string) {
  const { authorization } = await t.login(phone);
  return (await t.call({ method: 'GET', url: '/v1/me', headers: { authorization } })).body;
}

async function patch(phone: string, payload: object) {
  const { authorization } = await t.login(phone);
  return t.call({ method: 'PATCH', url: '/v1/me', payload, headers: { authorization } });
}

describe('the elder-mode choice on /v1/me (remembered per person)', () => {
  it('is null (automatic) until the person chooses, and then the same on every sign-in', async () => {
    expect((await me(ELDER)).user).toMatchObject({ elderMode: null, birthDate: '1940-03-15' });

    const off = await patch(ELDER, { elderMode: false });
    expect(off.status).toBe(200);
    expect(off.body.user.elderMode).toBe(false);
    // A new sign-in (another phone) reads the same choice, and the name was left alone.
    const again = await me(ELDER);
    expect(again.user.elderMode).toBe(false);
    expect(again.user.name).toBe('刘奶奶');

    expect((await patch(ELDER, { elderMode: true })).body.user.elderMode).toBe(true);
    expect((await patch(ELDER, { elderMode: null })).body.user.elderMode).toBeNull();
  });

  it("one person's choice is theirs alone", async () => {
    await patch(FAMILY, { elderMode: true });
    expect((await me(FAMILY)).user.elderMode).toBe(true);
    expect((await me(ELDER)).user.elderMode).toBeNull();
  });

  it('renaming keeps the choice; an empty body or a wrong type is refused by field', async () => {
    await patch(FAMILY, { elderMode: false });
    const renamed = await patch(FAMILY, { name: '晓明' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.user).toMatchObject({ name: '晓明', elderMode: false });

    const empty = await patch(FAMILY, {});
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('VALIDATION_FAILED');

    const wrong = await patch(FAMILY, { elderMode: 'yes' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details).toEqual([expect.objectContaining({ path: 'body.elderMode' })]);
  });
});

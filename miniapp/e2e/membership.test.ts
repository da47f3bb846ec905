import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { e2eSuite, H5_DIST, loginByPhone } from './harness';

const e = e2eSuite();

describe.each([
  ['standard', false, '13912340001', '301'],
  ['elder mode (长辈模式)', true, '13912340002', '302'],
])('membership in %s', (_label, elderMode, phone, unit) => {
  it('a new resident asks to join a household, staff approves, the resident sees it and the inbox message', async () => {
    const resident = await e.phone();
    const staff = await e.phone();
    const { page } = resident;

    await loginByPhone(page, e.base, phone);
    const name = elderMode ? '王阿姨' : '小周';
    await page.getByText('我的', { exact: true }).click();
    await page.getByTestId('page-mine').waitFor();
    if (elderMode) await page.getByTestId('elder-switch').click();
    // A new account has no name yet; staff should see who is asking.
    await page.getByText('设置称呼', { exact: true }).click();
    await page.locator('input[placeholder="请输入称呼，如：王阿姨"]').fill(name);
    await page.getByText('保存', { exact: true }).click();
    await page.getByTestId('mine-profile').getByText(name, { exact: true }).waitFor();

    await page.goto(`${e.base}/#/membership/index`);
    await page.getByText('黌门街社区', { exact: true }).click();
    await page.getByText('梧桐院', { exact: true }).click();
    await page.getByText('2栋', { exact: true }).click();
    await page.getByText(unit, { exact: true }).click();
    await expect.poll(() => page.getByText(`已选：黌门街社区 · 梧桐院 · 2栋 · ${unit}`).count()).toBe(1);
    await page.getByText('提交认证申请', { exact: true }).click();
    await page.getByText('待审核', { exact: true }).first().waitFor();

    if (elderMode) {
      // Large type on a subpackage page too, not only where the switch is.
      const size = await page
        .getByText('我的认证申请')
        .first()
        .evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize));
      expect(size).toBeGreaterThanOrEqual(18);
      const body = await page
        .getByText(`黌门街社区 · 梧桐院 · 2栋 · ${unit}`)
        .last()
        .evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize));
      expect(body).toBeGreaterThanOrEqual(18);
    }

    // Staff, on a second phone.
    await loginByPhone(staff.page, e.base, '13800000001');
    await staff.page.goto(`${e.base}/#/staff/memberships`);
    const masked = `${phone.slice(0, 3)}****${phone.slice(7)}`;
    // Review cards are `review-<membership id>`; their buttons are `review-approve` etc.
    await staff.page.getByText(`${name}（${masked}）`).waitFor();
    const card = staff.page
      .locator(
        '[data-testid^="review-"]:not([data-testid^="review-approve"]):not([data-testid^="review-reject"]):not([data-testid^="review-reason"])',
      )
      .filter({ hasText: masked });
    await card.waitFor();
    await card.getByTestId('review-approve').click();
    await expect.poll(() => staff.page.getByText(masked).count(), { timeout: 10_000 }).toBe(0);

    // Back on the resident's phone: the new state and the inbox message.
    await page.reload();
    await page.getByText('已通过', { exact: true }).first().waitFor();
    await page.goto(`${e.base}/#/inbox/index`);
    await page.getByText('住户认证已通过').first().waitFor();
    await page.getByText(`您已成为 黌门街社区 · 梧桐院 · 2栋 · ${unit} 的认证住户`).waitFor();
    expect(await page.getByTestId('unread-dot').count()).toBeGreaterThan(0);

    await page.screenshot({
      path: join(H5_DIST, '..', `e2e-membership-${elderMode ? 'elder' : 'standard'}.png`),
    });
    expect(resident.errors).toEqual([]);
    expect(staff.errors).toEqual([]);
    await resident.context.close();
    await staff.context.close();
  });
});

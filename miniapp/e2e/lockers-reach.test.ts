import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  apiAs,
  cutOff,
  e2eSuite,
  H5_DIST,
  loginByPhone,
  onPage,
  placeLockerOrder,
  STAFF_PHONE,
} from './harness';

const e = e2eSuite();

const ELDER = '13800000020'; // 刘奶奶, born 1940, verified in her household
const RESIDENT = '13800000010'; // 陈静, younger

const shot = async (page: Page, name: string) => {
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(H5_DIST, '..', `e2e-lockers-reach-${name}.png`) });
};

async function mine(page: Page) {
  await page.locator('.weui-tabbar__label').getByText('我的', { exact: true }).click();
  const p = onPage(page, 'mine');
  await p.getByTestId('reach-setting').waitFor();
  return p;
}

describe('compartments an elder can reach', () => {
  it('我的 shows the switch on by default for an 80+ elder, off for a younger resident; a choice sticks and 恢复自动 hands it back', async () => {
    const { page } = await e.phone();
    await loginByPhone(page, e.base, ELDER);
    let p = await mine(page);
    await p.getByTestId('reach-hint').getByText('已按年龄自动开启', { exact: false }).waitFor();
    await expect
      .poll(() => p.getByTestId('reach-switch').locator('[role="switch"]').getAttribute('aria-checked'))
      .toBe('true');
    await p.getByTestId('reach-setting').scrollIntoViewIfNeeded();
    await shot(page, 'mine-elder');
    await p.getByTestId('reach-switch').locator('[role="switch"]').click();
    await p.getByTestId('reach-hint').getByText('您已关闭', { exact: false }).waitFor();
    // Stored per person: the BFF says so, and a fresh page reads it back.
    expect((await apiAs(e, ELDER, 'GET', '/v1/me')).user.reachableCompartments).toEqual({
      choice: false,
      on: false,
    });
    await page.reload();
    p = await mine(page);
    await p.getByTestId('reach-hint').getByText('您已关闭', { exact: false }).waitFor();
    await p.getByTestId('reach-auto').click();
    await p.getByTestId('reach-hint').getByText('已按年龄自动开启', { exact: false }).waitFor();
    await expect.poll(() => p.getByTestId('reach-auto').count()).toBe(0);

    const young = await e.phone();
    await loginByPhone(young.page, e.base, RESIDENT);
    const q = await mine(young.page);
    await q
      .getByTestId('reach-hint')
      .getByText('80 岁以上或家人代下单时自动开启', { exact: false })
      .waitFor();
  });

  it('the order card says the row; when the rows in reach are out of service the elder is told where it went', async () => {
    const placed = await placeLockerOrder(e, ELDER);
    // Staff take every compartment of the rows in reach out of service: the build must fall back.
    const banks = await apiAs(e, STAFF_PHONE, 'GET', '/v1/staff/locker-banks');
    const bank = banks.items.find((b: { id: string }) => b.id === placed.bankId);
    const { from, to } = bank.reachableRows as { from: number; to: number };
    const inReach = (bank.compartments as { id: string; row: number; state: string }[]).filter(
      (c) => c.row >= from && c.row <= to && c.state === 'free',
    );
    for (const c of inReach)
      await apiAs(e, STAFF_PHONE, 'PATCH', `/v1/staff/compartments/${c.id}`, { inService: false });
    try {
      await cutOff(e, placed);
    } finally {
      for (const c of inReach)
        await apiAs(e, STAFF_PHONE, 'PATCH', `/v1/staff/compartments/${c.id}`, { inService: true });
    }
    const order = await apiAs(e, ELDER, 'GET', `/v1/orders/${placed.id}`);
    const row = order.locker.places[0].row as number;
    expect(row < from || row > to).toBe(true);
    expect(order.locker.reachNote).toBe(`已尽量安排不用弯腰、不用踮脚的格口，本次放在第 ${row} 层`);

    const { page } = await e.phone();
    await loginByPhone(page, e.base, ELDER);
    await page.goto(`${e.base}/#/shop/order?id=${placed.id}`);
    const section = onPage(page, 'order').getByTestId('locker-section');
    await section
      .getByTestId('locker-compartments')
      .getByText(`（第 ${row} 层）`, { exact: false })
      .waitFor();
    await section
      .getByTestId('locker-reach-note')
      .getByText(`已尽量安排不用弯腰、不用踮脚的格口，本次放在第 ${row} 层`)
      .waitFor();
    await shot(page, 'order-note');
  });

  it('staff give each group of compartments its row and see which rows count as in reach', async () => {
    const { page } = await e.phone();
    await loginByPhone(page, e.base, STAFF_PHONE);
    await page.goto(`${e.base}/#/staff/lockers`);
    const lockers = onPage(page, 'staff-lockers');
    await lockers.getByTestId('bank-add-open').click();
    const form = lockers.getByTestId('bank-form');
    await form
      .getByTestId('bank-form-reach-text')
      .getByText('共 3 层；默认第 2 层不用弯腰、不用踮脚', { exact: false })
      .waitFor();
    await form.getByTestId('bank-form-row').nth(1).locator('input').fill('4');
    await form
      .getByTestId('bank-form-reach-text')
      .getByText('共 4 层；默认第 2–3 层', { exact: false })
      .waitFor();
    await form.getByTestId('bank-form-reach-from').locator('input').fill('2');
    await form.getByTestId('bank-form-reach-to').locator('input').fill('5');
    await form.getByTestId('bank-form-compound').getByText('玉兰院', { exact: false }).click();
    await form.getByTestId('bank-form-name').locator('input').fill('玉兰院分层生鲜柜');
    await form.getByTestId('bank-form-location').locator('input').fill('玉兰院北门');
    await form.getByTestId('bank-form-submit').click();
    await form.getByTestId('bank-form-reach-error').getByText('这个柜子只有 4 层').waitFor();
    await form.getByTestId('bank-form-reach-to').locator('input').fill('3');
    await form.getByTestId('bank-form-submit').click();
    await lockers.getByTestId('secret-card').getByText('「玉兰院分层生鲜柜」的设备密钥').waitFor();
    const added = lockers.locator('[data-testid^="bank-"]').filter({ hasText: '玉兰院分层生鲜柜' }).first();
    await added.getByTestId('bank-rows').getByText('共 4 层，第 2–3 层不用弯腰、不用踮脚').waitFor();
    await shot(page, 'staff-bank');
  });
});

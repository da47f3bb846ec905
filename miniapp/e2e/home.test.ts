import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  apiAs,
  axeProblems,
  controlProblems,
  cutOff,
  dropBatch,
  e2eSuite,
  elderSizeProblems,
  floorProblems,
  H5_DIST,
  loginByPhone,
  onPage,
  placeLockerOrder,
  placeProduceOrder,
  STAFF_PHONE,
  settledPage,
  turnOnElderMode,
} from './harness';

const e = e2eSuite();

const RESIDENT = '13800000010'; // 陈静, verified in 银杏院
const NEIGHBOUR = '13800000011';
const MERCHANT = '13800000002'; // 菜宅送
const ELDER = '13800000020'; // 刘奶奶, 80+

const shot = async (page: Page, name: string) => {
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(H5_DIST, '..', `e2e-home-${name}.png`) });
};

/** axe, the control check and the normal-mode floors of 首页 as it is on screen. */
async function pageProblems(page: Page): Promise<string[]> {
  const root = await settledPage(page);
  return [
    ...(await axeProblems(page, root)),
    ...(await controlProblems(root)),
    ...(await floorProblems(root, { minText: 12, minTap: 32 })),
  ];
}

describe('首页 per person', () => {
  it('a resident with an order in a locker sees bank, compartments, code and deadline at the top', async () => {
    const placed = await placeLockerOrder(e, RESIDENT);
    const batchId = await cutOff(e, placed);
    await dropBatch(e, batchId);
    const order = await apiAs(e, RESIDENT, 'GET', `/v1/orders/${placed.id}`);
    expect(order.status).toBe('in_locker');

    const { context, page, errors } = await e.phone();
    await loginByPhone(page, e.base, RESIDENT);
    const home = onPage(page, 'home');
    const card = home.getByTestId(`home-locker-${placed.id}`);
    await card.waitFor();
    await card.getByTestId('home-locker-code').getByText(order.locker.code, { exact: true }).waitFor();
    expect(await card.getByTestId('home-locker-doors').textContent()).toBe(
      `格口 ${order.locker.compartments.join('、')}`,
    );
    await card.getByText(placed.bankName).waitFor();
    expect(await card.getByTestId('home-locker-deadline').textContent()).toMatch(/^请在 .+\d\d:\d\d 前取件$/);
    // The locker card comes before everything else on the page (the greeting included).
    const order0 = await home.evaluate((root) =>
      Array.from(root.querySelectorAll('[data-testid^="home-"]')).map((n) => n.getAttribute('data-testid')),
    );
    expect(order0.indexOf('home-locker')).toBeLessThan(order0.indexOf('home-greeting'));
    // The next window and its cut-off countdown; the resident's quick entries.
    await home
      .getByTestId('home-window-countdown')
      .getByText(/^还剩 /)
      .waitFor();
    await home.getByTestId('home-entry-market').waitFor();
    await home.getByTestId('home-request-new').waitFor();
    // Nothing for other roles, no household prompt for a verified resident.
    for (const id of ['home-merchant', 'home-courier', 'home-staff', 'home-verify'])
      expect(await home.getByTestId(id).count()).toBe(0);
    expect(await pageProblems(page)).toEqual([]);
    await shot(page, 'resident');

    // Tapping the card opens the order, with the same code.
    await card.click();
    await onPage(page, 'order').getByTestId('locker-code').getByText(order.locker.code).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a merchant sees 待接单 counted and reaches 商家工作台 in one tap', async () => {
    await placeProduceOrder(e, NEIGHBOUR, 'paid');
    const counts = (await apiAs(e, MERCHANT, 'GET', '/v1/merchant/orders?limit=1')).counts;
    expect(counts.paid).toBeGreaterThan(0);

    const { context, page, errors } = await e.phone();
    await loginByPhone(page, e.base, MERCHANT);
    const desk = onPage(page, 'home').getByTestId('home-merchant');
    await desk.getByTestId('home-merchant-accept').getByText(String(counts.paid), { exact: true }).waitFor();
    await desk
      .getByTestId('home-merchant-pack')
      .getByText(String(counts.accepted), { exact: true })
      .waitFor();
    expect(await pageProblems(page)).toEqual([]);
    await shot(page, 'merchant');
    await desk.getByTestId('home-merchant-desk').click();
    await onPage(page, 'merchant-orders').waitFor();

    // 订单 offers the shop's orders and the owner's own purchases.
    await page.goto(`${e.base}/#/pages/orders/index`);
    const orders = onPage(page, 'orders');
    await orders.getByTestId('shop-orders-summary').waitFor();
    await orders.getByTestId('shop-orders-paid').getByText(String(counts.paid), { exact: true }).waitFor();
    await orders.getByTestId('orders-view-mine').click();
    await orders.getByTestId('order-tabs').waitFor();
    expect(await orders.getByTestId('shop-orders-summary').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('staff see the queues waiting on them with their counts, and no household prompt', async () => {
    const served = await apiAs(e, STAFF_PHONE, 'GET', '/v1/home');
    const { context, page, errors } = await e.phone();
    await loginByPhone(page, e.base, STAFF_PHONE);
    const queues = onPage(page, 'home').getByTestId('home-staff');
    await queues.waitFor();
    for (const q of served.staff.queues as { key: string; count: number; more: boolean }[]) {
      const row = queues.getByTestId(`home-queue-${q.key}`);
      if (q.count > 0)
        await row
          .getByTestId('home-queue-count')
          .getByText(`${q.count}${q.more ? '+' : ''} 条`)
          .waitFor();
      else await row.getByText('暂无 ›').waitFor();
    }
    expect(await onPage(page, 'home').getByTestId('home-verify').count()).toBe(0);
    expect(await pageProblems(page)).toEqual([]);
    await shot(page, 'staff');
    // 我的 offers staff neither 住户认证 nor 我要开店.
    await page.getByText('我的', { exact: true }).click();
    const mine = onPage(page, 'mine');
    await mine.getByTestId('mine-staff-review').waitFor();
    expect(await mine.getByTestId('mine-membership').count()).toBe(0);
    expect(await mine.getByTestId('mine-merchant-apply').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('an elder in elder mode gets four big entries and passes the size check', async () => {
    const { context, page, errors } = await e.phone();
    await loginByPhone(page, e.base, ELDER);
    await turnOnElderMode(page);
    await page.getByText('首页', { exact: true }).click();
    const home = onPage(page, 'home');
    const entries = home.getByTestId('home-entries');
    await entries.waitFor();
    expect(await entries.locator('.home-entries__label').allTextContents()).toEqual([
      '买菜',
      '取件',
      '预约服务',
      '求助',
    ]);
    // Fewest choices: none of the resident's longer list.
    expect(await home.getByTestId('home-entry-neighbors').count()).toBe(0);
    expect(await home.getByTestId('home-volunteer-apply').count()).toBe(0);
    expect(await elderSizeProblems(page, 'home')).toEqual([]);
    expect(await axeProblems(page, await settledPage(page))).toEqual([]);
    await shot(page, 'elder');
    // 我的 names the family page for what an elder does there, not 添加长辈.
    await page.getByText('我的', { exact: true }).click();
    await onPage(page, 'mine').getByTestId('mine-family').getByText('家属代办授权').waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});

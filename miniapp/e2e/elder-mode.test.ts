import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  e2eSuite,
  elderSizeProblems,
  H5_DIST,
  loginByPhone,
  onPage,
  placeProduceOrder,
  turnOnElderMode,
} from './harness';

const e = e2eSuite();

async function visit(page: Page, hash: string, name: string, shot = name): Promise<string[]> {
  await page.goto(`${e.base}/#${hash}`);
  return check(page, name, shot);
}

/** Checks the page on screen as it is now (after taps that opened a form or a sheet). */
async function check(page: Page, name: string, shot = name): Promise<string[]> {
  const problems = await elderSizeProblems(page, name);
  // The page left behind may still be sliding out over this one; let it finish for the picture.
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(H5_DIST, '..', `e2e-elder-${shot}.png`) });
  return problems.map((p) => `${shot}: ${p}`);
}

describe('长辈模式 (elder mode) on every page', () => {
  it('staff: tab pages, membership, inbox, both staff pages, family pages and login', async () => {
    const { context, page, errors } = await e.phone();
    await loginByPhone(page, e.base, '13800000001');
    await turnOnElderMode(page);

    const problems = [
      ...(await visit(page, '/pages/index/index', 'home')),
      ...(await visit(page, '/pages/market/index', 'market')),
      ...(await visit(page, '/pages/orders/index', 'orders')),
      ...(await visit(page, '/pages/mine/index', 'mine')),
      ...(await visit(page, '/membership/index', 'membership')),
      ...(await visit(page, '/inbox/index', 'inbox')),
      ...(await visit(page, '/staff/memberships', 'staff-memberships')),
      ...(await visit(page, '/staff/proxy-links', 'staff-proxy-links')),
      ...(await visit(page, '/family/index', 'family')),
      ...(await visit(page, '/family/audit', 'family-audit')),
      ...(await visit(page, '/pages/login/index', 'login')),
    ];
    expect(problems).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('elder and family member: family pages with requests and links, and the acting-for banner', async () => {
    const elder = await e.phone();
    await loginByPhone(elder.page, e.base, '13800000020');
    await turnOnElderMode(elder.page);
    const elderProblems = [
      ...(await visit(elder.page, '/family/index', 'family')),
      ...(await visit(elder.page, '/family/audit', 'family-audit')),
      ...(await visit(elder.page, '/inbox/index', 'inbox')),
    ];
    expect(elderProblems).toEqual([]);

    const family = await e.phone();
    const { page } = family;
    await loginByPhone(page, e.base, '13800000021');
    await turnOnElderMode(page);
    const before = [
      ...(await visit(page, '/pages/index/index', 'home')),
      ...(await visit(page, '/family/index', 'family')),
    ];
    await page.getByTestId('act-for').first().click();
    await page.getByTestId('acting-banner').waitFor();
    const acting = [
      ...(await visit(page, '/pages/index/index', 'home')),
      ...(await visit(page, '/inbox/index', 'inbox')),
      ...(await visit(page, '/membership/index', 'membership')),
      ...(await visit(page, '/pages/mine/index', 'mine')),
    ];
    expect([...before, ...acting]).toEqual([]);

    // The inbox header stays on one line: its text is one line high.
    await page.goto(`${e.base}/#/inbox/index`);
    const header = page.getByTestId('inbox-unread');
    await header.waitFor();
    const lines = await header.evaluate((el) => {
      const cs = getComputedStyle(el);
      return Math.round(el.getBoundingClientRect().height / Number.parseFloat(cs.lineHeight));
    });
    expect(lines).toBe(1);

    expect(elder.errors).toEqual([]);
    expect(family.errors).toEqual([]);
    await elder.context.close();
    await family.context.close();
  });

  it('resident: market (商品 and 周边商家), shop, cart, orders and order detail in each state', async () => {
    const phone = '13800000013';
    const accepted = await placeProduceOrder(e, phone, 'accepted');
    const unpaid = await placeProduceOrder(e, phone, 'created');
    const { context, page, errors } = await e.phone();
    await loginByPhone(page, e.base, phone);
    await turnOnElderMode(page);

    const problems = [...(await visit(page, '/pages/market/index', 'market', 'market-products'))];
    // With something in the cart: the stepper and the cart bar's count are measured too.
    const market = onPage(page, 'market');
    await market.locator('.product').first().getByTestId('add-to-cart').click();
    await market.getByTestId('product-stepper').first().waitFor();
    problems.push(...(await check(page, 'market', 'market-stepper')));
    await market.getByTestId('view-merchants').click();
    await market.getByTestId('merchant-directory').locator('.merchant-card').first().waitFor();
    problems.push(...(await check(page, 'market', 'market-merchants')));

    problems.push(...(await visit(page, `/shop/index?id=${accepted.merchantId}`, 'shop')));
    problems.push(...(await visit(page, '/shop/cart', 'cart')));
    problems.push(...(await visit(page, '/pages/orders/index', 'orders')));

    problems.push(...(await visit(page, `/shop/order?id=${accepted.id}`, 'order', 'order-accepted')));
    const order = onPage(page, 'order');
    await order.getByTestId('refund-open').click();
    await order.getByTestId('refund-add-photos').click();
    await order.getByTestId('refund-photos').waitFor();
    // Form fields are not text nodes: their own font must be large too.
    for (const field of ['.taro-textarea', '[data-testid="refund-photos"] input']) {
      const size = await order
        .locator(field)
        .first()
        .evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize));
      expect(size, field).toBeGreaterThanOrEqual(18);
    }
    problems.push(...(await check(page, 'order', 'order-refund-form')));

    problems.push(...(await visit(page, `/shop/order?id=${unpaid.id}`, 'order', 'order-unpaid')));
    await onPage(page, 'order').getByTestId('order-pay').click();
    await page.locator('[data-testid="pay-sheet"]:visible').waitFor();
    problems.push(...(await check(page, 'order', 'order-pay-sheet')));

    expect(problems).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});

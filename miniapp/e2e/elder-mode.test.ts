import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { image } from '../../bff/test/fixtures/uploads';
import {
  apiAs,
  COURIER_PHONE,
  cutOff,
  e2eSuite,
  elderSizeProblems,
  H5_DIST,
  loginByPhone,
  onPage,
  placeLockerOrder,
  placeProduceOrder,
  STAFF_PHONE,
  turnOnElderMode,
  visibleBanner,
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
    await visibleBanner(page).waitFor();
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
    // 添加照片 opens the file input on H5; a photo goes up and comes back as a thumbnail with 删除.
    const chooser = page.waitForEvent('filechooser');
    await order.getByTestId('refund-add-photos').click();
    await (await chooser).setFiles({
      name: 'photo.jpg',
      mimeType: 'image/jpeg',
      buffer: await image('jpeg', 120, 90),
    });
    await order.getByTestId('refund-photo').first().waitFor();
    // Form fields are not text nodes: their own font must be large too.
    for (const field of ['.taro-textarea', '[data-testid="refund-photo-remove"]']) {
      const size = await order
        .locator(field)
        .first()
        .evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize));
      expect(size, field).toBeGreaterThanOrEqual(18);
    }
    const thumb = await order.locator('.refund-photo__img').first().boundingBox();
    expect(thumb?.width ?? 0, 'photo thumbnail').toBeGreaterThanOrEqual(96);
    problems.push(...(await check(page, 'order', 'order-refund-form')));

    problems.push(...(await visit(page, `/shop/order?id=${unpaid.id}`, 'order', 'order-unpaid')));
    await onPage(page, 'order').getByTestId('order-pay').click();
    await page.locator('[data-testid="pay-sheet"]:visible').waitFor();
    problems.push(...(await check(page, 'order', 'order-pay-sheet')));

    expect(problems).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('lockers: cart in locker mode, the order with its locker code, courier batches and batch, staff lockers, windows and batches', async () => {
    // Two locker orders in one window; after the cut-off the courier starts and drops only the first.
    const dropped = await placeLockerOrder(e, '13800000011');
    const waiting = await placeLockerOrder(e, '13800000012');
    expect(waiting.windowId).toBe(dropped.windowId);
    const batchId = await cutOff(e, dropped);
    await apiAs(e, COURIER_PHONE, 'POST', `/v1/courier/batches/${batchId}/start`, {});
    const manifest = await apiAs(e, COURIER_PHONE, 'GET', `/v1/courier/batches/${batchId}`);
    for (const d of manifest.dropList.flatMap((b: { drops: { orderId: string }[] }) => b.drops))
      if (d.orderId === dropped.id)
        await apiAs(e, COURIER_PHONE, 'POST', `/v1/courier/batches/${batchId}/drops`, d);

    const resident = await e.phone();
    await loginByPhone(resident.page, e.base, '13800000011');
    await turnOnElderMode(resident.page);
    const residentProblems = [
      ...(await visit(resident.page, `/shop/order?id=${dropped.id}`, 'order', 'order-locker-code')),
    ];
    const code = onPage(resident.page, 'order').getByTestId('locker-code');
    expect(
      await code.evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize)),
    ).toBeGreaterThanOrEqual(40);
    const qr = await onPage(resident.page, 'order').getByTestId('locker-qr').boundingBox();
    expect(qr!.width).toBeGreaterThanOrEqual(200);
    // The cart with 生鲜柜自取 chosen: windows, the bank with its room, the consent box.
    await resident.page.goto(`${e.base}/#/pages/market/index`);
    const market = onPage(resident.page, 'market');
    await market.getByTestId('product-search').locator('input').fill('本地小白菜');
    await market.getByTestId('product-search-go').click();
    await market.locator('.product').filter({ hasText: '本地小白菜' }).getByTestId('add-to-cart').click();
    await resident.page.goto(`${e.base}/#/shop/cart`);
    const cart = onPage(resident.page, 'cart');
    await cart.getByTestId('delivery-mode').getByText('生鲜柜自取', { exact: true }).click();
    await cart.locator('.bank-choice').first().waitFor();
    const consent = await cart.getByTestId('locker-consent').boundingBox();
    expect(consent!.height).toBeGreaterThanOrEqual(44);
    residentProblems.push(...(await check(resident.page, 'cart', 'cart-locker')));
    expect(residentProblems).toEqual([]);

    const courier = await e.phone();
    await loginByPhone(courier.page, e.base, COURIER_PHONE);
    await turnOnElderMode(courier.page);
    const courierProblems = [
      ...(await visit(courier.page, '/courier/batches', 'courier-batches')),
      ...(await visit(courier.page, `/courier/batch?id=${batchId}`, 'courier-batch')),
    ];
    await onPage(courier.page, 'courier-batch').getByTestId('drop-problem').first().click();
    await onPage(courier.page, 'courier-batch').getByTestId('problem-form').scrollIntoViewIfNeeded();
    courierProblems.push(...(await check(courier.page, 'courier-batch', 'courier-batch-problem')));
    expect(courierProblems).toEqual([]);

    const staff = await e.phone();
    await loginByPhone(staff.page, e.base, STAFF_PHONE);
    await turnOnElderMode(staff.page);
    const staffProblems = [...(await visit(staff.page, '/staff/lockers', 'staff-lockers'))];
    await onPage(staff.page, 'staff-lockers').getByTestId('bank-add-open').click();
    await onPage(staff.page, 'staff-lockers').getByTestId('bank-form').scrollIntoViewIfNeeded();
    staffProblems.push(...(await check(staff.page, 'staff-lockers', 'staff-lockers-form')));
    const cell = onPage(staff.page, 'staff-lockers').locator('.cell').first();
    expect((await cell.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    staffProblems.push(...(await visit(staff.page, '/staff/windows', 'staff-windows')));
    await onPage(staff.page, 'staff-windows').getByTestId('schedule-add-open').click();
    await onPage(staff.page, 'staff-windows').getByTestId('schedule-form').scrollIntoViewIfNeeded();
    staffProblems.push(...(await check(staff.page, 'staff-windows', 'staff-windows-form')));
    staffProblems.push(...(await visit(staff.page, '/staff/batches', 'staff-batches')));
    expect(staffProblems).toEqual([]);

    expect(resident.errors).toEqual([]);
    expect(courier.errors).toEqual([]);
    expect(staff.errors).toEqual([]);
    await resident.context.close();
    await courier.context.close();
    await staff.context.close();
  });
});

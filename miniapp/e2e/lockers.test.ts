import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { localClock } from 'shared';
import { describe, expect, it } from 'vitest';
import {
  apiAs,
  COURIER_PHONE,
  cutOff,
  dropBatch,
  e2eSuite,
  H5_DIST,
  lockerTarget,
  loginByPhone,
  onPage,
  panelPickup,
  placeLockerOrder,
  STAFF_PHONE,
} from './harness';

const e = e2eSuite();

const RESIDENT = '13800000010'; // 陈静, verified in 银杏院
const MERCHANT = '13800000002'; // 菜宅送: open around the clock, delivers to lockers

const shot = async (page: Page, name: string) => {
  // Let Taro's page transition finish, so the picture shows the page in place.
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(H5_DIST, '..', `e2e-lockers-${name}.png`) });
};

/** 集市 → search → 加入购物车 and step up to `quantity` → 购物车. */
async function fillCart(page: Page, product: string, quantity: number) {
  await page.getByText('集市', { exact: true }).click();
  const market = onPage(page, 'market');
  await market.getByTestId('product-browser').waitFor();
  await market.getByTestId('product-search').locator('input').fill(product);
  await market.getByTestId('product-search-go').click();
  const card = market.locator('.product').filter({ hasText: product });
  await card.getByTestId('add-to-cart').click();
  for (let i = 1; i < quantity; i++) await card.getByTestId('product-stepper-plus').click();
  await expect.poll(() => card.getByTestId('product-stepper-value').textContent()).toBe(String(quantity));
  await market.getByTestId('cart-bar').click();
  const cart = onPage(page, 'cart');
  await cart.getByTestId('checkout-bar').waitFor();
  return cart;
}

describe('smart lockers (生鲜柜)', () => {
  it('a resident orders for a locker window with consent, the batch is cut off and dropped, the resident sees the code and QR, the panel opens, the order is picked up', async () => {
    const me = await apiAs(e, RESIDENT, 'GET', '/v1/me');
    const home = me.memberships.find((m: { status: string }) => m.status === 'approved');
    expect(home.address).toContain('银杏院');

    const resident = await e.phone();
    const courier = await e.phone();
    const { page } = resident;
    await loginByPhone(page, e.base, RESIDENT);

    // 购物车: 6 斤 小白菜 (chilled, ¥16.8), 生鲜柜自取 in the first window at 银杏院生鲜柜.
    const cart = await fillCart(page, '本地小白菜', 6);
    await cart.getByTestId('delivery-mode').getByText('生鲜柜自取', { exact: true }).click();
    const choice = cart.getByTestId('locker-choice');
    await choice.getByTestId('locker-window').locator('.choice--selected').waitFor();
    const windowLabel = await choice.getByTestId('locker-window').locator('.choice--selected').textContent();
    expect(windowLabel).toMatch(/\d\d:\d\d 截单 · .+\d\d:\d\d 送达$/);
    const bank = choice.locator('.bank-choice').filter({ hasText: '银杏院生鲜柜' });
    await bank.getByText('有空位', { exact: true }).waitFor();
    expect(await bank.getAttribute('class')).toContain('choice--selected');
    await choice.getByText('本单需要：冷藏 中格 ×1').waitFor();

    // Without the consent the order cannot be placed.
    await cart.getByTestId('cart-problem').getByText('请勾选「同意将商品投递至智能生鲜柜」').waitFor();
    expect(await cart.getByTestId('cart-submit').getAttribute('class')).toContain('btn--disabled');
    await choice.getByTestId('locker-consent').click();
    await expect.poll(() => cart.getByTestId('cart-problem').count()).toBe(0);
    await cart.getByTestId('cart-total').getByText('¥16.8', { exact: true }).waitFor();
    await shot(page, 'cart');
    await cart.getByTestId('cart-submit').click();

    const sheet = page.locator('[data-testid="pay-sheet"]:visible');
    await sheet.getByTestId('pay-amount').getByText('¥16.8', { exact: true }).waitFor();
    await sheet.getByTestId('pay-confirm').click();

    // The order page: paid, to 银杏院生鲜柜; no code yet.
    const order = onPage(page, 'order');
    await order.getByTestId('order-status').getByText('待接单', { exact: true }).waitFor({ timeout: 15_000 });
    const orderId = new URL(page.url().replace('#', '')).searchParams.get('id')!;
    expect(orderId).toMatch(/^[0-9a-f-]{36}$/);
    await order.getByTestId('order-delivery').getByText('生鲜柜', { exact: true }).waitFor();
    await order.getByTestId('locker-bank').getByText('银杏院生鲜柜').waitFor();
    expect(await order.getByTestId('locker-code').count()).toBe(0);
    expect(await order.getByTestId('pickup-code').count()).toBe(0);

    // The order as stored: consent recorded, the window and bank chosen.
    const stored = await apiAs(e, RESIDENT, 'GET', `/v1/orders/${orderId}`);
    expect(stored.delivery.mode).toBe('locker');
    const target = await lockerTarget(e, RESIDENT);
    expect(stored.locker.windowId).toBe(target.windowId);
    expect(stored.locker.bankId).toBe(target.bankId);

    // The merchant accepts; the clock reaches the cut-off and the scheduler's job builds the batch.
    await apiAs(e, MERCHANT, 'POST', `/v1/merchant/orders/${orderId}/accept`, {});
    const batchId = await cutOff(e, { windowId: stored.locker.windowId, cutoffAt: target.cutoffAt });
    const afterCut = await apiAs(e, RESIDENT, 'GET', `/v1/orders/${orderId}`);
    expect(afterCut.status).toBe('in_batch');
    // In the batch but nobody set out yet: 待配送, not 配送中; the order is named by its number.
    await page.goto(`${e.base}/#/shop/order?id=${orderId}`);
    const waiting = onPage(page, 'order');
    await waiting.getByTestId('order-status').getByText('待配送', { exact: true }).waitFor();
    await waiting.getByTestId('order-number').getByText(`订单号 ${afterCut.number}`).waitFor();

    // The courier: 我的 → 我的配送批次 → the batch → 开始配送 → 确认投递.
    const cp = courier.page;
    await loginByPhone(cp, e.base, COURIER_PHONE);
    await cp.getByText('我的', { exact: true }).click();
    await onPage(cp, 'mine').getByTestId('mine-courier-batches').click();
    const batches = onPage(cp, 'courier-batches');
    const card = batches.getByTestId(`courier-batch-${batchId}`);
    await card.getByText('待出发', { exact: true }).waitFor();
    await card.getByText('1 单 · 1 个生鲜柜 · 已投递 0 单').waitFor();
    await shot(cp, 'courier-batches');
    await card.click();
    const batch = onPage(cp, 'courier-batch');
    await batch.getByTestId('pick-list').getByText('菜宅送（1 单）').waitFor();
    await batch.getByTestId('pick-list').getByText('本地小白菜 × 6斤').waitFor();
    const bankCard = batch.getByTestId(`drop-bank-${target.bankId}`);
    await bankCard.getByText('投递：银杏院生鲜柜').waitFor();
    // Nothing can be dropped before the batch is started.
    expect(await bankCard.getByTestId('drop-confirm').count()).toBe(0);
    await bankCard.getByText(`订单 ${afterCut.number}`, { exact: false }).waitFor();
    await batch.getByTestId('batch-start').click();
    await batch.getByTestId('batch-status').getByText('配送中', { exact: true }).waitFor();
    await shot(cp, 'courier-batch');
    // Now the resident's order is on the way.
    await page.reload();
    await onPage(page, 'order').getByTestId('order-status').getByText('配送中', { exact: true }).waitFor();
    await bankCard.getByTestId('drop-confirm').click();
    await bankCard.getByText('已投递', { exact: true }).waitFor();
    await batch.getByTestId('batch-progress').getByText('已投递 1/1 单（格口 1/1）').waitFor();
    await batch.getByTestId('batch-status').getByText('已完成', { exact: true }).waitFor();
    const label = (await bankCard.locator('.drop__label').textContent())!.replace(' 号格口', '');
    expect(label).toMatch(/^[E-F]\d\d$/); // a chilled compartment, M or L

    // The resident: 已入柜, the code (big) and its QR, the compartment, the deadline.
    await page.goto(`${e.base}/#/shop/order?id=${orderId}`);
    const inLocker = onPage(page, 'order');
    await inLocker.getByTestId('order-status').getByText('已入柜', { exact: true }).waitFor();
    const section = inLocker.getByTestId('locker-section');
    const code = (await section.getByTestId('locker-code').textContent())!;
    expect(code).toMatch(/^\d{6}$/);
    expect(await section.getByTestId('locker-qr').getAttribute('data-modules')).toBe('25');
    expect(await section.getByTestId('locker-qr').locator('.qr__bar').count()).toBeGreaterThan(50);
    const qrBox = await section.getByTestId('locker-qr').boundingBox();
    expect(qrBox!.width).toBeGreaterThan(150);
    await section.getByTestId('locker-compartments').getByText(`${label} 号`).waitFor();
    await expect.poll(() => section.getByTestId('locker-deadline').textContent()).toMatch(/^请于 .+ 前取件$/);
    await section.getByTestId('locker-open').waitFor();
    expect(await section.getByTestId('locker-extend').count()).toBe(0);
    await inLocker.getByTestId('order-timeline').getByText('已放入生鲜柜').waitFor();
    await shot(page, 'order-code');

    // The locker panel: a wrong code is refused, the right one opens the compartment; a replay is not.
    const wrong = await panelPickup(e, target.bankId, code === '000000' ? '111111' : '000000');
    expect(wrong.first.status).toBeGreaterThanOrEqual(400);
    const pickup = await panelPickup(e, target.bankId, code, wrong.deviceSecret);
    expect(pickup.first.status).toBe(200);
    expect(pickup.first.body.orderId).toBe(orderId);
    expect(pickup.first.body.compartments.map((c: { label: string }) => c.label)).toEqual([label]);
    expect((await pickup.replay()).status).toBe(401);
    const again = await panelPickup(e, target.bankId, code, wrong.deviceSecret);
    expect(again.first.status).toBeGreaterThanOrEqual(400);

    // The order page: 已取货, no code any more.
    await inLocker.getByTestId('order-refresh').click();
    await inLocker.getByTestId('order-status').getByText('已取货', { exact: true }).waitFor();
    await expect.poll(() => inLocker.getByTestId('locker-code').count()).toBe(0);
    await inLocker.getByTestId('order-timeline').getByText('已从生鲜柜取货').waitFor();
    await shot(page, 'picked-up');

    expect(resident.errors).toEqual([]);
    expect(courier.errors).toEqual([]);
    await resident.context.close();
    await courier.context.close();
  });

  it('a full bank is caught before payment: the cart offers another window or another way, and shop pickup goes through', async () => {
    const target = await lockerTarget(e, '13800000012');
    // Take every chilled compartment that holds a 中格 parcel out of service.
    const banks = await apiAs(e, STAFF_PHONE, 'GET', '/v1/staff/locker-banks');
    const bank = banks.items.find((b: { id: string }) => b.id === target.bankId);
    const chilled = bank.compartments.filter(
      (c: { zone: string; size: string; state: string }) =>
        c.zone === 'chilled' && c.size !== 'S' && c.state === 'free',
    );
    expect(chilled.length).toBeGreaterThan(0);
    const setService = (inService: boolean) =>
      Promise.all(
        chilled.map((c: { id: string }) =>
          apiAs(e, STAFF_PHONE, 'PATCH', `/v1/staff/compartments/${c.id}`, { inService }),
        ),
      );
    await setService(false);
    try {
      const { context, page, errors } = await e.phone();
      await loginByPhone(page, e.base, '13800000012');
      const cart = await fillCart(page, '本地小白菜', 6);
      await cart.getByTestId('delivery-mode').getByText('生鲜柜自取', { exact: true }).click();
      const choice = cart.getByTestId('locker-choice');
      await choice.locator('.bank-choice').getByText('空位不足', { exact: true }).waitFor();
      const advice = choice.getByTestId('locker-advice');
      await advice.getByText('「银杏院生鲜柜」在这个时段空位不足，付款前请换一种方式：').waitFor();
      // Later windows were looked at (all full too), then 送货上门 and 到店自提 are offered.
      await expect.poll(() => advice.getByText('正在查找其他时段的空位…').count()).toBe(0);
      expect(await advice.getByTestId('locker-advice-window').count()).toBe(0);
      await advice.getByTestId('locker-advice-home').waitFor();
      await choice.getByTestId('locker-consent').click();
      await cart
        .getByTestId('cart-problem')
        .getByText('所选生鲜柜空位不足，请按提示更换生鲜柜、时段或配送方式')
        .waitFor();
      expect(await cart.getByTestId('cart-submit').getAttribute('class')).toContain('btn--disabled');
      await shot(page, 'cart-full');

      await advice.getByTestId('locker-advice-shop_pickup').click();
      expect(await cart.getByTestId('locker-choice').count()).toBe(0);
      await expect.poll(() => cart.getByTestId('cart-problem').count()).toBe(0);
      await cart.getByTestId('cart-submit').click();
      await page.locator('[data-testid="pay-sheet"]:visible').getByTestId('pay-confirm').click();
      const order = onPage(page, 'order');
      await order
        .getByTestId('order-status')
        .getByText('待接单', { exact: true })
        .waitFor({ timeout: 15_000 });
      await order.getByTestId('order-delivery').getByText('到店自提', { exact: true }).waitFor();
      expect(await order.getByTestId('locker-section').count()).toBe(0);

      // The server agrees: a locker order for that bank is refused as full.
      const merchants = await apiAs(e, '13800000012', 'GET', '/v1/merchants?category=produce');
      const shop = merchants.items.find((m: { name: string }) => m.name === '菜宅送');
      const products = await apiAs(
        e,
        '13800000012',
        'GET',
        `/v1/products?merchantId=${shop.id}&q=${encodeURIComponent('小白菜')}`,
      );
      const { authorization } = await e.t.login('13800000012');
      const refused = await e.t.call({
        method: 'POST',
        url: '/v1/orders',
        payload: {
          merchantId: shop.id,
          items: [{ productId: products.items[0].id, quantity: 6 }],
          delivery: { mode: 'locker', windowId: target.windowId, lockerBankId: target.bankId, consent: true },
        },
        headers: { authorization, 'idempotency-key': `e2e-full-${Date.now()}` },
      });
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('LOCKER_FULL');

      expect(errors).toEqual([]);
      await context.close();
    } finally {
      await setService(true);
    }
  });

  it('an order left past its free time: the resident extends once for the fee, then opens the locker from the app', async () => {
    const phone = '13800000011';
    const placed = await placeLockerOrder(e, phone);
    const batchId = await cutOff(e, placed);
    await dropBatch(e, batchId);
    const dropped = await apiAs(e, phone, 'GET', `/v1/orders/${placed.id}`);
    expect(dropped.status).toBe('in_locker');

    // The free time runs out: the clock passes the deadline and the overdue job runs.
    e.t.clock.set(new Date(new Date(dropped.locker.deadline).getTime() + 1000));
    try {
      await e.t.deps.queues
        .get('lockers')
        .add('locker.overdue', { orderId: placed.id, deadline: dropped.locker.deadline });
      await expect
        .poll(async () => (await apiAs(e, phone, 'GET', `/v1/orders/${placed.id}`)).status, {
          timeout: 15_000,
          interval: 250,
        })
        .toBe('overdue');
    } finally {
      e.t.clock.set(new Date());
    }

    const { context, page, errors } = await e.phone();
    await loginByPhone(page, e.base, phone);
    await page.goto(`${e.base}/#/shop/order?id=${placed.id}`);
    const order = onPage(page, 'order');
    await order.getByTestId('order-status').getByText('超时未取', { exact: true }).waitFor();
    const section = order.getByTestId('locker-section');
    await expect
      .poll(() => section.getByTestId('locker-deadline').textContent())
      .toMatch(/^免费保管已于 .+ 到期$/);
    await section.getByTestId('locker-extend-fee').getByText('费用 ¥2', { exact: false }).waitFor();
    await section.getByTestId('locker-extend').getByText('延长保管（¥2）').waitFor();
    // Staff see it in the overdue list, with the resident and the compartment.
    const staff = await e.phone();
    await loginByPhone(staff.page, e.base, STAFF_PHONE);
    await staff.page.goto(`${e.base}/#/staff/batches`);
    const overdueRow = onPage(staff.page, 'staff-batches').getByTestId(`overdue-${placed.id}`);
    await overdueRow.getByText(`${placed.bankName} · ${dropped.locker.compartments[0]} 号`).waitFor();
    await overdueRow.getByText('菜宅送', { exact: false }).waitFor();
    await shot(staff.page, 'staff-overdue');
    expect(staff.errors).toEqual([]);
    await staff.context.close();
    // The code still opens the locker while it is overdue.
    expect(await section.getByTestId('locker-code').textContent()).toMatch(/^\d{6}$/);
    await shot(page, 'overdue');

    // 延长保管: the fee is shown before, and it can be done once.
    await section.getByTestId('locker-extend').click();
    await page.getByText('延长保管需支付 ¥2，只能延长一次。确定延长吗？').waitFor();
    await page.getByText('确定', { exact: true }).last().click();
    // The fee is paid like an order (devpay's sheet here); the money arriving is what extends it.
    await page.getByTestId('pay-amount').getByText('¥2', { exact: false }).waitFor();
    await page.getByTestId('pay-confirm').click();
    await order.getByTestId('order-status').getByText('已入柜', { exact: true }).waitFor();
    await expect.poll(() => section.getByTestId('locker-deadline').textContent()).toMatch(/（已延长）$/);
    await section.getByTestId('locker-extension-payment').getByText('¥2，已支付').waitFor();
    expect(await section.getByTestId('locker-extend').count()).toBe(0);
    await order.getByTestId('order-timeline').getByText('已延长保管').waitFor();
    const extended = await apiAs(e, phone, 'GET', `/v1/orders/${placed.id}`);
    expect(extended.locker.extended).toBe(true);
    expect(new Date(extended.locker.deadline).getTime()).toBeGreaterThan(Date.now());

    // 在柜机旁开柜: confirmed first; the compartment opens and the order is picked up.
    await section.getByTestId('locker-open').click();
    await page
      .getByText(`请确认您正站在「${placed.bankName}」旁。开柜后请及时取走商品并关好柜门。`)
      .waitFor();
    await page.getByText('开柜', { exact: true }).last().click();
    await order.getByTestId('order-status').getByText('已取货', { exact: true }).waitFor();
    expect(await order.getByTestId('locker-code').count()).toBe(0);
    expect(await order.getByTestId('locker-open').count()).toBe(0);

    expect(errors).toEqual([]);
    await context.close();
  });

  it('an overdue order is taken out on the next run: the courier retrieves it, the resident sees 已退回 and may ask for a refund', async () => {
    const phone = '13800000013';
    const first = await placeLockerOrder(e, phone);
    await dropBatch(e, await cutOff(e, first));
    const dropped = await apiAs(e, phone, 'GET', `/v1/orders/${first.id}`);
    e.t.clock.set(new Date(new Date(dropped.locker.deadline).getTime() + 1000));
    try {
      await e.t.deps.queues
        .get('lockers')
        .add('locker.overdue', { orderId: first.id, deadline: dropped.locker.deadline });
      await expect
        .poll(async () => (await apiAs(e, phone, 'GET', `/v1/orders/${first.id}`)).status, {
          timeout: 15_000,
          interval: 250,
        })
        .toBe('overdue');
    } finally {
      e.t.clock.set(new Date());
    }

    // The next run: another resident's order makes the next batch; the courier starts it in the app.
    const next = await placeLockerOrder(e, RESIDENT);
    const batchId = await cutOff(e, next);
    const { context, page, errors } = await e.phone();
    await loginByPhone(page, e.base, COURIER_PHONE);
    await page.goto(`${e.base}/#/courier/batch?id=${batchId}`);
    const batch = onPage(page, 'courier-batch');
    const row = batch.getByTestId(`retrieval-${first.id}`);
    await row.getByText(`${first.bankName} · ${dropped.locker.compartments[0]} 号`).waitFor();
    await row.getByText('生鲜', { exact: true }).waitFor();
    expect(await row.getByTestId('retrieval-open').count()).toBe(0);
    await batch.getByTestId('batch-start').click();
    await batch.getByTestId('batch-status').getByText('配送中', { exact: true }).waitFor();
    await row.getByTestId('retrieval-open').click();
    await expect.poll(() => batch.getByTestId(`retrieval-${first.id}`).count(), { timeout: 10_000 }).toBe(0);
    await shot(page, 'courier-retrieved');

    // The resident: 已退回, and 申请退款 is offered.
    const resident = await e.phone();
    await loginByPhone(resident.page, e.base, phone);
    await resident.page.goto(`${e.base}/#/shop/order?id=${first.id}`);
    const order = onPage(resident.page, 'order');
    await order.getByTestId('order-status').getByText('已退回', { exact: true }).waitFor();
    await order.getByText('超时未取，商品已退回商家。').waitFor();
    expect(await order.getByTestId('locker-code').count()).toBe(0);
    await order.getByTestId('refund-open').waitFor();

    expect(errors).toEqual([]);
    expect(resident.errors).toEqual([]);
    await context.close();
    await resident.context.close();
  });

  it("staff run the lockers: a compartment and a whole bank out of service and back, a new device secret, a new bank, a new schedule, 立即截单, the day's batches", async () => {
    const { context, page, errors } = await e.phone();
    /** Taro's H5 modal is its own element: tap its confirm button. */
    const confirmModal = (text = '确定') => page.getByText(text, { exact: true }).last().click();
    await loginByPhone(page, e.base, STAFF_PHONE);
    await page.getByText('我的', { exact: true }).click();
    await onPage(page, 'mine').getByTestId('mine-staff-lockers').click();

    // 生鲜柜管理: 梧桐院's bank (no other test orders there).
    const lockers = onPage(page, 'staff-lockers');
    const bank = lockers.locator('[data-testid^="bank-"]').filter({ hasText: '梧桐院生鲜柜' }).first();
    await bank.getByTestId('bank-grid').waitFor();
    expect(await bank.locator('.cell').count()).toBe(30);
    await bank.getByText('共 30 格：空闲 30 · 已预留 0 · 已存放 0 · 停用 0').waitFor();
    const cell = bank.getByTestId('cell-A01');
    await cell.click();
    await confirmModal();
    await expect.poll(() => cell.getAttribute('data-state')).toBe('out_of_service');
    await bank.getByText('共 30 格：空闲 29 · 已预留 0 · 已存放 0 · 停用 1').waitFor();
    await cell.click();
    await confirmModal();
    await expect.poll(() => cell.getAttribute('data-state')).toBe('free');

    await bank.getByTestId('bank-toggle').click();
    await confirmModal();
    await bank.getByTestId('bank-status').getByText('已停用', { exact: true }).waitFor();
    await bank.getByTestId('bank-toggle').click();
    await confirmModal();
    await bank.getByTestId('bank-status').getByText('使用中', { exact: true }).waitFor();

    // 重置设备密钥: shown once; the panel's requests signed with it are accepted (a wrong code is
    // refused as a wrong code, not as a bad signature).
    await bank.getByTestId('bank-rotate').click();
    await confirmModal('重置');
    const secretCard = lockers.getByTestId('secret-card');
    const secret = (await secretCard.getByTestId('secret-value').textContent())!;
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    await secretCard.getByTestId('secret-copy').waitFor();
    const bankId = (await bank.getAttribute('data-testid'))!.replace('bank-', '');
    const signed = await panelPickup(e, bankId, '000000', secret);
    expect(signed.first.status).not.toBe(401);
    expect(signed.first.status).toBeGreaterThanOrEqual(400);
    await shot(page, 'staff-secret');
    await secretCard.getByTestId('secret-close').click();
    expect(await lockers.getByTestId('secret-card').count()).toBe(0);

    // 新增生鲜柜 in 玉兰院 with the default compartments (10 + 8 + 4).
    await lockers.getByTestId('bank-add-open').click();
    const form = lockers.getByTestId('bank-form');
    await form.getByTestId('bank-form-submit').click();
    await form.getByTestId('bank-form-compound-error').getByText('请选择小区').waitFor();
    await form.getByTestId('bank-form-compound').getByText('玉兰院', { exact: false }).click();
    await form.getByTestId('bank-form-name').locator('input').fill('玉兰院南门生鲜柜');
    await form.getByTestId('bank-form-location').locator('input').fill('玉兰院南门保安亭旁');
    await form.getByTestId('bank-form-submit').click();
    await lockers.getByTestId('secret-card').getByText('「玉兰院南门生鲜柜」的设备密钥').waitFor();
    const added = lockers.locator('[data-testid^="bank-"]').filter({ hasText: '玉兰院南门生鲜柜' }).first();
    await added.getByText('共 22 格：空闲 22 · 已预留 0 · 已存放 0 · 停用 0').waitFor();
    await shot(page, 'staff-lockers');

    // 配送时段: a Sunday-only schedule delivered the next day, shown in the list.
    await page.goto(`${e.base}/#/staff/windows`);
    const windows = onPage(page, 'staff-windows');
    await windows.getByTestId('schedules').getByText('每天 22:00 截单 · 次日 10:00 送达').waitFor();
    await windows.getByTestId('schedule-add-open').click();
    const sform = windows.getByTestId('schedule-form');
    for (const d of [1, 2, 3, 4, 5, 6]) await sform.getByTestId(`schedule-weekdays-${d}`).click();
    await sform.getByTestId('schedule-day-next').click();
    await sform.getByText('预览：周日 14:00 截单 · 次日 17:30 送达').waitFor();
    await sform.getByTestId('schedule-submit').click();
    await windows.getByTestId('schedules').getByText('周日 14:00 截单 · 次日 17:30 送达').waitFor();

    // 立即截单 on the last open window: closed, and its batch is made at once.
    const open = windows
      .locator('[data-testid^="window-"]')
      .filter({ has: page.getByTestId('window-close') });
    const last = open.last();
    const windowId = (await last.getAttribute('data-testid'))!.replace('window-', '');
    await last.getByTestId('window-close').click();
    await confirmModal('截单');
    await windows
      .getByTestId(`window-${windowId}`)
      .getByText('已截单', { exact: true })
      .waitFor({ timeout: 10_000 });
    await shot(page, 'staff-windows');

    // 配送批次 on the closed window's delivery day: its (empty) batch is listed; overdue list shown.
    const staffWindows = await apiAs(e, STAFF_PHONE, 'GET', '/v1/staff/delivery-windows');
    const closed = staffWindows.windows.find((w: { id: string }) => w.id === windowId);
    const deliveryDay = localClock(new Date(closed.deliverAt)).date;
    await page.goto(`${e.base}/#/staff/batches`);
    const batches = onPage(page, 'staff-batches');
    const overdueCard = batches.getByTestId('overdue-orders');
    await overdueCard.getByText('超时未取的订单', { exact: true }).waitFor();
    await expect.poll(() => overdueCard.getByTestId('loading').count()).toBe(0);
    const today = localClock(new Date()).date;
    const days = Math.round((Date.parse(deliveryDay) - Date.parse(today)) / 86_400_000);
    for (let i = 0; i < days; i++) await batches.getByTestId('batch-date-next').click();
    await batches.getByTestId('batch-date-picker').getByText(deliveryDay, { exact: false }).waitFor();
    await expect
      .poll(() => batches.locator('[data-testid^="staff-batch-"]').count(), { timeout: 10_000 })
      .toBeGreaterThan(0);
    await batches.getByText('配送员：张师傅').first().waitFor();
    await shot(page, 'staff-batches');

    expect(errors).toEqual([]);
    await context.close();
  });
});

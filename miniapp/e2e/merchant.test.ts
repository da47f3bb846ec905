import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { uploadPhotos } from '../../bff/test/fixtures/uploads';
import { e2eSuite, elderSizeProblems, H5_DIST, loginByPhone, onPage, turnOnElderMode } from './harness';

const e = e2eSuite();

const MERCHANT_PHONE = '13800000002'; // 菜宅送: open around the clock, ¥15 minimum, shop pickup
const STAFF_PHONE = '13800000001';
const SHOP_NAME = '菜宅送';

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(H5_DIST, '..', `e2e-merchant-${name}.png`) });

type Auth = { authorization: string; userId: string };

/** A paid shop-pickup order at 菜宅送, placed through the API by a resident. */
async function paidOrder(residentPhone: string, productName: string, quantity: number) {
  const me: Auth = await e.t.login(residentPhone);
  const headers = { authorization: me.authorization };
  const shops = await e.t.call({ method: 'GET', url: '/v1/merchants', headers });
  const shop = shops.body.items.find((m: { name: string }) => m.name === SHOP_NAME);
  const products = await e.t.call({
    method: 'GET',
    url: `/v1/products?merchantId=${shop.id}&limit=100`,
    headers,
  });
  const product = products.body.items.find((p: { name: string }) => p.name === productName);
  const placed = await e.t.call({
    method: 'POST',
    url: '/v1/orders',
    headers: { ...headers, 'idempotency-key': randomBytes(12).toString('hex') },
    payload: {
      merchantId: shop.id,
      items: [{ productId: product.id, quantity }],
      delivery: { mode: 'shop_pickup' },
    },
  });
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  const pay = await e.t.call({
    method: 'POST',
    url: `/v1/orders/${placed.body.id}/pay`,
    headers,
    payload: {},
  });
  const confirmed = await e.t.call({
    method: 'POST',
    url: `/v1/payments/${pay.body.paymentId}/dev-confirm`,
    headers,
    payload: {},
  });
  expect(confirmed.body.status).toBe('paid');
  return { id: placed.body.id as string, me };
}

/** The elder-mode check shared with elder-mode.test.ts, each problem named by its page. */
async function tooSmall(page: Page, name: string): Promise<string[]> {
  return (await elderSizeProblems(page, name)).map((p) => `${name}: ${p}`);
}

async function visitElder(page: Page, hash: string, name: string, ready?: string): Promise<string[]> {
  await page.goto(`${e.base}/#${hash}`);
  if (ready) await onPage(page, name).getByTestId(ready).first().waitFor();
  const problems = await tooSmall(page, name);
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(H5_DIST, '..', `e2e-elder-${name}.png`), fullPage: true });
  return problems;
}

describe('merchant workspace (商家工作台)', () => {
  it('the produce merchant edits stock and price in place, takes a product off the shelf, and adds one', async () => {
    const { context, page, errors } = await e.phone();
    await loginByPhone(page, e.base, MERCHANT_PHONE);

    // 我的 → 商家工作台 → 商品管理.
    await page.getByText('我的', { exact: true }).click();
    await onPage(page, 'mine').getByTestId('mine-merchant-products').click();
    const products = onPage(page, 'merchant-products');
    await products.getByTestId('shop-header').getByText(SHOP_NAME).waitFor();
    const card = products.locator('[data-testid^="merchant-product-"]').filter({ hasText: '黄瓜' });
    await card.getByTestId('product-stock-text').getByText('库存 240斤').waitFor();

    // The save button waits for a change; a bad price is refused next to the field.
    expect(await card.getByTestId('quick-save').getAttribute('class')).toContain('btn--disabled');
    await card.getByTestId('quick-stock').locator('input').fill('37');
    await card.getByTestId('quick-price').locator('input').fill('3.456');
    await card.getByTestId('quick-save').click();
    await card.getByText('金额最多两位小数').waitFor();
    // '2.9' is 290 fen exactly.
    await card.getByTestId('quick-price').locator('input').fill('2.9');
    await card.getByTestId('quick-save').click();
    await card.getByTestId('product-stock-text').getByText('库存 37斤').waitFor();
    await card.getByText('¥2.9/斤').waitFor();
    await shot(page, 'products');

    // Still there after a reload: the server has it.
    await page.reload();
    const reloaded = onPage(page, 'merchant-products')
      .locator('[data-testid^="merchant-product-"]')
      .filter({ hasText: '黄瓜' });
    await reloaded.getByTestId('product-stock-text').getByText('库存 37斤').waitFor();
    await reloaded.getByText('¥2.9/斤').waitFor();
    const seen = await e.t.call({
      method: 'GET',
      url: '/v1/merchant/products',
      headers: { authorization: (await e.t.login(MERCHANT_PHONE)).authorization },
    });
    expect(seen.body.items.find((p: { name: string }) => p.name === '顶花带刺黄瓜')).toMatchObject({
      stock: 37,
      priceFen: 290,
    });

    // Below the low-stock threshold: warned.
    await reloaded.getByTestId('quick-stock').locator('input').fill('3');
    await reloaded.getByTestId('quick-save').click();
    await reloaded.getByTestId('low-stock').waitFor();
    await reloaded.getByText('库存紧张', { exact: true }).waitFor();

    // 下架 and back.
    await reloaded.getByTestId('toggle-shelf').click();
    await reloaded.getByTestId('product-off-shelf').waitFor();
    await reloaded.getByTestId('toggle-shelf').getByText('上架', { exact: true }).click();
    await expect.poll(() => reloaded.getByTestId('product-off-shelf').count()).toBe(0);

    // 添加商品: field errors first, then a product with an exact price.
    const list = onPage(page, 'merchant-products');
    await list.getByTestId('product-add').click();
    const form = list.getByTestId('product-form');
    await form.getByTestId('product-submit').click();
    await form.getByTestId('field-name-error').waitFor();
    await form.getByTestId('field-price-error').waitFor();
    await form.getByTestId('product-name').locator('input').fill('新鲜香菜');
    await form.getByText('蔬菜', { exact: true }).click();
    await form.getByText('把', { exact: true }).click();
    await form.getByTestId('product-price').locator('input').fill('1.15');
    await form.getByTestId('product-original-price').locator('input').fill('1');
    await form.getByTestId('product-stock').locator('input').fill('40');
    await form.getByTestId('product-temperature').getByText('冷藏', { exact: true }).click();
    await form.getByTestId('product-submit').click();
    await form.getByText('原价不能低于售价').waitFor();
    await form.getByTestId('product-original-price').locator('input').fill('');
    await form.getByTestId('product-submit').click();
    const added = list.locator('[data-testid^="merchant-product-"]').filter({ hasText: '新鲜香菜' });
    await added.getByText('¥1.15/把').waitFor();
    await added.getByTestId('product-stock-text').getByText('库存 40把').waitFor();
    const after = await e.t.call({
      method: 'GET',
      url: '/v1/merchant/products',
      headers: { authorization: (await e.t.login(MERCHANT_PHONE)).authorization },
    });
    expect(after.body.items.find((p: { name: string }) => p.name === '新鲜香菜')).toMatchObject({
      priceFen: 115,
      stock: 40,
      temperature: 'chilled',
      unit: '把',
      category: '蔬菜',
    });

    expect(errors).toEqual([]);
    await context.close();
  });

  it('takes an order from 待接单 to handed over: 接单, 备货完成, 核销取货码; a wrong code is refused', async () => {
    const order = await paidOrder('13800000013', '沙瓤西红柿', 4);
    const { context, page, errors } = await e.phone();
    await loginByPhone(page, e.base, MERCHANT_PHONE);
    await page.goto(`${e.base}/#/merchant/orders`);
    const orders = onPage(page, 'merchant-orders');
    await orders.getByTestId('order-badge-paid').waitFor();
    const card = orders.getByTestId(`merchant-order-${order.id}`);
    await card.getByText('沙瓤西红柿 × 4斤').waitFor();
    await card.getByTestId('order-total').getByText('¥18', { exact: true }).waitFor();
    await card.getByText('配送方式：到店自提').waitFor();
    await card.getByText('周杰（138****0013）').waitFor();
    await shot(page, 'orders');

    await card.getByTestId('order-accept').click();
    await orders.getByTestId('order-tab-accepted').click();
    const accepted = orders.getByTestId(`merchant-order-${order.id}`);
    await accepted.getByText('备货中', { exact: true }).waitFor();
    await accepted.getByTestId('order-pack').click();
    await orders.getByTestId('order-tab-packed').click();
    await orders.getByTestId(`merchant-order-${order.id}`).getByText('待取货', { exact: true }).waitFor();

    const mine = await e.t.call({
      method: 'GET',
      url: `/v1/orders/${order.id}`,
      headers: { authorization: order.me.authorization },
    });
    const code: string = mine.body.pickupCode;
    expect(code).toMatch(/^\d{6}$/);

    const verifier = orders.getByTestId('pickup-verifier');
    await verifier
      .getByTestId('pickup-code')
      .locator('input')
      .fill(code === '000000' ? '000001' : '000000');
    await verifier.getByTestId('pickup-verify').click();
    await verifier.getByTestId('pickup-error').getByText('取货码不正确').waitFor();
    await verifier.getByTestId('pickup-code').locator('input').fill(code);
    await verifier.getByTestId('pickup-verify').click();
    await verifier.getByTestId('pickup-done').getByText('已交付给 周杰（138****0013）').waitFor();
    await expect.poll(() => orders.getByTestId(`merchant-order-${order.id}`).count()).toBe(0);
    await orders.getByTestId('order-tab-done').click();
    await orders.getByTestId(`merchant-order-${order.id}`).getByText('已取货', { exact: true }).waitFor();

    // 经营数据: the order counts today.
    await page.goto(`${e.base}/#/merchant/stats`);
    const stats = onPage(page, 'merchant-stats');
    await expect.poll(() => stats.getByTestId('stats-orders').textContent()).not.toBe('0');
    await stats.getByTestId('stats-top').getByText('1. 沙瓤西红柿').waitFor();
    await stats.getByTestId('revenue-chart').waitFor();
    await shot(page, 'stats');

    expect(errors).toEqual([]);
    await context.close();
  });

  it('rejects an order with a reason: the stock comes back and the resident is refunded', async () => {
    const stockOf = async (name: string) => {
      const res = await e.t.call({
        method: 'GET',
        url: '/v1/merchant/products',
        headers: { authorization: (await e.t.login(MERCHANT_PHONE)).authorization },
      });
      return res.body.items.find((p: { name: string }) => p.name === name).stock as number;
    };
    const before = await stockOf('黄心土豆');
    const order = await paidOrder('13800000014', '黄心土豆', 8);
    expect(await stockOf('黄心土豆')).toBe(before - 8);
    const { context, page, errors } = await e.phone();
    await loginByPhone(page, e.base, MERCHANT_PHONE);
    await page.goto(`${e.base}/#/merchant/orders`);
    const orders = onPage(page, 'merchant-orders');
    const card = orders.getByTestId(`merchant-order-${order.id}`);
    await card.getByTestId('order-reject').click();
    await card.getByText('拒单后，订单占用的库存会自动释放，顾客已付的款项将原路退回。').waitFor();
    await card.getByTestId('reject-confirm').click();
    await card.getByText('请选择或填写拒单原因').waitFor();
    await card.getByText('商品已售完', { exact: true }).click();
    await card.getByTestId('reject-confirm').click();
    await expect.poll(() => orders.getByTestId(`merchant-order-${order.id}`).count()).toBe(0);
    await orders.getByTestId('order-tab-cancelled').click();
    await orders.getByTestId(`merchant-order-${order.id}`).getByText('取消原因：商家拒单').waitFor();

    const mine = await e.t.call({
      method: 'GET',
      url: `/v1/orders/${order.id}`,
      headers: { authorization: order.me.authorization },
    });
    expect(mine.body.status).toBe('cancelled');
    expect(mine.body.cancelReason).toBe('merchant');
    expect(mine.body.payment.status).toMatch(/^refund/);
    expect(await stockOf('黄心土豆')).toBe(before);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('answers refund requests: a badge on 退款, the reason and photo, 拒绝 with a reason and 同意退款', async () => {
    const owner = { authorization: (await e.t.login(MERCHANT_PHONE)).authorization };
    const ask = async (resident: string, reason: string) => {
      const order = await paidOrder(resident, '攀枝花凯特芒', 2);
      const accepted = await e.t.call({
        method: 'POST',
        url: `/v1/merchant/orders/${order.id}/accept`,
        headers: owner,
        payload: {},
      });
      expect(accepted.status).toBe(200);
      const asked = await e.t.call({
        method: 'POST',
        url: `/v1/orders/${order.id}/refund-request`,
        headers: { authorization: order.me.authorization },
        // Photos are uploads: one goes up first, as the app sends it.
        payload: { reason, photos: await uploadPhotos(e.t, order.me) },
      });
      expect(asked.status, JSON.stringify(asked.body)).toBe(200);
      return order;
    };
    const first = await ask('13800000016', '芒果有两个烂了');
    const second = await ask('13800000017', '买多了');

    const { context, page, errors } = await e.phone();
    await loginByPhone(page, e.base, MERCHANT_PHONE);
    await page.goto(`${e.base}/#/merchant/orders`);
    const orders = onPage(page, 'merchant-orders');
    await orders.getByTestId('order-badge-refund').getByText('2', { exact: true }).waitFor();
    await orders.getByTestId('order-tab-refund').click();

    const one = orders.getByTestId(`merchant-order-${first.id}`);
    await one.getByTestId('order-refund').getByText('原因：芒果有两个烂了').waitFor();
    expect(await one.locator('.m-photo').count()).toBe(1);
    await one.getByTestId('refund-approve').click();
    await page.getByText('确定', { exact: true }).last().click();
    await one.getByTestId('order-refund').getByText('已同意', { exact: true }).waitFor();
    await one.getByText('已退款', { exact: true }).waitFor();

    const two = orders.getByTestId(`merchant-order-${second.id}`);
    await two.getByTestId('refund-reject').click();
    await two.getByTestId('refund-reject-confirm').click();
    await two.getByText('请填写拒绝退款的原因').waitFor();
    await two.getByTestId('refund-reject-reason').locator('input').fill('商品已备好，无质量问题');
    await two.getByTestId('refund-reject-confirm').click();
    await two.getByTestId('order-refund').getByText('已拒绝', { exact: true }).waitFor();
    await two.getByText('处理说明：商品已备好，无质量问题').waitFor();
    await expect.poll(() => orders.getByTestId('order-badge-refund').count()).toBe(0);
    await shot(page, 'refunds');

    expect(errors).toEqual([]);
    await context.close();
  });

  it('pauses and resumes the shop and saves the hours', async () => {
    const { context, page, errors } = await e.phone();
    await loginByPhone(page, e.base, MERCHANT_PHONE);
    await page.goto(`${e.base}/#/merchant/hours`);
    const hours = onPage(page, 'merchant-hours');
    const status = hours.getByTestId('shop-status-card');
    await status.getByTestId('shop-status-text').getByText('营业中').waitFor();
    await status.getByTestId('shop-pause').click();
    await page.getByText('确定', { exact: true }).last().click();
    await status.getByTestId('shop-status-text').getByText('暂停营业').waitFor();
    await status.getByTestId('shop-resume').click();
    await status.getByTestId('shop-status-text').getByText('营业中').waitFor();

    // Sunday off and a higher minimum order; the description survives the PATCHes.
    await hours.getByTestId('day-7-closed').click();
    await hours.getByTestId('min-order').locator('input').fill('20');
    await hours.getByTestId('hours-save').click();
    await expect
      .poll(async () => (await hours.getByTestId('hours-save').textContent())?.trim())
      .toBe('保存设置（未修改）');
    const shop = await e.t.call({
      method: 'GET',
      url: '/v1/merchant/profile',
      headers: { authorization: (await e.t.login(MERCHANT_PHONE)).authorization },
    });
    expect(shop.body.status).toBe('open');
    expect(shop.body.minOrderFen).toBe(2000);
    expect(shop.body.hours.weekly.filter((p: { day: number }) => p.day === 7)).toEqual([]);
    expect(shop.body.hours.weekly).toHaveLength(6);
    expect(shop.body.description).toContain('农场直供');
    await shot(page, 'hours');

    // Back to around the clock and ¥15, for the tests after this one.
    const restored = await e.t.call({
      method: 'PATCH',
      url: '/v1/merchant/profile',
      headers: { authorization: (await e.t.login(MERCHANT_PHONE)).authorization },
      payload: {
        description: shop.body.description,
        minOrderFen: 1500,
        hours: {
          weekly: [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, open: '00:00', close: '24:00' })),
          closedDates: [],
        },
      },
    });
    expect(restored.status).toBe(200);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('opening a shop (我要开店) and staff verification (商家审核)', () => {
  it('a new owner applies in the app, waits for review; staff verify it; the owner gets the workspace', async () => {
    const phone = `139${String(Date.now()).slice(-8)}`;
    const owner = await e.phone();
    const staff = await e.phone();
    const { page } = owner;
    const shopName = `老街烘焙${phone.slice(-4)}`;

    await loginByPhone(page, e.base, phone);
    await page.getByText('我的', { exact: true }).click();
    await onPage(page, 'mine').getByTestId('mine-merchant-apply').click();
    const apply = onPage(page, 'merchant-apply');
    await apply.getByTestId('apply-form').waitFor();
    await apply.getByTestId('apply-hours-summary').getByText('每天 08:00-20:00').waitFor();

    await apply.getByTestId('apply-submit').click();
    await apply.getByTestId('field-shop-name-error').waitFor();
    await apply.getByTestId('field-communities-error').waitFor();

    await apply.getByTestId('apply-name').locator('input').fill(shopName);
    await apply.getByTestId('apply-category').getByText('烘焙', { exact: true }).click();
    await apply.getByTestId('apply-phone').locator('input').fill('13912345678');
    await apply.getByTestId('apply-address').locator('input').fill('成都市青羊区黌门街 8 号');
    await apply.getByTestId('apply-communities').getByText('黌门街社区', { exact: true }).click();
    await apply.getByTestId('apply-min-order').locator('input').fill('12.5');
    await apply.getByTestId('apply-submit').click();
    await apply.getByTestId('apply-pending').getByText('等待社区审核').waitFor();
    await apply.getByText('营业时间：每天 08:00-20:00').waitFor();
    await shot(page, 'apply-pending');

    // Staff, on a second phone: 我的 → 商家审核 → 审核通过.
    await loginByPhone(staff.page, e.base, STAFF_PHONE);
    await staff.page.getByText('我的', { exact: true }).click();
    await onPage(staff.page, 'mine').getByTestId('mine-staff-merchants').click();
    const review = onPage(staff.page, 'staff-merchants');
    const card = review.locator('[data-testid^="merchant-review-"]').filter({ hasText: shopName });
    await card.getByText('类别：烘焙').waitFor();
    await card.getByText('服务社区：黌门街社区').waitFor();
    await card.getByText('起送：¥12.5').waitFor();
    await card.getByText(`（${phone.slice(0, 3)}****${phone.slice(7)}）`, { exact: false }).waitFor();
    await shot(staff.page, 'staff-review');
    await card.getByTestId('merchant-verify').click();
    await staff.page.getByText('通过', { exact: true }).last().click();
    await expect.poll(() => card.count(), { timeout: 10_000 }).toBe(0);
    await review.getByTestId('staff-merchant-filter').getByText('营业中', { exact: true }).click();
    await review
      .locator('[data-testid^="merchant-review-"]')
      .filter({ hasText: shopName })
      .getByText('营业中', { exact: true })
      .waitFor();

    // The owner: the shop is open, and 我的 now has the workspace.
    await page.reload();
    await onPage(page, 'merchant-apply').getByTestId('apply-state').getByText('营业中').waitFor();
    await page.goto(`${e.base}/#/pages/mine/index`);
    await onPage(page, 'mine').getByTestId('mine-merchant-orders').waitFor();
    expect(await onPage(page, 'mine').getByTestId('mine-merchant-apply').count()).toBe(0);
    await page.goto(`${e.base}/#/merchant/products`);
    await onPage(page, 'merchant-products').getByText('还没有商品，点击「添加商品」上架第一件吧').waitFor();

    expect(owner.errors).toEqual([]);
    expect(staff.errors).toEqual([]);
    await owner.context.close();
    await staff.context.close();
  });
});

describe('长辈模式 (elder mode) on every merchant page', () => {
  it('merchant workspace, the apply form and the staff review page', async () => {
    await paidOrder('13800000015', '本地小白菜', 6);

    const merchant = await e.phone();
    await loginByPhone(merchant.page, e.base, MERCHANT_PHONE);
    await turnOnElderMode(merchant.page);
    const problems = [
      ...(await visitElder(merchant.page, '/pages/mine/index', 'mine', 'mine-merchant-orders')),
      ...(await visitElder(merchant.page, '/merchant/orders', 'merchant-orders', 'order-accept')),
      ...(await visitElder(merchant.page, '/merchant/products', 'merchant-products', 'quick-save')),
      ...(await visitElder(merchant.page, '/merchant/hours', 'merchant-hours', 'hours-editor')),
      ...(await visitElder(merchant.page, '/merchant/stats', 'merchant-stats', 'revenue-chart')),
      ...(await visitElder(merchant.page, '/merchant/apply', 'merchant-apply', 'apply-state')),
    ];
    // The forms opened up: reject reason, product form.
    await merchant.page.goto(`${e.base}/#/merchant/orders`);
    const orders = onPage(merchant.page, 'merchant-orders');
    await orders.getByTestId('order-reject').first().click();
    await orders.getByTestId('reject-form').waitFor();
    problems.push(...(await tooSmall(merchant.page, 'merchant-orders')));
    await merchant.page.goto(`${e.base}/#/merchant/products`);
    const products = onPage(merchant.page, 'merchant-products');
    await products.getByTestId('product-add').click();
    await products.getByTestId('product-submit').click();
    await products.getByTestId('field-name-error').waitFor();
    problems.push(...(await tooSmall(merchant.page, 'merchant-products')));

    // A newcomer's apply form, and staff reviewing it.
    const newcomer = await e.phone();
    const phone = `137${String(Date.now()).slice(-8)}`;
    await loginByPhone(newcomer.page, e.base, phone);
    await turnOnElderMode(newcomer.page);
    problems.push(...(await visitElder(newcomer.page, '/merchant/apply', 'merchant-apply', 'apply-form')));
    const apply = onPage(newcomer.page, 'merchant-apply');
    await apply.getByTestId('apply-edit-hours').click();
    await apply.getByTestId('hours-editor').waitFor();
    problems.push(...(await tooSmall(newcomer.page, 'merchant-apply')));
    // Apply through the API so staff have a card to review.
    const auth = await e.t.login(phone);
    const communities = await e.t.call({ method: 'GET', url: '/v1/communities', headers: auth });
    const applied = await e.t.call({
      method: 'POST',
      url: '/v1/merchants',
      headers: { authorization: auth.authorization },
      payload: {
        name: '社区修鞋铺',
        category: 'repairs',
        contactPhone: phone,
        address: '黌门街 3 号',
        lat: 30.65,
        lng: 104.06,
        hours: { weekly: [{ day: 1, open: '09:00', close: '18:00' }], closedDates: [] },
        communityIds: [communities.body.items[0].id],
        delivery: { shopPickup: true, home: null, locker: false },
      },
    });
    expect(applied.status, JSON.stringify(applied.body)).toBe(201);

    const staff = await e.phone();
    await loginByPhone(staff.page, e.base, STAFF_PHONE);
    await turnOnElderMode(staff.page);
    problems.push(
      ...(await visitElder(staff.page, '/staff/merchants', 'staff-merchants', 'merchant-verify')),
    );

    expect(problems).toEqual([]);
    expect(merchant.errors).toEqual([]);
    expect(newcomer.errors).toEqual([]);
    expect(staff.errors).toEqual([]);
    await merchant.context.close();
    await newcomer.context.close();
    await staff.context.close();
  });
});

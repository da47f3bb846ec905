import { eq } from 'drizzle-orm';
import { localClock } from 'shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idempotencyKeys, merchants, orders, payments, products, refunds } from '../../src/db/schema';
import {
  ALWAYS_OPEN,
  makeShop,
  newKey,
  orderBody,
  orderStatus,
  payOrder,
  placeOrder,
  stockOf,
  type TestShop,
} from '../fixtures/market';
import { bearer, demoHouseholds, freshPhone, PHONES, TEST_ENV } from '../fixtures/people';
import { uploadDir, uploadPhotos } from '../fixtures/uploads';
import { setupTestApp, type TestApp } from '../helper';

type Who = { authorization: string; userId: string };
// biome-ignore lint/suspicious/noExplicitAny: response bodies are read structurally
type Res = { status: number; body: any };

let t: TestApp;
/** Products: 0 = 5.00 limit 5 stock 20, 1 = 3.00 stock 10, 2 = 2.00 stock 3. */
let shop: TestShop;
let otherShop: TestShop;
const store = uploadDir();

beforeAll(async () => {
  t = await setupTestApp({ ...TEST_ENV, ...store.env });
  shop = await makeShop(t, {
    products: [
      { priceFen: 500, stock: 20, perOrderLimit: 5 },
      { priceFen: 300, stock: 10 },
      { priceFen: 200, stock: 3 },
    ],
  });
  otherShop = await makeShop(t, { products: [{ priceFen: 700, stock: 10 }] });
});
afterAll(async () => {
  await t?.close();
  store.cleanup();
});

const GHOST = '0190a0b0-0000-7000-8000-000000000000';

/** A 4xx in our envelope that names the offending field. */
function expectRejected(res: Res, status: number, code: string, path?: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error.code).toBe(code);
  expect(typeof res.body.error.message).toBe('string');
  if (path !== undefined) expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
}

const expectInvalid = (res: Res, path: string) => expectRejected(res, 400, 'VALIDATION_FAILED', path);

/**
 * Runs requests that must all fail as `who`, then checks that they left nothing behind: no order,
 * no claimed Idempotency-Key, no stock taken from any product they named.
 */
async function leavesNoTrace(who: Who, productIds: string[], fn: () => Promise<void>) {
  const before = await Promise.all(productIds.map((id) => stockOf(t, id)));
  await fn();
  expect(await Promise.all(productIds.map((id) => stockOf(t, id)))).toEqual(before);
  expect(await t.deps.db.select().from(orders).where(eq(orders.userId, who.userId))).toEqual([]);
  expect(
    await t.deps.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.userId, who.userId)),
  ).toEqual([]);
}

const allProducts = () => [...shop.products, ...otherShop.products].map((p) => p.id);

/** A Shanghai-time date `days` from now, and the ISO weekday of it. */
function shanghaiDay(days: number) {
  return localClock(new Date(Date.now() + days * 86_400_000), 'Asia/Shanghai');
}

describe('POST /v1/orders: bad quantities', () => {
  it.each([
    ['negative', -1],
    ['zero', 0],
    ['fractional', 1.5],
    ['huge', 1000],
    ['absurd', 1e12],
    ['a string', '2'],
    ['null', null],
    ['a boolean', true],
    ['an object', { n: 1 }],
  ])('%s quantity -> 400 on body.items.1.quantity, nothing taken', async (_, quantity) => {
    const me = await t.login(freshPhone());
    await leavesNoTrace(me, allProducts(), async () => {
      const body = {
        merchantId: shop.id,
        items: [
          { productId: shop.products[1]!.id, quantity: 1 },
          { productId: shop.products[0]!.id, quantity },
        ],
        delivery: { mode: 'shop_pickup' },
      };
      expectInvalid(await placeOrder(t, me, body), 'body.items.1.quantity');
    });
  });
});

describe('POST /v1/orders: bad products and shops', () => {
  it('unknown, foreign, off-shelf and malformed ids', async () => {
    const me = await t.login(freshPhone());
    const [offShelf] = await t.deps.db
      .insert(products)
      .values({
        merchantId: shop.id,
        name: '下架青菜',
        category: '蔬菜',
        unit: '斤',
        priceFen: 100,
        stock: 50,
        onShelf: false,
      })
      .returning();
    await leavesNoTrace(me, [...allProducts(), offShelf!.id], async () => {
      const withItem = (productId: unknown) => ({
        merchantId: shop.id,
        items: [
          { productId: shop.products[1]!.id, quantity: 1 },
          { productId, quantity: 1 },
        ],
        delivery: { mode: 'shop_pickup' },
      });
      for (const productId of [GHOST, otherShop.products[0]!.id, offShelf!.id])
        expectRejected(
          await placeOrder(t, me, withItem(productId)),
          409,
          'PRODUCT_UNAVAILABLE',
          'body.items.1.productId',
        );
      for (const productId of ['not-a-uuid', 42, '', null])
        expectInvalid(await placeOrder(t, me, withItem(productId)), 'body.items.1.productId');

      for (const merchantId of ['shop-1', 7, null])
        expectInvalid(await placeOrder(t, me, { ...orderBody(shop), merchantId }), 'body.merchantId');
      expectRejected(
        await placeOrder(t, me, { ...orderBody(shop), merchantId: GHOST }),
        404,
        'MERCHANT_UNAVAILABLE',
        'body.merchantId',
      );
      // The other shop's product named under the other shop is fine; under this shop it is not.
      expectRejected(
        await placeOrder(t, me, { ...orderBody(otherShop), merchantId: shop.id }),
        409,
        'PRODUCT_UNAVAILABLE',
        'body.items.0.productId',
      );
    });
  });

  it('a shop not yet verified is not selling', async () => {
    const me = await t.login(freshPhone());
    const pending = await makeShop(t, { status: 'pending' });
    const closedForGood = await makeShop(t, { status: 'closed' });
    await leavesNoTrace(
      me,
      [...pending.products, ...closedForGood.products].map((p) => p.id),
      async () => {
        for (const s of [pending, closedForGood])
          expectRejected(
            await placeOrder(t, me, orderBody(s)),
            404,
            'MERCHANT_UNAVAILABLE',
            'body.merchantId',
          );
      },
    );
  });

  it('duplicate lines, no lines, too many lines', async () => {
    const me = await t.login(freshPhone());
    await leavesNoTrace(me, allProducts(), async () => {
      const id = shop.products[0]!.id;
      const dup = {
        ...orderBody(shop),
        items: [
          { productId: id, quantity: 1 },
          { productId: id, quantity: 2 },
        ],
      };
      expectInvalid(await placeOrder(t, me, dup), 'body.items');
      expectInvalid(await placeOrder(t, me, { ...orderBody(shop), items: [] }), 'body.items');
      const many = Array.from({ length: 51 }, (_, i) => ({
        productId: `0190a0b0-0000-7000-8000-${String(i).padStart(12, '0')}`,
        quantity: 1,
      }));
      expectInvalid(await placeOrder(t, me, { ...orderBody(shop), items: many }), 'body.items');
      const { items: _items, ...noItems } = orderBody(shop);
      expectInvalid(await placeOrder(t, me, noItems), 'body.items');
    });
  });
});

describe('POST /v1/orders: the Idempotency-Key header', () => {
  it('missing, short, too long or with odd characters -> 400 on headers.idempotency-key', async () => {
    const me = await t.login(freshPhone());
    await leavesNoTrace(me, allProducts(), async () => {
      const missing = await t.call({
        method: 'POST',
        url: '/v1/orders',
        headers: bearer(me),
        payload: orderBody(shop),
      });
      expectInvalid(missing, 'headers.idempotency-key');
      for (const key of [
        '',
        'short',
        'x'.repeat(65),
        'has spaces in it',
        'semi;colon-key',
        '钥匙钥匙钥匙钥匙钥匙',
      ])
        expectInvalid(await placeOrder(t, me, orderBody(shop), key), 'headers.idempotency-key');
    });
  });

  it('the same key with a different body is 422 and does not touch the first order', async () => {
    const me = await t.login(freshPhone());
    const key = newKey();
    const first = await placeOrder(t, me, orderBody(shop, [1]), key);
    expect(first.status).toBe(201);
    const stock = await Promise.all(allProducts().map((id) => stockOf(t, id)));
    for (const body of [
      orderBody(shop, [2]),
      orderBody(shop, [1, 1]),
      orderBody(shop, [1], { note: '多放葱' }),
      orderBody(otherShop, [1]),
    ])
      expectRejected(await placeOrder(t, me, body, key), 422, 'IDEMPOTENCY_KEY_REUSED');
    expect(await Promise.all(allProducts().map((id) => stockOf(t, id)))).toEqual(stock);
    const again = await placeOrder(t, me, orderBody(shop, [1]), key);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(await t.deps.db.select().from(orders).where(eq(orders.userId, me.userId))).toHaveLength(1);
    // Keys are per person: someone else may use the same string.
    const other = await t.login(freshPhone());
    const theirs = await placeOrder(t, other, orderBody(shop, [1]), key);
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(first.body.id);
  });

  it('a refused attempt does not burn its key: the corrected retry goes through', async () => {
    const me = await t.login(freshPhone());
    const key = newKey();
    const tooMany = { ...orderBody(shop), items: [{ productId: shop.products[2]!.id, quantity: 4 }] };
    expectRejected(await placeOrder(t, me, tooMany, key), 409, 'STOCK_INSUFFICIENT', 'body.items.0.quantity');
    const fixed = { ...orderBody(shop), items: [{ productId: shop.products[2]!.id, quantity: 1 }] };
    const ok = await placeOrder(t, me, fixed, key);
    expect(ok.status).toBe(201);
    // Give the stock back so the other tests see the shop as it was.
    await t.call({
      method: 'POST',
      url: `/v1/orders/${ok.body.id}/cancel`,
      headers: bearer(me),
      payload: {},
    });
    expect(await stockOf(t, shop.products[2]!.id)).toBe(3);
  });
});

describe('POST /v1/orders: business rules', () => {
  it('a shop outside its hours, on a closed date or paused -> 409 SHOP_CLOSED', async () => {
    const me = await t.login(freshPhone());
    // Yesterday, today and tomorrow (Shanghai) are not opening days: closed now even across midnight.
    const around = new Set([-1, 0, 1].map((d) => shanghaiDay(d).weekday));
    const offHours = await makeShop(t, {
      hours: {
        weekly: [1, 2, 3, 4, 5, 6, 7]
          .filter((d) => !around.has(d))
          .map((day) => ({ day, open: '00:00', close: '24:00' })),
        closedDates: [],
      },
    });
    const closedToday = await makeShop(t, {
      hours: { ...ALWAYS_OPEN, closedDates: [-1, 0, 1].map((d) => shanghaiDay(d).date) },
    });
    const paused = await makeShop(t, { status: 'paused' });
    const shops = [offHours, closedToday, paused];
    await leavesNoTrace(
      me,
      shops.flatMap((s) => s.products.map((p) => p.id)),
      async () => {
        for (const s of shops)
          expectRejected(await placeOrder(t, me, orderBody(s)), 409, 'SHOP_CLOSED', 'body.merchantId');
      },
    );
  });

  it('below the minimum order -> 409 BELOW_MINIMUM on body.items', async () => {
    const me = await t.login(freshPhone());
    const s = await makeShop(t, { minOrderFen: 2000, products: [{ priceFen: 500, stock: 10 }] });
    await leavesNoTrace(me, [s.products[0]!.id], async () => {
      expectRejected(await placeOrder(t, me, orderBody(s, [3])), 409, 'BELOW_MINIMUM', 'body.items');
    });
    // Exactly the minimum is enough.
    expect((await placeOrder(t, me, orderBody(s, [4]))).status).toBe(201);
  });

  it('over the per-order limit -> 409 PER_ORDER_LIMIT on the line', async () => {
    const me = await t.login(freshPhone());
    await leavesNoTrace(me, allProducts(), async () => {
      const body = {
        ...orderBody(shop),
        items: [
          { productId: shop.products[1]!.id, quantity: 1 },
          { productId: shop.products[0]!.id, quantity: 6 },
        ],
      };
      expectRejected(await placeOrder(t, me, body), 409, 'PER_ORDER_LIMIT', 'body.items.1.quantity');
    });
  });

  it('not enough stock -> 409 STOCK_INSUFFICIENT on the line; the other lines keep their stock too', async () => {
    const me = await t.login(freshPhone());
    await leavesNoTrace(me, allProducts(), async () => {
      for (const order of [
        [1, 2],
        [2, 1],
      ]) {
        // The short line is first or last in the locking order: either way nothing is kept.
        const items = [
          { productId: shop.products[order[0]!]!.id, quantity: order[0] === 2 ? 4 : 5 },
          { productId: shop.products[order[1]!]!.id, quantity: order[1] === 2 ? 4 : 5 },
        ];
        const short = items.findIndex((i) => i.productId === shop.products[2]!.id);
        expectRejected(
          await placeOrder(t, me, { ...orderBody(shop), items }),
          409,
          'STOCK_INSUFFICIENT',
          `body.items.${short}.quantity`,
        );
      }
    });
    expect(await stockOf(t, shop.products[2]!.id)).toBe(3);
  });

  it('a delivery mode the shop does not offer -> 409 DELIVERY_UNAVAILABLE', async () => {
    const me = await t.login(PHONES.resident);
    const mine = await t.call({ method: 'GET', url: '/v1/me', headers: bearer(me) });
    const householdId = mine.body.memberships.find(
      (m: { status: string }) => m.status === 'approved',
    ).householdId;
    const noPickup = await makeShop(t, { offersShopPickup: false });
    const noHome = await makeShop(t, { homeRadiusM: null });
    const before = await t.deps.db.select({ id: orders.id }).from(orders).where(eq(orders.userId, me.userId));
    expectRejected(
      await placeOrder(t, me, orderBody(noPickup)),
      409,
      'DELIVERY_UNAVAILABLE',
      'body.delivery.mode',
    );
    expectRejected(
      await placeOrder(t, me, orderBody(noHome, [1], { delivery: { mode: 'home', householdId } })),
      409,
      'DELIVERY_UNAVAILABLE',
      'body.delivery.mode',
    );
    for (const delivery of [{ mode: 'drone' }, { mode: 'locker' }, {}, 'home', null])
      expectRejected(await placeOrder(t, me, orderBody(shop, [1], { delivery })), 400, 'VALIDATION_FAILED');
    expect(await stockOf(t, noPickup.products[0]!.id)).toBe(100);
    expect(await stockOf(t, noHome.products[0]!.id)).toBe(100);
    expect(
      await t.deps.db.select({ id: orders.id }).from(orders).where(eq(orders.userId, me.userId)),
    ).toEqual(before);
  });

  it('home delivery to a household you are not a verified member of -> 400 on body.delivery.householdId', async () => {
    const me = await t.login(freshPhone());
    const households = await demoHouseholds(t, me);
    // A pending membership is not enough either.
    const asked = await t.call({
      method: 'POST',
      url: '/v1/memberships',
      headers: bearer(me),
      payload: { householdId: households[9] },
    });
    expect(asked.status).toBe(201);
    await leavesNoTrace(me, allProducts(), async () => {
      for (const householdId of [households[0], households[9], GHOST])
        expectInvalid(
          await placeOrder(t, me, orderBody(shop, [1], { delivery: { mode: 'home', householdId } })),
          'body.delivery.householdId',
        );
      for (const householdId of [undefined, 'flat-301', 12])
        expectInvalid(
          await placeOrder(t, me, orderBody(shop, [1], { delivery: { mode: 'home', householdId } })),
          'body.delivery.householdId',
        );
    });
  });

  it('home delivery out of the shop’s range -> 409 OUT_OF_RANGE', async () => {
    const me = await t.login(PHONES.otherResident);
    const mine = await t.call({ method: 'GET', url: '/v1/me', headers: bearer(me) });
    const householdId = mine.body.memberships.find(
      (m: { status: string }) => m.status === 'approved',
    ).householdId;
    const far = await makeShop(t);
    // Beijing, some 1,500 km from the demo community.
    await t.deps.db.update(merchants).set({ lat: 39.9042, lng: 116.4074 }).where(eq(merchants.id, far.id));
    const before = await t.deps.db.select({ id: orders.id }).from(orders).where(eq(orders.userId, me.userId));
    expectRejected(
      await placeOrder(t, me, orderBody(far, [1], { delivery: { mode: 'home', householdId } })),
      409,
      'OUT_OF_RANGE',
      'body.delivery.householdId',
    );
    expect(await stockOf(t, far.products[0]!.id)).toBe(100);
    expect(
      await t.deps.db.select({ id: orders.id }).from(orders).where(eq(orders.userId, me.userId)),
    ).toEqual(before);
    // Pickup at that shop is still fine.
    expect((await placeOrder(t, me, orderBody(far))).status).toBe(201);
  });

  it('a note that is too long or not text -> 400 on body.note', async () => {
    const me = await t.login(freshPhone());
    await leavesNoTrace(me, allProducts(), async () => {
      for (const note of ['葱'.repeat(201), 5, ['a'], { text: 'x' }])
        expectInvalid(await placeOrder(t, me, orderBody(shop, [1], { note })), 'body.note');
    });
  });

  it('text with a NUL character is a bad field, not a 500', async () => {
    const me = await t.login(freshPhone());
    await leavesNoTrace(me, allProducts(), async () => {
      expectInvalid(await placeOrder(t, me, orderBody(shop, [1], { note: '放门口\u0000谢谢' })), 'body.note');
    });
    const created = await t.call({
      method: 'POST',
      url: '/v1/merchant/products',
      headers: bearer(shop.owner),
      payload: { name: '青菜\u0000', category: '蔬菜', unit: '斤', priceFen: 100, stock: 1 },
    });
    expectInvalid(created, 'body.name');
    for (const [url, path] of [
      ['/v1/products?q=a%00b', 'querystring.q'],
      ['/v1/products?category=%00', 'querystring.category'],
      ['/v1/merchants?q=%00', 'querystring.q'],
    ] as const)
      expectInvalid(await t.call({ method: 'GET', url, headers: bearer(me) }), path);
  });

  it('wrong shapes and types everywhere: 4xx with field details, never 5xx', async () => {
    const me = await t.login(freshPhone());
    await leavesNoTrace(me, allProducts(), async () => {
      const bodies: [unknown, string][] = [
        [{}, 'body.merchantId'],
        [{ ...orderBody(shop), items: 'two cabbages' }, 'body.items'],
        [
          { ...orderBody(shop), items: { 0: { productId: shop.products[0]!.id, quantity: 1 } } },
          'body.items',
        ],
        [{ ...orderBody(shop), items: [null] }, 'body.items.0'],
        [{ ...orderBody(shop), items: [[shop.products[0]!.id, 1]] }, 'body.items.0'],
        [{ ...orderBody(shop), delivery: 'shop_pickup' }, 'body.delivery'],
        [{ ...orderBody(shop), merchantId: { id: shop.id } }, 'body.merchantId'],
        [{ ...orderBody(shop), merchantId: [shop.id] }, 'body.merchantId'],
      ];
      for (const [body, path] of bodies) expectInvalid(await placeOrder(t, me, body), path);
      for (const body of [[orderBody(shop)], 'order', 42, null]) {
        const res = await placeOrder(t, me, body);
        expect(res.status, JSON.stringify(res.body)).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(res.body.error.code).toMatch(/^[A-Z_]+$/);
      }
      const headers = { ...bearer(me), 'idempotency-key': newKey(), 'content-type': 'application/json' };
      const broken = await t.call({ method: 'POST', url: '/v1/orders', headers, payload: '{"merchantId":' });
      expectRejected(broken, 400, 'INVALID_JSON');
      const text = await t.call({
        method: 'POST',
        url: '/v1/orders',
        headers: { ...headers, 'content-type': 'text/plain' },
        payload: 'merchantId=1',
      });
      expectRejected(text, 415, 'UNSUPPORTED_MEDIA_TYPE');
    });
  });
});

describe('after the order is placed', () => {
  it('paying for a cancelled order -> 409, no payment opened', async () => {
    const me = await t.login(freshPhone());
    const { body: order } = await placeOrder(t, me, orderBody(shop, [1]));
    const cancelled = await t.call({
      method: 'POST',
      url: `/v1/orders/${order.id}/cancel`,
      headers: bearer(me),
      payload: {},
    });
    expect(cancelled.status).toBe(200);
    const pay = await t.call({
      method: 'POST',
      url: `/v1/orders/${order.id}/pay`,
      headers: bearer(me),
      payload: {},
    });
    expectRejected(pay, 409, 'ORDER_STATE_CHANGED');
    expect(await t.deps.db.select().from(payments).where(eq(payments.subjectId, order.id))).toEqual([]);
    expect(await orderStatus(t, order.id)).toBe('cancelled');
    // Extra fields in an empty body are refused, not ignored.
    const extra = await t.call({
      method: 'POST',
      url: `/v1/orders/${order.id}/pay`,
      headers: bearer(me),
      payload: { amountFen: 1 },
    });
    expect(extra.status).toBe(400);
  });

  it('a refund request before the merchant accepted -> 409 REFUND_NOT_ALLOWED', async () => {
    const me = await t.login(freshPhone());
    const { body: order } = await placeOrder(t, me, orderBody(shop, [1]));
    const url = `/v1/orders/${order.id}/refund-request`;
    const ask = () => t.call({ method: 'POST', url, headers: bearer(me), payload: { reason: '不想要了' } });
    expectRejected(await ask(), 409, 'REFUND_NOT_ALLOWED');
    await payOrder(t, me, order.id);
    expectRejected(await ask(), 409, 'REFUND_NOT_ALLOWED');
    expect(await t.deps.db.select().from(refunds).where(eq(refunds.orderId, order.id))).toEqual([]);
    expect(await orderStatus(t, order.id)).toBe('paid');
  });

  it('a second refund request while one is open -> 409 REFUND_EXISTS; bad refund input -> 400', async () => {
    const me = await t.login(freshPhone());
    const { body: order } = await placeOrder(t, me, orderBody(shop, [1]));
    await payOrder(t, me, order.id);
    const accepted = await t.call({
      method: 'POST',
      url: `/v1/merchant/orders/${order.id}/accept`,
      headers: bearer(shop.owner),
      payload: {},
    });
    expect(accepted.status).toBe(200);
    const url = `/v1/orders/${order.id}/refund-request`;
    const ask = (payload: unknown) =>
      t.call({ method: 'POST', url, headers: bearer(me), payload: payload as Record<string, unknown> });

    expectInvalid(await ask({ reason: '   ' }), 'body.reason');
    expectInvalid(await ask({ reason: '坏'.repeat(201) }), 'body.reason');
    expectInvalid(await ask({}), 'body.reason');
    expectInvalid(await ask({ reason: '坏了', photos: ['javascript:alert(1)'] }), 'body.photos.0');
    expectInvalid(await ask({ reason: '坏了', photos: 'https://img.example.com/1.jpg' }), 'body.photos');
    expectInvalid(
      await ask({
        reason: '坏了',
        photos: Array.from({ length: 7 }, (_, i) => `https://img.example.com/${i}.jpg`),
      }),
      'body.photos',
    );
    expect(await t.deps.db.select().from(refunds).where(eq(refunds.orderId, order.id))).toEqual([]);

    // Photos are uploads now: the request names one the resident sent first.
    const first = await ask({ reason: '菜叶发黄', photos: await uploadPhotos(t, me) });
    expect(first.status).toBe(200);
    expect(first.body.refund.status).toBe('requested');
    expectRejected(await ask({ reason: '再申请一次' }), 409, 'REFUND_EXISTS');
    const rows = await t.deps.db.select().from(refunds).where(eq(refunds.orderId, order.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.reason).toBe('菜叶发黄');
  });
});

describe('home delivery that works', () => {
  it('a verified resident gets it with the delivery fee in the total and the address on the order', async () => {
    const me = await t.login(PHONES.resident);
    const mine = await t.call({ method: 'GET', url: '/v1/me', headers: bearer(me) });
    const home = mine.body.memberships.find((m: { status: string }) => m.status === 'approved');
    expect(home).toBeDefined();
    const s = await makeShop(t, { products: [{ priceFen: 650, stock: 10 }] });
    const placed = await placeOrder(
      t,
      me,
      orderBody(s, [2], { delivery: { mode: 'home', householdId: home.householdId } }),
    );
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(placed.body).toMatchObject({
      itemsFen: 1300,
      deliveryFeeFen: 300,
      totalFen: 1600,
      delivery: { mode: 'home', address: home.address },
    });
    const read = await t.call({ method: 'GET', url: `/v1/orders/${placed.body.id}`, headers: bearer(me) });
    expect(read.body.delivery).toEqual({ mode: 'home', address: home.address });
    // The shop sees the order (and where it goes) once it is paid.
    await payOrder(t, me, placed.body.id);
    const shopSide = await t.call({
      method: 'GET',
      url: `/v1/merchant/orders/${placed.body.id}`,
      headers: bearer(s.owner),
    });
    expect(shopSide.body.delivery).toEqual({ mode: 'home', address: home.address });
    expect(await stockOf(t, s.products[0]!.id)).toBe(8);
    const [row] = await t.deps.db.select().from(orders).where(eq(orders.id, placed.body.id));
    expect(row!.householdId).toBe(home.householdId);
  });
});

describe('query strings', () => {
  it('bad filters and cursors -> 400 on the querystring field, never 5xx', async () => {
    const me = await t.login(freshPhone());
    const forged = (s: string) => Buffer.from(s).toString('base64url');
    const cases: [string, string, Who][] = [
      ['/v1/orders?status=bogus', 'querystring.status', me],
      ['/v1/orders?limit=0', 'querystring.limit', me],
      ['/v1/orders?limit=101', 'querystring.limit', me],
      ['/v1/orders?limit=lots', 'querystring.limit', me],
      ['/v1/orders?cursor=garbage', 'querystring.cursor', me],
      [`/v1/orders?cursor=${forged('2024-01-01T00:00:00.000Z|not-a-uuid')}`, 'querystring.cursor', me],
      [`/v1/orders?cursor=${'a'.repeat(201)}`, 'querystring.cursor', me],
      [`/v1/orders?cursor=${forged(`-271821-04-20T00:00:00.000Z|${GHOST}`)}`, 'querystring.cursor', me],
      [`/v1/orders?cursor=${forged(`+275760-09-13T00:00:00.000Z|${GHOST}`)}`, 'querystring.cursor', me],
      ['/v1/merchants?category=food', 'querystring.category', me],
      ['/v1/merchants?communityId=1', 'querystring.communityId', me],
      [`/v1/merchants?q=${'菜'.repeat(41)}`, 'querystring.q', me],
      ['/v1/products?merchantId=shop', 'querystring.merchantId', me],
      ['/v1/products?cursor=garbage', 'querystring.cursor', me],
      [`/v1/products?cursor=${forged(`10|${'-'.repeat(36)}`)}`, 'querystring.cursor', me],
      [`/v1/products?cursor=${forged(`99999999999|${GHOST}`)}`, 'querystring.cursor', me],
      ['/v1/merchant/orders?status=bogus', 'querystring.status', shop.owner],
      [
        `/v1/merchant/orders?cursor=${forged(`2024-01-01T00:00:00.000Z|${'z'.repeat(36)}`)}`,
        'querystring.cursor',
        shop.owner,
      ],
      ['/v1/merchant/stats?date=2024-13-45', 'querystring.date', shop.owner],
      ['/v1/merchant/stats?date=yesterday', 'querystring.date', shop.owner],
    ];
    const wrong: string[] = [];
    for (const [url, path, who] of cases) {
      const res = await t.call({ method: 'GET', url, headers: bearer(who) });
      const paths = res.body.error?.details?.map((d: { path: string }) => d.path) ?? [];
      if (res.status !== 400 || res.body.error.code !== 'VALIDATION_FAILED' || !paths.includes(path))
        wrong.push(`${url} -> ${res.status} ${JSON.stringify(res.body)}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe('products: create and patch validation', () => {
  const valid = { name: '有机菠菜', category: '蔬菜', unit: '斤', priceFen: 500, stock: 10 };

  it('create refuses bad fields with their paths and creates nothing', async () => {
    const owner = bearer(shop.owner);
    const count = async () =>
      (await t.deps.db.select({ id: products.id }).from(products).where(eq(products.merchantId, shop.id)))
        .length;
    const before = await count();
    const cases: [Record<string, unknown>, string][] = [
      [{ ...valid, priceFen: 0 }, 'body.priceFen'],
      [{ ...valid, priceFen: -100 }, 'body.priceFen'],
      [{ ...valid, priceFen: 4.5 }, 'body.priceFen'],
      [{ ...valid, priceFen: '500' }, 'body.priceFen'],
      [{ ...valid, priceFen: 1e12 }, 'body.priceFen'],
      [{ ...valid, stock: -1 }, 'body.stock'],
      [{ ...valid, stock: 2.5 }, 'body.stock'],
      [{ ...valid, stock: 'many' }, 'body.stock'],
      [{ ...valid, originalPriceFen: 400 }, 'body.originalPriceFen'],
      [{ ...valid, originalPriceFen: -1 }, 'body.originalPriceFen'],
      [{ ...valid, name: '   ' }, 'body.name'],
      [{ ...valid, name: 'x'.repeat(41) }, 'body.name'],
      [{ ...valid, perOrderLimit: 0 }, 'body.perOrderLimit'],
      [{ ...valid, lowStockThreshold: -1 }, 'body.lowStockThreshold'],
      [{ ...valid, temperature: 'hot' }, 'body.temperature'],
      [{ ...valid, sizeHint: 'XL' }, 'body.sizeHint'],
      // Pictures are the merchant's own product uploads, named by id (no outside URLs).
      [{ ...valid, imageIds: ['ftp://img.example.com/a.jpg'] }, 'body.imageIds.0'],
      [{ ...valid, imageIds: Array.from({ length: 6 }, () => crypto.randomUUID()) }, 'body.imageIds'],
      [{ ...valid, onShelf: 'yes' }, 'body.onShelf'],
      [{ ...valid, sortOrder: -1 }, 'body.sortOrder'],
      [{ name: '无价之宝' }, 'body.priceFen'],
    ];
    for (const [payload, path] of cases) {
      const res = await t.call({ method: 'POST', url: '/v1/merchant/products', headers: owner, payload });
      expect(res.status, `${JSON.stringify(payload)}: ${JSON.stringify(res.body)}`).toBe(400);
      expectInvalid(res, path);
    }
    expect(await count()).toBe(before);
    // Equal original and current price is fine.
    const ok = await t.call({
      method: 'POST',
      url: '/v1/merchant/products',
      headers: owner,
      payload: { ...valid, originalPriceFen: 500 },
    });
    expect(ok.status).toBe(201);
  });

  it('patch refuses bad fields, an empty body and a price above the original price; the product is unchanged', async () => {
    const owner = bearer(shop.owner);
    const made = await t.call({
      method: 'POST',
      url: '/v1/merchant/products',
      headers: owner,
      payload: { ...valid, name: '精品草莓', priceFen: 3000, originalPriceFen: 3500 },
    });
    expect(made.status).toBe(201);
    const url = `/v1/merchant/products/${made.body.id}`;
    const row = async () => (await t.deps.db.select().from(products).where(eq(products.id, made.body.id)))[0];
    const before = await row();
    const cases: [unknown, string][] = [
      [{}, 'body'],
      [{ priceFen: 0 }, 'body.priceFen'],
      [{ priceFen: '3000' }, 'body.priceFen'],
      [{ stock: -5 }, 'body.stock'],
      [{ stock: null }, 'body.stock'],
      // Below the stored price, with or without a price in the same request.
      [{ originalPriceFen: 2999 }, 'body.originalPriceFen'],
      [{ priceFen: 3600 }, 'body.originalPriceFen'],
      [{ priceFen: 3000, originalPriceFen: 100 }, 'body.originalPriceFen'],
      [{ onShelf: 'no' }, 'body.onShelf'],
      [{ perOrderLimit: 0 }, 'body.perOrderLimit'],
      [{ name: '' }, 'body.name'],
      [{ temperature: 'frozen-ish' }, 'body.temperature'],
    ];
    for (const [payload, path] of cases) {
      const res = await t.call({
        method: 'PATCH',
        url,
        headers: owner,
        payload: payload as Record<string, unknown>,
      });
      expect(res.status, `${JSON.stringify(payload)}: ${JSON.stringify(res.body)}`).toBe(400);
      expectInvalid(res, path);
    }
    expect(await row()).toEqual(before);
    expectInvalid(
      await t.call({
        method: 'PATCH',
        url: '/v1/merchant/products/not-a-uuid',
        headers: owner,
        payload: { stock: 1 },
      }),
      'params.id',
    );

    // Clearing the original price lets the price rise.
    const ok = await t.call({
      method: 'PATCH',
      url,
      headers: owner,
      payload: { priceFen: 3600, originalPriceFen: null },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ priceFen: 3600, originalPriceFen: null });
  });
});

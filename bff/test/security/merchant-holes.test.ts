import { and, eq } from 'drizzle-orm';
import { MAX_ORDER_TOTAL_FEN, MAX_PRICE_FEN } from 'shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { merchants, orderItems, orders, users } from '../../src/db/schema';
import { MAX_WRONG_PICKUP_CODES, PICKUP_CODE_LOCK_MS } from '../../src/modules/merchants/service';
import { makeShop, orderBody, orderStatus, payOrder, placeOrder, type TestShop } from '../fixtures/market';
import { auditRows, bearer, freshPhone, inbox, makeStaff, TEST_ENV } from '../fixtures/people';
import { setupTestApp, type TestApp } from '../helper';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read structurally
type Res = { status: number; body: any };
type Who = { authorization: string; userId: string };

let t: TestApp;

beforeAll(async () => {
  t = await setupTestApp(TEST_ENV);
});
afterAll(() => t?.close());

function expectRejected(res: Res, status: number, code: string, path?: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error.code).toBe(code);
  if (path !== undefined) expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
}

const asShop = (shop: TestShop, url: string) =>
  t.call({ method: 'GET', url, headers: bearer(shop.owner) }) as Promise<Res>;

describe('unpaid orders are hidden from the shop', () => {
  let shop: TestShop;
  let resident: Who;
  let unpaid: string;
  let cancelledUnpaid: string;

  beforeAll(async () => {
    shop = await makeShop(t, { products: [{ priceFen: 800, stock: 50 }] });
    resident = await t.login(freshPhone());
    await t.deps.db.update(users).set({ name: '王秘密' }).where(eq(users.id, resident.userId));
    const placed = await placeOrder(t, resident, orderBody(shop, [2], { note: '门口密码 4321' }));
    expect(placed.status).toBe(201);
    unpaid = placed.body.id;
    cancelledUnpaid = (await placeOrder(t, resident, orderBody(shop, [1]))).body.id;
    const cancelled = await t.call({
      method: 'POST',
      url: `/v1/orders/${cancelledUnpaid}/cancel`,
      headers: bearer(resident),
      payload: {},
    });
    expect(cancelled.body.status).toBe('cancelled');
  });

  it('not in the list, nor under a status filter (400), nor by id (404), nor in the badges or stats', async () => {
    const all = await asShop(shop, '/v1/merchant/orders');
    expect(all.status).toBe(200);
    expect(all.body.items).toEqual([]);
    expect(Object.values(all.body.counts).every((n) => n === 0)).toBe(true);
    expect(JSON.stringify(all.body)).not.toContain('王秘密');

    expectRejected(
      await asShop(shop, '/v1/merchant/orders?status=created'),
      400,
      'VALIDATION_FAILED',
      'querystring.status',
    );
    // Cancelled before the money arrived: never the shop's either.
    const cancelled = await asShop(shop, '/v1/merchant/orders?status=cancelled');
    expect(cancelled.body.items).toEqual([]);
    const refunds = await asShop(shop, '/v1/merchant/orders?refund=any');
    expect(refunds.body.items).toEqual([]);

    for (const id of [unpaid, cancelledUnpaid]) {
      const one = await asShop(shop, `/v1/merchant/orders/${id}`);
      expectRejected(one, 404, 'NOT_FOUND');
      expect(JSON.stringify(one.body)).not.toContain('王秘密');
      for (const act of ['accept', 'pack'])
        expectRejected(
          await t.call({
            method: 'POST',
            url: `/v1/merchant/orders/${id}/${act}`,
            headers: bearer(shop.owner),
            payload: {},
          }),
          404,
          'NOT_FOUND',
        );
      expectRejected(
        await t.call({
          method: 'POST',
          url: `/v1/merchant/orders/${id}/reject`,
          headers: bearer(shop.owner),
          payload: { reason: '缺货' },
        }),
        404,
        'NOT_FOUND',
      );
    }
    expect(await orderStatus(t, unpaid)).toBe('created');

    const stats = await asShop(shop, '/v1/merchant/stats');
    expect(stats.status).toBe(200);
    expect(stats.body).toMatchObject({ orderCount: 0, revenueFen: 0, topProducts: [] });
  });

  it('shows the order, with its customer, once it is paid', async () => {
    await payOrder(t, resident, unpaid);
    const one = await asShop(shop, `/v1/merchant/orders/${unpaid}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ status: 'paid', note: '门口密码 4321', customer: { name: '王秘密' } });
    const paid = await asShop(shop, '/v1/merchant/orders?status=paid');
    expect(paid.body.items.map((o: { id: string }) => o.id)).toEqual([unpaid]);
    expect(paid.body.counts.paid).toBe(1);
    const all = await asShop(shop, '/v1/merchant/orders');
    expect(all.body.items.map((o: { id: string }) => o.id)).toEqual([unpaid]);
  });
});

describe('money cannot overflow', () => {
  it('refuses a price over the cap on the field, when adding or editing a product', async () => {
    const shop = await makeShop(t);
    const product = { name: '金条', category: '其他', unit: '根', stock: 1000 };
    for (const priceFen of [10_000_000, MAX_PRICE_FEN + 1])
      expectRejected(
        await t.call({
          method: 'POST',
          url: '/v1/merchant/products',
          headers: bearer(shop.owner),
          payload: { ...product, priceFen },
        }),
        400,
        'VALIDATION_FAILED',
        'body.priceFen',
      );
    expectRejected(
      await t.call({
        method: 'POST',
        url: '/v1/merchant/products',
        headers: bearer(shop.owner),
        payload: { ...product, priceFen: 100, originalPriceFen: MAX_PRICE_FEN + 1 },
      }),
      400,
      'VALIDATION_FAILED',
      'body.originalPriceFen',
    );
    const atCap = await t.call({
      method: 'POST',
      url: '/v1/merchant/products',
      headers: bearer(shop.owner),
      payload: { ...product, priceFen: MAX_PRICE_FEN },
    });
    expect(atCap.status, JSON.stringify(atCap.body)).toBe(201);
    expectRejected(
      await t.call({
        method: 'PATCH',
        url: `/v1/merchant/products/${atCap.body.id}`,
        headers: bearer(shop.owner),
        payload: { priceFen: 10_000_000 },
      }),
      400,
      'VALIDATION_FAILED',
      'body.priceFen',
    );
  });

  it('refuses a shop minimum or delivery fee over the cap on the field', async () => {
    const shop = await makeShop(t);
    const patch = (payload: Record<string, unknown>) =>
      t.call({ method: 'PATCH', url: '/v1/merchant/profile', headers: bearer(shop.owner), payload });
    expectRejected(await patch({ minOrderFen: 10_000_000 }), 400, 'VALIDATION_FAILED', 'body.minOrderFen');
    expectRejected(
      await patch({ delivery: { shopPickup: true, home: { radiusM: 2000, feeFen: 10_001 }, locker: false } }),
      400,
      'VALIDATION_FAILED',
      'body.delivery.home.feeFen',
    );
  });

  it('the attack: 215 of a 10,000,000-fen product is a 400 on the order, not a 500', async () => {
    // Priced before the caps existed (straight into the table): the server's total check catches it.
    const shop = await makeShop(t, {
      products: [
        { priceFen: 10_000_000, stock: 1000 },
        { priceFen: MAX_PRICE_FEN, stock: 1000 },
      ],
    });
    const me = await t.login(freshPhone());
    const attack = await placeOrder(t, me, orderBody(shop, [215]));
    expectRejected(attack, 400, 'ORDER_TOTAL_TOO_HIGH', 'body.items');
    expect(attack.body.error.details[0].message).toEqual(expect.any(String));

    const single = { merchantId: shop.id, delivery: { mode: 'shop_pickup' } };
    const line = (quantity: number) => ({
      ...single,
      items: [{ productId: shop.products[1]!.id, quantity }],
    });
    expectRejected(await placeOrder(t, me, line(6)), 400, 'ORDER_TOTAL_TOO_HIGH', 'body.items');
    for (const quantity of [1000, 1e12, 2 ** 31])
      expectRejected(
        await placeOrder(t, me, line(quantity)),
        400,
        'VALIDATION_FAILED',
        'body.items.0.quantity',
      );
    const [row] = await t.deps.db.select().from(orders).where(eq(orders.merchantId, shop.id));
    expect(row).toBeUndefined();

    const atCap = await placeOrder(t, me, line(MAX_ORDER_TOTAL_FEN / MAX_PRICE_FEN));
    expect(atCap.status, JSON.stringify(atCap.body)).toBe(201);
    expect(atCap.body.totalFen).toBe(MAX_ORDER_TOTAL_FEN);
  });

  it('a day whose paid orders sum past 2^31 fen answers 200 with the right totals', async () => {
    const shop = await makeShop(t, { products: [{ name: '整只火腿', priceFen: MAX_PRICE_FEN, stock: 10 }] });
    const me = await t.login(freshPhone());
    const n = 500;
    const perOrder = MAX_ORDER_TOTAL_FEN;
    const paidAt = new Date('2026-11-10T04:00:00Z');
    const made = await t.deps.db
      .insert(orders)
      .values(
        Array.from({ length: n }, (_, i) => ({
          userId: me.userId,
          placedBy: me.userId,
          merchantId: shop.id,
          status: 'completed' as const,
          itemsFen: perOrder,
          totalFen: perOrder,
          deliveryMode: 'shop_pickup' as const,
          pickupCode: String(i).padStart(6, '0'),
          payBy: paidAt,
          paidAt,
        })),
      )
      .returning({ id: orders.id });
    await t.deps.db.insert(orderItems).values(
      made.map((o) => ({
        orderId: o.id,
        productId: shop.products[0]!.id,
        name: '整只火腿',
        unit: '只',
        priceFen: MAX_PRICE_FEN,
        quantity: perOrder / MAX_PRICE_FEN,
      })),
    );
    const total = n * perOrder;
    expect(total).toBeGreaterThan(2 ** 31);

    const res = await asShop(shop, '/v1/merchant/stats?date=2026-11-10');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ date: '2026-11-10', orderCount: n, revenueFen: total });
    expect(res.body.topProducts).toEqual([
      { productId: shop.products[0]!.id, name: '整只火腿', quantity: n * 5, revenueFen: total },
    ]);
    expect(res.body.daily[13]).toEqual({ date: '2026-11-10', orderCount: n, revenueFen: total });
  });
});

describe('pickup codes at the counter', () => {
  /** A shop-pickup order, paid, accepted and packed, with the code the resident shows. */
  async function packedOrder(shop: TestShop) {
    const me = await t.login(freshPhone());
    const { body } = await placeOrder(t, me, orderBody(shop, [1]));
    await payOrder(t, me, body.id);
    for (const act of ['accept', 'pack']) {
      const res = await t.call({
        method: 'POST',
        url: `/v1/merchant/orders/${body.id}/${act}`,
        headers: bearer(shop.owner),
        payload: {},
      });
      expect(res.status).toBe(200);
    }
    const mine = await t.call({ method: 'GET', url: `/v1/orders/${body.id}`, headers: bearer(me) });
    return { id: body.id as string, code: mine.body.pickupCode as string };
  }

  /** Codes no live order of the shop has. */
  async function wrongCodes(shop: TestShop, n: number) {
    const live = new Set(
      (
        await t.deps.db.select({ c: orders.pickupCode }).from(orders).where(eq(orders.merchantId, shop.id))
      ).map((r) => r.c),
    );
    const out: string[] = [];
    for (let c = 314159; out.length < n; c = (c + 7919) % 1_000_000) {
      const code = String(c).padStart(6, '0');
      if (!live.has(code)) out.push(code);
    }
    return out;
  }

  const verify = (shop: TestShop, code: string) =>
    t.call({
      method: 'POST',
      url: '/v1/merchant/orders/verify-pickup',
      headers: bearer(shop.owner),
      payload: { code },
    }) as Promise<Res>;

  async function counter(shop: TestShop) {
    const [m] = await t.deps.db
      .select({ wrong: merchants.pickupFailedAttempts, until: merchants.pickupCodeLockedUntil })
      .from(merchants)
      .where(eq(merchants.id, shop.id));
    return m!;
  }

  const lockAlerts = async (staff: Who, shop: TestShop) =>
    (await inbox(t, staff.userId)).filter(
      (n) => n.kind === 'merchant.pickup_code_locked' && n.dedupeKey.includes(shop.id),
    );

  it('five wrong codes in a row lock code checks for ten minutes, even for the right code; a hand-over resets the count', async () => {
    const staff = await makeStaff(t, { runsDemo: true });
    const shop = await makeShop(t, { products: [{ stock: 50 }] });
    const first = await packedOrder(shop);
    const second = await packedOrder(shop);
    const wrong = await wrongCodes(shop, MAX_WRONG_PICKUP_CODES);
    t.clock.set(new Date());

    for (const [i, code] of wrong.slice(0, 4).entries()) {
      const res = await verify(shop, code);
      expectRejected(res, 404, 'PICKUP_CODE_INVALID', 'body.code');
      expect(res.body.error.message).toContain(`${MAX_WRONG_PICKUP_CODES - 1 - i} tries left`);
    }
    const handed = await verify(shop, first.code);
    expect(handed.status).toBe(200);
    expect(handed.body.status).toBe('picked_up');
    expect((await counter(shop)).wrong).toBe(0);

    for (const code of wrong.slice(0, 4)) expect((await verify(shop, code)).status).toBe(404);
    const before = t.clock.now().getTime();
    const fifth = await verify(shop, wrong[4]!);
    expectRejected(fifth, 423, 'PICKUP_CODE_LOCKED', 'body.code');
    expectRejected(await verify(shop, second.code), 423, 'PICKUP_CODE_LOCKED');
    expect(await orderStatus(t, second.id)).toBe('packed');
    const lockedAt = (await counter(shop)).until!.getTime() - PICKUP_CODE_LOCK_MS;
    expect(lockedAt).toBeGreaterThanOrEqual(before);
    expect(lockedAt).toBeLessThanOrEqual(t.clock.now().getTime());

    const audits = await auditRows(t, 'merchant.pickup_code_locked', shop.id);
    expect(audits).toHaveLength(1);
    expect(audits[0]!.actorId).toBe(shop.owner.userId);
    const alerts = await lockAlerts(staff, shop);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.body).toContain('取货码');

    t.clock.set(new Date(lockedAt + PICKUP_CODE_LOCK_MS - 5_000));
    expectRejected(await verify(shop, wrong[0]!), 423, 'PICKUP_CODE_LOCKED');
    expectRejected(await verify(shop, second.code), 423, 'PICKUP_CODE_LOCKED');
    t.clock.set(new Date(lockedAt + PICKUP_CODE_LOCK_MS + 5_000));
    const after = await verify(shop, second.code);
    expect(after.status).toBe(200);
    expect(after.body.status).toBe('picked_up');
    expect(await lockAlerts(staff, shop)).toHaveLength(1);
    t.clock.set(new Date());
  });

  it('twenty wrong codes at once: the shop ends locked after five were checked', async () => {
    const staff = await makeStaff(t, { runsDemo: true });
    const shop = await makeShop(t, { products: [{ stock: 50 }] });
    const waiting = await packedOrder(shop);
    t.clock.set(new Date());
    const results = await Promise.all((await wrongCodes(shop, 20)).map((code) => verify(shop, code)));

    const byStatus = (s: number) => results.filter((r) => r.status === s);
    expect(byStatus(404)).toHaveLength(MAX_WRONG_PICKUP_CODES - 1);
    expect(byStatus(423)).toHaveLength(20 - (MAX_WRONG_PICKUP_CODES - 1));
    for (const r of byStatus(423)) expect(r.body.error.code).toBe('PICKUP_CODE_LOCKED');
    expect(await auditRows(t, 'merchant.pickup_code_locked', shop.id)).toHaveLength(1);
    expect(await lockAlerts(staff, shop)).toHaveLength(1);
    const row = await counter(shop);
    expect(row.until!.getTime()).toBeGreaterThan(t.clock.now().getTime());
    expectRejected(await verify(shop, waiting.code), 423, 'PICKUP_CODE_LOCKED');
    const [o] = await t.deps.db
      .select({ status: orders.status })
      .from(orders)
      .where(and(eq(orders.id, waiting.id), eq(orders.merchantId, shop.id)));
    expect(o!.status).toBe('packed');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBatchInline } from '../../src/modules/lockers/batches';
import {
  acceptedLockerOrder,
  lockerOrder,
  openWindow,
  produceShop,
  residentLocker,
  type Who,
} from '../fixtures/lockers';
import { makeShop, newKey, orderBody, payOrder, placeOrder } from '../fixtures/market';
import { bearer, demoHouseholds, freshPhone, makeStaff, PHONES, TEST_ENV } from '../fixtures/people';
import { setupTestApp, type TestApp } from '../helper';

const COURIER = '13800000003';

let t: TestApp;
let people: {
  resident: Who;
  neighbour: Who;
  elder: Who;
  proxy: Who;
  merchant: Who;
  courier: Who;
  staff: Who;
};
/** The resident's order dropped in a locker, and what the order's own page says of it. */
let dropped: { id: string; code: string; deadline: string; compartments: string[]; bankName: string };
/** The elder's order (placed by the family proxy), also in a locker. */
let elderOrder: string;
let batchId: string;

const home = (headers: Record<string, string>) => t.call({ method: 'GET', url: '/v1/home', headers });
const asProxy = () => ({ ...bearer(people.proxy), 'x-on-behalf-of': people.elder.userId });

beforeAll(async () => {
  t = await setupTestApp(TEST_ENV);
  people = {
    resident: await t.login(PHONES.resident),
    neighbour: await t.login(PHONES.otherResident),
    elder: await t.login(PHONES.elder),
    proxy: await t.login(PHONES.familyProxy),
    merchant: await t.login(PHONES.merchant),
    courier: await t.login(COURIER),
    staff: await t.login(PHONES.staff),
  };
  const shop = await produceShop(t);
  const tomato = shop.ambient.find((p) => p.name === '沙瓤西红柿') ?? shop.ambient[0]!;
  const w = await openWindow(t, people.resident);
  const bank = (await residentLocker(t, people.resident)).bankId;
  const id = await acceptedLockerOrder(
    t,
    people.resident,
    people.merchant,
    lockerOrder(shop.id, [tomato.id], w.id, bank, 4),
  );
  // The family proxy orders, pays and confirms for the elder.
  const placed = await t.call({
    method: 'POST',
    url: '/v1/orders',
    headers: { ...asProxy(), 'idempotency-key': newKey() },
    payload: lockerOrder(shop.id, [tomato.id], w.id, bank, 4),
  });
  expect(placed.status).toBe(201);
  elderOrder = placed.body.id;
  const pay = await t.call({
    method: 'POST',
    url: `/v1/orders/${elderOrder}/pay`,
    headers: asProxy(),
    payload: {},
  });
  await t.call({
    method: 'POST',
    url: `/v1/payments/${pay.body.paymentId}/dev-confirm`,
    headers: asProxy(),
    payload: {},
  });
  const accepted = await t.call({
    method: 'POST',
    url: `/v1/merchant/orders/${elderOrder}/accept`,
    headers: bearer(people.merchant),
    payload: {},
  });
  expect(accepted.body.status).toBe('accepted');

  t.clock.set(new Date(new Date(w.cutoffAt).getTime() + 60_000));
  const built = await buildBatchInline(t.deps, w.id);
  expect(built).not.toBeNull();
  batchId = built!;
  const url = `/v1/courier/batches/${batchId}`;
  expect(
    (await t.call({ method: 'POST', url: `${url}/start`, headers: bearer(people.courier), payload: {} }))
      .status,
  ).toBe(200);
  const m = await t.call({ method: 'GET', url, headers: bearer(people.courier) });
  const drops = m.body.dropList.flatMap(
    (b: { drops: { orderId: string; compartmentId: string }[] }) => b.drops,
  );
  // Drop the resident's order only: the elder's stays in the van until the elder's test drops it.
  for (const d of drops.filter((x: { orderId: string }) => x.orderId === id))
    expect(
      (await t.call({ method: 'POST', url: `${url}/drops`, headers: bearer(people.courier), payload: d }))
        .status,
    ).toBe(200);
  const view = await t.call({ method: 'GET', url: `/v1/orders/${id}`, headers: bearer(people.resident) });
  expect(view.body.status).toBe('in_locker');
  dropped = {
    id,
    code: view.body.locker.code,
    deadline: view.body.locker.deadline,
    compartments: view.body.locker.compartments,
    bankName: view.body.locker.bankName,
  };
}, 60_000);
afterAll(() => t?.close());

describe('GET /v1/home', () => {
  it('a resident sees their locker order first, the next window and their orders on the way; no other role', async () => {
    const res = await home(bearer(people.resident));
    expect(res.status).toBe(200);
    expect(res.body.me.user.id).toBe(people.resident.userId);
    expect(res.body.merchant).toBeNull();
    expect(res.body.courier).toBeNull();
    expect(res.body.staff).toBeNull();
    const r = res.body.resident;
    expect(r.lockerOrders).toEqual([
      {
        orderId: dropped.id,
        merchantName: expect.any(String),
        bankName: dropped.bankName,
        location: expect.any(String),
        compartments: dropped.compartments,
        code: dropped.code,
        deadline: dropped.deadline,
        overdue: false,
      },
    ]);
    expect(dropped.code).toMatch(/^\d{6}$/);
    // In the locker, so not listed again among the orders on the way.
    expect(r.activeOrders.map((o: { id: string }) => o.id)).not.toContain(dropped.id);
    // The window just cut off: the next one is after the clock.
    expect(r.nextWindow).not.toBeNull();
    expect(new Date(r.nextWindow.cutoffAt).getTime()).toBeGreaterThan(t.clock.now().getTime());
    // The notices count is the feed's own: the unread ones of its first page.
    const feed = await t.call({
      method: 'GET',
      url: '/v1/community/notices?limit=20',
      headers: bearer(people.resident),
    });
    const unread = feed.body.items.filter((n: { readAt: string | null }) => n.readAt === null);
    expect(unread.length).toBeGreaterThan(0);
    expect(r.notices).toEqual({
      unread: unread.length,
      more: unread.length === feed.body.items.length && feed.body.nextCursor !== null,
      pinnedTitle: feed.body.items.find((n: { pinned: boolean }) => n.pinned)?.title ?? null,
    });
    // Opening one counts it read at once.
    await t.call({
      method: 'GET',
      url: `/v1/community/notices/${unread[0].id}`,
      headers: bearer(people.resident),
    });
    expect((await home(bearer(people.resident))).body.resident.notices.unread).toBe(unread.length - 1);
  });

  it('a courier sees the batch under way and the drops left', async () => {
    const res = await home(bearer(people.courier));
    expect(res.body.courier.batches.find((b: { id: string }) => b.id === batchId)).toMatchObject({
      status: 'in_progress',
      orderCount: 2,
      droppedCount: 1,
    });
    expect(res.body.resident).toBeNull();
  });

  it('orders on the way are listed with their state, and a new one shows at once', async () => {
    const shop = await makeShop(t, { products: [{ stock: 10 }] });
    const placed = await placeOrder(t, people.neighbour, orderBody(shop));
    expect(placed.status).toBe(201);
    const before = await home(bearer(people.neighbour));
    // Not paid yet: not on the way.
    expect(before.body.resident.activeOrders.map((o: { id: string }) => o.id)).not.toContain(placed.body.id);
    await payOrder(t, people.neighbour, placed.body.id);
    const after = await home(bearer(people.neighbour));
    expect(after.body.resident.activeOrders).toContainEqual(
      expect.objectContaining({
        id: placed.body.id,
        status: 'paid',
        mode: 'shop_pickup',
        merchantName: expect.any(String),
      }),
    );
    // Nobody else's orders: the neighbour never sees the resident's locker code.
    expect(JSON.stringify(after.body)).not.toContain(dropped.id);
  });

  it("a family member acting for an elder sees the elder's home, and only that", async () => {
    const url = `/v1/courier/batches/${batchId}`;
    const m = await t.call({ method: 'GET', url, headers: bearer(people.courier) });
    const drops = m.body.dropList.flatMap((b: { drops: { orderId: string }[] }) => b.drops);
    for (const d of drops.filter((x: { orderId: string }) => x.orderId === elderOrder))
      expect(
        (await t.call({ method: 'POST', url: `${url}/drops`, headers: bearer(people.courier), payload: d }))
          .status,
      ).toBe(200);

    const acting = await home(asProxy());
    expect(acting.status).toBe(200);
    expect(acting.body.me.user.id).toBe(people.elder.userId);
    expect(acting.body.me.user.isElder).toBe(true);
    expect(acting.body.resident.lockerOrders.map((o: { orderId: string }) => o.orderId)).toEqual([
      elderOrder,
    ]);
    expect(acting.body.resident.lockerOrders[0].code).toMatch(/^\d{6}$/);
    expect([acting.body.merchant, acting.body.courier, acting.body.staff]).toEqual([null, null, null]);
    // The elder sees the same order themself; the proxy's own home does not carry it.
    const elder = await home(bearer(people.elder));
    expect(elder.body.resident.lockerOrders.map((o: { orderId: string }) => o.orderId)).toEqual([elderOrder]);
    const own = await home(bearer(people.proxy));
    expect(own.body.me.user.id).toBe(people.proxy.userId);
    expect(JSON.stringify(own.body.resident)).not.toContain(elderOrder);
    // Someone the elder never consented to cannot act for them.
    const stranger = await home({ ...bearer(people.neighbour), 'x-on-behalf-of': people.elder.userId });
    // Answered as if the elder did not exist (the access check's 404).
    expect(stranger.status).toBe(404);
  });

  it('a merchant sees what to accept and pack, refunds waiting and low stock, counted exactly', async () => {
    const shop = await makeShop(t, {
      products: [
        { name: '小葱', stock: 30, lowStockThreshold: 5 },
        { name: '香菜', stock: 4, lowStockThreshold: 5 },
        { name: '蒜苗', stock: 2, lowStockThreshold: 3 },
      ],
    });
    const ids: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      const placed = await placeOrder(t, people.neighbour, orderBody(shop, [1]));
      expect(placed.status).toBe(201);
      await payOrder(t, people.neighbour, placed.body.id);
      ids.push(placed.body.id);
    }
    // One unpaid order: not the shop's work yet.
    expect((await placeOrder(t, people.neighbour, orderBody(shop, [1]))).status).toBe(201);
    for (const id of ids.slice(0, 2)) {
      const a = await t.call({
        method: 'POST',
        url: `/v1/merchant/orders/${id}/accept`,
        headers: bearer(shop.owner),
        payload: {},
      });
      expect(a.body.status).toBe('accepted');
    }
    const refund = await t.call({
      method: 'POST',
      url: `/v1/orders/${ids[0]}/refund-request`,
      headers: bearer(people.neighbour),
      payload: { reason: '买错了' },
    });
    expect(refund.status).toBeLessThan(300);

    const res = await home(bearer(shop.owner));
    expect(res.status).toBe(200);
    expect(res.body.merchant).toEqual({
      shop: { id: shop.id, name: expect.any(String), status: 'open' },
      toAccept: 2,
      toPack: 2,
      refundRequests: 1,
      nextCutoff: null,
      lowStock: [
        { id: expect.any(String), name: '蒜苗', stock: 2, unit: '斤' },
        { id: expect.any(String), name: '香菜', stock: 4, unit: '斤' },
      ],
      lowStockCount: 2,
    });
    expect([res.body.courier, res.body.staff]).toEqual([null, null]);
    // The same numbers as the shop's own order tabs.
    const tabs = await t.call({
      method: 'GET',
      url: '/v1/merchant/orders?limit=1',
      headers: bearer(shop.owner),
    });
    expect(tabs.body.counts).toMatchObject({ paid: 2, accepted: 2, refund_requested: 1 });
  });

  it('a merchant with locker orders sees the next cut-off and what is due by it', async () => {
    const shop = await produceShop(t);
    const tomato = shop.ambient.find((p) => p.name === '沙瓤西红柿') ?? shop.ambient[0]!;
    const w = await openWindow(t, people.resident);
    const bank = (await residentLocker(t, people.resident)).bankId;
    const accepted = await acceptedLockerOrder(
      t,
      people.resident,
      people.merchant,
      lockerOrder(shop.id, [tomato.id], w.id, bank, 4),
    );
    const paid = await placeOrder(
      t,
      people.neighbour,
      lockerOrder(shop.id, [tomato.id], w.id, (await residentLocker(t, people.neighbour)).bankId, 4),
    );
    expect(paid.status).toBe(201);
    await payOrder(t, people.neighbour, paid.body.id);
    const res = await home(bearer(people.merchant));
    expect(res.body.merchant.nextCutoff).toEqual({
      cutoffAt: w.cutoffAt,
      deliverAt: w.deliverAt,
      toAccept: 1,
      toPack: 1,
    });
    expect(res.body.merchant.toPack).toBeGreaterThanOrEqual(1);
    expect(accepted).toBeTruthy();
    // Another shop's owner sees none of it.
    const other = await makeShop(t);
    const theirs = await home(bearer(other.owner));
    expect(theirs.body.merchant).toMatchObject({
      toAccept: 0,
      toPack: 0,
      refundRequests: 0,
      nextCutoff: null,
    });
  });

  it("a courier sees today's batch, its state and how many drops are left", async () => {
    const res = await home(bearer(people.courier));
    expect(res.status).toBe(200);
    const b = res.body.courier.batches.find((x: { id: string }) => x.id === batchId);
    // Both orders dropped: done, and still listed while its delivery day has not passed.
    expect(b).toMatchObject({ status: 'done', orderCount: 2, droppedCount: 2 });
    expect([res.body.merchant, res.body.staff]).toEqual([null, null]);
    // Not a courier: no courier section, whatever the caller asks.
    expect((await home(bearer(people.resident))).body.courier).toBeNull();
  });

  it('staff see the queues waiting on them, counted in their own communities only', async () => {
    const count = async (who: Who) => {
      const res = await home(bearer(who));
      expect(res.status).toBe(200);
      expect(res.body.resident).toBeNull();
      return Object.fromEntries(
        res.body.staff.queues.map((q: { key: string; count: number }) => [q.key, q.count]),
      ) as Record<string, number>;
    };
    const before = await count(people.staff);
    const households = await demoHouseholds(t, bearer(people.staff));
    const applicant = await t.login(freshPhone());
    expect(
      (
        await t.call({
          method: 'POST',
          url: '/v1/memberships',
          headers: bearer(applicant),
          payload: { householdId: households[33] },
        })
      ).status,
    ).toBeLessThan(300);
    await makeShop(t, { status: 'pending' });
    const son = await t.login(freshPhone());
    expect(
      (
        await t.call({
          method: 'POST',
          url: '/v1/proxy-links',
          headers: bearer(son),
          payload: { elderPhone: PHONES.elder, relationship: '儿子' },
        })
      ).status,
    ).toBeLessThan(300);
    const after = await count(people.staff);
    expect(after).toEqual({
      ...before,
      memberships: before.memberships! + 1,
      merchants: before.merchants! + 1,
      proxyConsents: before.proxyConsents! + 1,
    });
    expect(Object.keys(after).sort()).toEqual(
      [
        'careProviders',
        'memberships',
        'merchants',
        'moderation',
        'overdueLockers',
        'proxyConsents',
        'requests',
        'volunteers',
      ].sort(),
    );
    // The same count as the memberships review page.
    const page = await t.call({
      method: 'GET',
      url: '/v1/staff/memberships?status=pending',
      headers: bearer(people.staff),
    });
    expect(after.memberships).toBe(page.body.items.length);
    // Staff of no community: every queue empty.
    const elsewhere = await makeStaff(t, { runsDemo: false });
    expect(Object.values(await count(elsewhere)).every((n) => n === 0)).toBe(true);
  });
});

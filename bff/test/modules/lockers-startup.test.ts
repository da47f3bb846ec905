import { and, eq, inArray } from 'drizzle-orm';
import { localClock, orderStatusLabel, zonedInstant } from 'shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compartmentAssignments,
  deliveryBatches,
  deliveryWindows,
  notifications,
  orderEvents,
} from '../../src/db/schema';
import { lockersModule } from '../../src/modules/lockers';
import { buildBatchInline } from '../../src/modules/lockers/batches';
import { startWorkers } from '../../src/workers';
import {
  acceptedLockerOrder,
  lockerOrder,
  ownWindows,
  produceShop,
  residentLocker,
  type Who,
} from '../fixtures/lockers';
import { bearer, demoCommunityId, inbox, PHONES, TEST_ENV } from '../fixtures/people';
import { setupTestApp, type TestApp } from '../helper';

const TZ = 'Asia/Shanghai';
const COURIER = '13800000003';
const silent = { info() {}, warn() {}, error() {} };

let t: TestApp;
let communityId: string;
let resident: Who;
let merchant: Who;
let courier: Who;
let staff: Who;

beforeAll(async () => {
  t = await setupTestApp(TEST_ENV);
  communityId = await demoCommunityId(t);
  ownWindow = ownWindows(t, communityId, 30);
  resident = await t.login(PHONES.resident);
  merchant = await t.login(PHONES.merchant);
  courier = await t.login(COURIER);
  staff = await t.login(PHONES.staff);
});
afterAll(() => t?.close());

/** A window of the test's own, far enough ahead that no seeded window is near it. */
let ownWindow: ReturnType<typeof ownWindows>;

async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const batchesOf = (windowId: string) =>
  t.deps.db.select().from(deliveryBatches).where(eq(deliveryBatches.windowId, windowId));

async function residentOrder(id: string) {
  const res = await t.call({ method: 'GET', url: `/v1/orders/${id}`, headers: bearer(resident) });
  expect(res.status).toBe(200);
  return res.body;
}
async function merchantOrder(id: string) {
  const res = await t.call({ method: 'GET', url: `/v1/merchant/orders/${id}`, headers: bearer(merchant) });
  expect(res.status).toBe(200);
  return res.body;
}
async function listed(id: string) {
  const res = await t.call({ method: 'GET', url: '/v1/orders?limit=50', headers: bearer(resident) });
  return res.body.items.find((o: { id: string }) => o.id === id);
}

describe('statuses that follow the batch', () => {
  it('says 待配送 from the cut-off until the courier starts, 配送中 after, 已入柜 at the drop', async () => {
    t.clock.set(new Date());
    const w = await ownWindow();
    const shop = await produceShop(t);
    const tomato = shop.ambient.find((p) => p.name === '沙瓤西红柿')!;
    const { bankId } = await residentLocker(t, resident);
    const orderId = await acceptedLockerOrder(
      t,
      resident,
      merchant,
      lockerOrder(shop.id, [tomato.id], w.id, bankId, 4),
    );

    // Before the cut-off the shop sees what to pack by: the window's cut-off and delivery.
    const before = await merchantOrder(orderId);
    expect(before.number).toMatch(/^\d{4}-\d{3,}$/);
    expect(before.locker).toMatchObject({
      windowId: w.id,
      cutoffAt: w.cutoffAt.toISOString(),
      deliverAt: w.deliverAt.toISOString(),
      batchStatus: null,
    });
    expect(orderStatusLabel(await residentOrder(orderId))).toBe('备货中');

    // Cut-off: the order is in the batch, but nobody has set out.
    const batchId = (await buildBatchInline(t.deps, w.id))!;
    const cut = await residentOrder(orderId);
    expect(cut.status).toBe('in_batch');
    expect(cut.locker.batchStatus).toBe('ready');
    expect(orderStatusLabel(cut)).toBe('待配送');
    expect(orderStatusLabel(await listed(orderId))).toBe('待配送');
    expect((await listed(orderId)).number).toBe(before.number);

    // The shop packs after the cut-off: a fact on the timeline, still 待配送; once only.
    const pack = () =>
      t.call({
        method: 'POST',
        url: `/v1/merchant/orders/${orderId}/pack`,
        headers: bearer(merchant),
        payload: {},
      });
    const packed = await pack();
    expect(packed.status).toBe(200);
    expect(packed.body.status).toBe('in_batch');
    expect(packed.body.timeline.map((e: { event: string }) => e.event)).toContain('pack');
    expect((await pack()).status).toBe(409);
    const afterPack = await residentOrder(orderId);
    expect(orderStatusLabel(afterPack)).toBe('待配送');
    expect(afterPack.timeline.filter((e: { event: string }) => e.event === 'pack')).toHaveLength(1);

    // The courier's manifest names the order by its number.
    const url = `/v1/courier/batches/${batchId}`;
    const m = await t.call({ method: 'GET', url, headers: bearer(courier) });
    const drop = m.body.dropList
      .flatMap((b: { drops: unknown[] }) => b.drops)
      .find((d: { orderId: string }) => d.orderId === orderId);
    expect(drop.orderNumber).toBe(before.number);
    expect(
      m.body.pickList
        .flatMap((p: { orders: unknown[] }) => p.orders)
        .find((o: { orderId: string }) => o.orderId === orderId).orderNumber,
    ).toBe(before.number);

    // The courier sets out: now it is on the way.
    expect(
      (await t.call({ method: 'POST', url: `${url}/start`, headers: bearer(courier), payload: {} })).status,
    ).toBe(200);
    const started = await residentOrder(orderId);
    expect(started.locker.batchStatus).toBe('in_progress');
    expect(orderStatusLabel(started)).toBe('配送中');
    expect(orderStatusLabel(await merchantOrder(orderId))).toBe('配送中');

    const dropped = await t.call({
      method: 'POST',
      url: `${url}/drops`,
      headers: bearer(courier),
      payload: { orderId, compartmentId: drop.compartmentId },
    });
    expect(dropped.status).toBe(200);
    expect(dropped.body.drop.orderNumber).toBe(before.number);
    const inLocker = await residentOrder(orderId);
    expect(inLocker.status).toBe('in_locker');
    expect(orderStatusLabel(inLocker)).toBe('已入柜');
    const told = (await inbox(t, resident.userId)).find(
      (n) => n.kind === 'locker.dropped' && n.link?.includes(orderId),
    );
    expect(told!.body).toContain(`订单 ${before.number}`);
  });
});

describe('cut-offs missed while no worker ran', () => {
  it('two workers starting together close the window and build its batch once', async () => {
    t.clock.set(new Date());
    const w = await ownWindow();
    const shop = await produceShop(t);
    const tomato = shop.ambient.find((p) => p.name === '沙瓤西红柿')!;
    const { bankId } = await residentLocker(t, resident);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push(
        await acceptedLockerOrder(t, resident, merchant, lockerOrder(shop.id, [tomato.id], w.id, bankId, 4)),
      );
    // Nothing ran at the cut-off: hours later the window still says 接单中.
    t.clock.set(new Date(w.cutoffAt.getTime() + 3 * 3600_000));
    const [open] = await t.deps.db.select().from(deliveryWindows).where(eq(deliveryWindows.id, w.id));
    expect(open!.status).toBe('open');

    await Promise.all([
      lockersModule.onWorkerStart!(t.deps, silent),
      lockersModule.onWorkerStart!(t.deps, silent),
    ]);
    const [closed] = await t.deps.db.select().from(deliveryWindows).where(eq(deliveryWindows.id, w.id));
    expect(closed!.status).toBe('closed');

    const workers = startWorkers(t.deps, silent, { relayIntervalMs: 20, schedulers: false });
    let batches: Awaited<ReturnType<typeof batchesOf>>;
    try {
      batches = await until(
        () => batchesOf(w.id),
        (rows) => rows[0]?.status === 'ready',
      );
      // A third start later finds nothing to do for this window.
      await lockersModule.onWorkerStart!(t.deps, silent);
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      await workers.close();
    }
    expect(batches).toHaveLength(1);
    expect(batches[0]!.status).toBe('ready');
    const held = await t.deps.db
      .select()
      .from(compartmentAssignments)
      .where(inArray(compartmentAssignments.orderId, ids));
    expect(held).toHaveLength(3);
    expect(new Set(held.map((h) => h.orderId)).size).toBe(3);
    const batched = await t.deps.db
      .select()
      .from(orderEvents)
      .where(and(inArray(orderEvents.orderId, ids), eq(orderEvents.event, 'batch')));
    expect(batched).toHaveLength(3);
    const sent = await t.deps.db
      .select()
      .from(notifications)
      .where(inArray(notifications.kind, ['locker.scheduled', 'batch.ready']));
    const mine = sent.filter(
      (n) => ids.some((id) => n.link?.includes(id)) || n.link?.includes(batches[0]!.id),
    );
    expect(mine.filter((n) => n.kind === 'locker.scheduled')).toHaveLength(3);
    expect(mine.filter((n) => n.kind === 'batch.ready')).toHaveLength(1);
    for (const id of ids) expect(orderStatusLabel(await residentOrder(id))).toBe('待配送');
    t.clock.set(new Date());
  });

  it('a window made after its cut-off is born closed, with no 立即截单 left to press', async () => {
    // 15:00 in Shanghai, and staff add a daily schedule whose cut-off was 14:00.
    const now = zonedInstant(localClock(new Date(), TZ).date, '15:00', TZ);
    t.clock.set(now);
    const local = localClock(now, TZ);
    const cutoffLocal = '14:00';
    const made = await t.call({
      method: 'POST',
      url: '/v1/staff/delivery-windows',
      headers: bearer(staff),
      payload: { communityId, cutoffLocal, deliveryLocal: '23:59' },
    });
    expect(made.status).toBe(201);
    const windows = await t.deps.db
      .select()
      .from(deliveryWindows)
      .where(eq(deliveryWindows.scheduleId, made.body.id));
    const today = windows.find((x) => localClock(x.cutoffAt, TZ).date === local.date)!;
    expect(today.cutoffAt.getTime()).toBeLessThan(now.getTime());
    expect(today.status).toBe('closed');
    const later = windows.filter((x) => x.id !== today.id);
    expect(later.length).toBeGreaterThan(0);
    for (const x of later) expect(x.status).toBe('open');
    const staffView = await t.call({
      method: 'GET',
      url: '/v1/staff/delivery-windows',
      headers: bearer(staff),
    });
    expect(staffView.body.windows.find((x: { id: string }) => x.id === today.id).status).toBe('closed');
    // Starting a worker changes nothing for it: there was nothing to order, so nothing to build.
    await lockersModule.onWorkerStart!(t.deps, silent);
    expect(await batchesOf(today.id)).toEqual([]);
    t.clock.set(new Date());
  });
});

import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compartmentAssignments,
  compartments,
  deliveryBatches,
  deliveryWindows,
  lockerPickups,
  merchants,
} from '../../src/db/schema';
import { buildBatchInline, runCutoff } from '../../src/modules/lockers/batches';
import { lockerJobs } from '../fixtures/jobs';
import {
  acceptedLockerOrder,
  lockerOrder,
  openWindow,
  produceShop,
  residentLocker,
  signedPickup,
  type Who,
} from '../fixtures/lockers';
import { settle } from '../fixtures/market';
import { bearer, inbox, PHONES, TEST_ENV } from '../fixtures/people';
import { setupTestApp, type TestApp } from '../helper';

let t: TestApp;
let resident: Who;
let merchant: Who;
let courier: Who;
let staff: Who;

beforeAll(async () => {
  t = await setupTestApp(TEST_ENV);
  resident = await t.login(PHONES.resident);
  merchant = await t.login(PHONES.merchant);
  courier = await t.login('13800000003');
  staff = await t.login(PHONES.staff);
});
afterAll(() => t?.close());

/** Moves the clock past the window's cut-off, builds its batch and has the courier start it. */
async function cutOffAndStart(windowId: string, cutoffAt: string): Promise<string> {
  t.clock.set(new Date(new Date(cutoffAt).getTime() + 60_000));
  const batchId = (await buildBatchInline(t.deps, windowId))!;
  await t.call({
    method: 'POST',
    url: `/v1/courier/batches/${batchId}/start`,
    headers: bearer(courier),
    payload: {},
  });
  return batchId;
}

/** The courier drops every compartment of the order listed in the batch's manifest. */
async function dropAll(batchId: string, orderId: string): Promise<void> {
  const m = await t.call({ method: 'GET', url: `/v1/courier/batches/${batchId}`, headers: bearer(courier) });
  for (const bank of m.body.dropList)
    for (const d of bank.drops.filter((x: { orderId: string }) => x.orderId === orderId))
      await t.call({
        method: 'POST',
        url: `/v1/courier/batches/${batchId}/drops`,
        headers: bearer(courier),
        payload: { orderId, compartmentId: d.compartmentId },
      });
}

describe('a locker order from checkout to pickup', () => {
  it('is batched at cut-off, dropped by the courier and collected at the panel with its code', async () => {
    const shop = await produceShop(t);
    const { compoundId, bankId } = await residentLocker(t, resident);
    const w = await openWindow(t, resident);
    const avail = await t.call({
      method: 'GET',
      url: `/v1/lockers/availability?compoundId=${compoundId}&windowId=${w.id}`,
      headers: bearer(resident),
    });
    expect(avail.status).toBe(200);
    expect(avail.body.banks.map((b: { bankId: string }) => b.bankId)).toEqual([bankId]);
    const freeBefore = avail.body.banks[0].free.reduce((n: number, f: { count: number }) => n + f.count, 0);
    expect(freeBefore).toBe(30);

    const orderId = await acceptedLockerOrder(
      t,
      resident,
      merchant,
      lockerOrder(shop.id, [shop.ambient[0]!.id, shop.chilled[0]!.id], w.id, bankId, 5),
    );
    const after = await t.call({
      method: 'GET',
      url: `/v1/lockers/availability?compoundId=${compoundId}&windowId=${w.id}`,
      headers: bearer(resident),
    });
    expect(after.body.banks[0].free.reduce((n: number, f: { count: number }) => n + f.count, 0)).toBe(28);

    t.clock.set(new Date(new Date(w.cutoffAt).getTime() + 60_000));
    const batchId = await buildBatchInline(t.deps, w.id);
    expect(batchId).toBeTruthy();

    const mine = await t.call({ method: 'GET', url: '/v1/courier/batches', headers: bearer(courier) });
    const batch = mine.body.items.find((b: { id: string }) => b.id === batchId);
    expect(batch).toMatchObject({ status: 'ready', orderCount: 1, bankCount: 1 });
    const scheduled = (await inbox(t, resident.userId)).filter((n) => n.kind === 'locker.scheduled');
    expect(scheduled).toHaveLength(1);
    expect(scheduled[0]!.body).toContain('生鲜柜');
    const m = await t.call({
      method: 'GET',
      url: `/v1/courier/batches/${batchId}`,
      headers: bearer(courier),
    });
    expect(m.body.pickList[0].merchantName).toBe('菜宅送');
    const drops = m.body.dropList[0].drops as { orderId: string; compartmentId: string; zone: string }[];
    expect(drops.map((d) => d.zone).sort()).toEqual(['ambient', 'chilled']);

    const early = await t.call({
      method: 'POST',
      url: `/v1/courier/batches/${batchId}/drops`,
      headers: bearer(courier),
      payload: { orderId, compartmentId: drops[0]!.compartmentId },
    });
    expect(early.status).toBe(409);
    expect(
      (
        await t.call({
          method: 'POST',
          url: `/v1/courier/batches/${batchId}/start`,
          headers: bearer(courier),
          payload: {},
        })
      ).body.status,
    ).toBe('in_progress');
    for (const d of drops) {
      const res = await t.call({
        method: 'POST',
        url: `/v1/courier/batches/${batchId}/drops`,
        headers: bearer(courier),
        payload: { orderId, compartmentId: d.compartmentId },
      });
      expect(res.status).toBe(200);
    }
    const view = await t.call({ method: 'GET', url: `/v1/orders/${orderId}`, headers: bearer(resident) });
    expect(view.body.status).toBe('in_locker');
    expect(view.body.locker.code).toMatch(/^\d{6}$/);
    expect(view.body.locker.compartments).toHaveLength(2);
    expect((await inbox(t, resident.userId)).some((n) => n.kind === 'locker.dropped')).toBe(true);
    const merchantView = await t.call({
      method: 'GET',
      url: `/v1/merchant/orders/${orderId}`,
      headers: bearer(merchant),
    });
    expect(merchantView.body.locker.code).toBeNull();

    const secret = await t.call({
      method: 'POST',
      url: `/v1/staff/locker-banks/${bankId}/device-secret`,
      headers: bearer(staff),
      payload: {},
    });
    const req = signedPickup(secret.body.deviceSecret, view.body.locker.code);
    const opened = await t.call({ method: 'POST', url: `/v1/devices/lockers/${bankId}/pickup`, ...req });
    expect(opened.status).toBe(200);
    expect(opened.body.compartments.map((c: { label: string }) => c.label)).toEqual(
      view.body.locker.compartments,
    );
    const replay = await t.call({ method: 'POST', url: `/v1/devices/lockers/${bankId}/pickup`, ...req });
    expect(replay.status).toBe(401);
    const done = await t.call({ method: 'GET', url: `/v1/orders/${orderId}`, headers: bearer(resident) });
    expect(done.body.status).toBe('picked_up');
    expect(done.body.locker.code).toBeNull();
    const held = await t.deps.db
      .select()
      .from(compartments)
      .where(
        inArray(
          compartments.id,
          drops.map((d) => d.compartmentId),
        ),
      );
    expect(held.map((c) => c.state)).toEqual(['free', 'free']);
    const live = await t.deps.db
      .select()
      .from(compartmentAssignments)
      .where(
        and(
          eq(compartmentAssignments.orderId, orderId),
          inArray(compartmentAssignments.status, ['reserved', 'occupied']),
        ),
      );
    expect(live).toHaveLength(0);
    await settle(t);
  });

  it('goes overdue after its free window and is retrieved by the courier on the next run', async () => {
    const shop = await produceShop(t);
    const { bankId } = await residentLocker(t, resident);
    t.clock.set(new Date());
    const w = await openWindow(t, resident);
    const orderId = await acceptedLockerOrder(
      t,
      resident,
      merchant,
      lockerOrder(shop.id, [shop.frozen[0]!.id], w.id, bankId, 5),
    );
    const batchId = await cutOffAndStart(w.id, w.cutoffAt);
    await dropAll(batchId, orderId);
    expect(
      (await t.call({ method: 'GET', url: `/v1/orders/${orderId}`, headers: bearer(resident) })).body.status,
    ).toBe('in_locker');
    expect(await lockerJobs.process({ name: 'locker.overdue', data: { orderId } } as never, t.deps)).toBe(
      false,
    );
    t.clock.advance(25 * 3600_000);
    expect(await lockerJobs.process({ name: 'locker.overdue', data: { orderId } } as never, t.deps)).toBe(
      true,
    );
    expect(
      (await t.call({ method: 'GET', url: `/v1/orders/${orderId}`, headers: bearer(resident) })).body.status,
    ).toBe('overdue');

    const next = await openWindow(t, resident);
    const run = await cutOffAndStart(next.id, next.cutoffAt);
    const manifest = await t.call({
      method: 'GET',
      url: `/v1/courier/batches/${run}`,
      headers: bearer(courier),
    });
    const due = manifest.body.retrievals.find((r: { orderId: string }) => r.orderId === orderId);
    expect(due).toMatchObject({ perishable: true, merchantName: '菜宅送' });
    const taken = await t.call({
      method: 'POST',
      url: `/v1/courier/batches/${run}/retrievals`,
      headers: bearer(courier),
      payload: { orderId },
    });
    expect(taken.status).toBe(200);
    expect(taken.body.compartments.map((c: { label: string }) => c.label)).toEqual(due.compartments);
    const returned = await t.call({ method: 'GET', url: `/v1/orders/${orderId}`, headers: bearer(resident) });
    expect(returned.body.status).toBe('returned');
    expect(returned.body.refund).toBeNull();
    const [p] = await t.deps.db.select().from(lockerPickups).where(eq(lockerPickups.orderId, orderId));
    expect(p!.disposition).toBe('rescue');
    expect((await inbox(t, merchant.userId)).some((n) => n.kind === 'locker.returned')).toBe(true);
    const again = await t.call({
      method: 'POST',
      url: `/v1/courier/batches/${run}/retrievals`,
      headers: bearer(courier),
      payload: { orderId },
    });
    expect(again.status).toBe(404);
  });

  it('finishes a cut-off that closed its window but died before queuing the build', async () => {
    t.clock.set(new Date());
    const w = await openWindow(t, resident);
    const [row] = await t.deps.db.select().from(deliveryWindows).where(eq(deliveryWindows.id, w.id));
    t.clock.set(new Date(new Date(w.cutoffAt).getTime() + 60_000));
    await runCutoff(t.deps, w.id);
    // The flow never reached Redis: as if the process died right after the commit.
    await t.deps.queues.get('lockers').obliterate({ force: true });
    const [batch] = await t.deps.db.select().from(deliveryBatches).where(eq(deliveryBatches.windowId, w.id));
    expect(batch!.status).toBe('building');
    expect(
      await lockerJobs.process(
        { name: 'schedule.cutoff', data: { scheduleId: row!.scheduleId } } as never,
        t.deps,
      ),
    ).toBeGreaterThan(0);
    const parent = await t.deps.queues.get('lockers').getJob(`batch-finalize-${batch!.id}`);
    expect(parent).toBeTruthy();
  });

  it('refunds a retrieved overdue order at once when the shop’s policy says so', async () => {
    const shop = await produceShop(t);
    await t.deps.db.update(merchants).set({ refundsOverdue: true }).where(eq(merchants.id, shop.id));
    const { bankId } = await residentLocker(t, resident);
    t.clock.set(new Date());
    const w = await openWindow(t, resident);
    const orderId = await acceptedLockerOrder(
      t,
      resident,
      merchant,
      lockerOrder(shop.id, [shop.ambient[0]!.id], w.id, bankId, 8),
    );
    const batchId = await cutOffAndStart(w.id, w.cutoffAt);
    await dropAll(batchId, orderId);
    t.clock.advance(50 * 3600_000);
    expect(await lockerJobs.process({ name: 'locker.overdue', data: { orderId } } as never, t.deps)).toBe(
      true,
    );
    const next = await openWindow(t, resident);
    const run = await cutOffAndStart(next.id, next.cutoffAt);
    const taken = await t.call({
      method: 'POST',
      url: `/v1/courier/batches/${run}/retrievals`,
      headers: bearer(courier),
      payload: { orderId },
    });
    expect(taken.status).toBe(200);
    await settle(t);
    const view = await t.call({ method: 'GET', url: `/v1/orders/${orderId}`, headers: bearer(resident) });
    expect(view.body.status).toBe('refunded');
    expect(view.body.refund).toMatchObject({ status: 'approved', autoApproved: true });
    expect(view.body.payment.status).toBe('refunded');
    const [p] = await t.deps.db.select().from(lockerPickups).where(eq(lockerPickups.orderId, orderId));
    // Ambient goods go back to the shop; only chilled and frozen ones are rescued or disposed of.
    expect(p!.disposition).toBe('return');
    await t.deps.db.update(merchants).set({ refundsOverdue: false }).where(eq(merchants.id, shop.id));
  });
});

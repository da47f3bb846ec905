import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockerPickups, notifications, orderEvents, payments } from '../../src/db/schema';
import { buildBatchInline } from '../../src/modules/lockers/batches';
import { markOverdue } from '../../src/modules/lockers/pickup';
import {
  acceptedLockerOrder,
  lockerOrder,
  openWindow,
  produceShop,
  residentLocker,
  type Who,
} from '../fixtures/lockers';
import { bearer, PHONES, TEST_ENV } from '../fixtures/people';
import { setupTestApp, type TestApp } from '../helper';

const COURIER = '13800000003';

let t: TestApp;
let resident: Who;
let neighbour: Who;
let bankId: string;
/** Orders past their free time in the locker, one per test. */
const overdue: string[] = [];

beforeAll(async () => {
  t = await setupTestApp(TEST_ENV);
  const merchant = await t.login(PHONES.merchant);
  const courier = await t.login(COURIER);
  resident = await t.login(PHONES.resident);
  neighbour = await t.login(PHONES.otherResident);
  const shop = await produceShop(t);
  const tomato = shop.ambient.find((p) => p.name === '沙瓤西红柿')!;
  const w = await openWindow(t, resident);
  bankId = (await residentLocker(t, resident)).bankId;
  const ids: string[] = [];
  for (let i = 0; i < 4; i++)
    ids.push(
      await acceptedLockerOrder(t, resident, merchant, lockerOrder(shop.id, [tomato.id], w.id, bankId, 4)),
    );

  t.clock.set(new Date(new Date(w.cutoffAt).getTime() + 60_000));
  const batchId = await buildBatchInline(t.deps, w.id);
  const url = `/v1/courier/batches/${batchId}`;
  await t.call({ method: 'POST', url: `${url}/start`, headers: bearer(courier), payload: {} });
  const m = await t.call({ method: 'GET', url, headers: bearer(courier) });
  for (const b of m.body.dropList as { drops: { orderId: string; compartmentId: string }[] }[])
    for (const d of b.drops)
      expect(
        (await t.call({ method: 'POST', url: `${url}/drops`, headers: bearer(courier), payload: d })).status,
      ).toBe(200);
  const [p] = await t.deps.db.select().from(lockerPickups).where(eq(lockerPickups.orderId, ids[0]!));
  t.clock.set(new Date(p!.deadline.getTime() + 60_000));
  for (const id of ids) {
    expect(await markOverdue(t.deps, id)).toBe(true);
    overdue.push(id);
  }
});

afterAll(async () => {
  await t?.close();
});

const view = (id: string) => t.call({ method: 'GET', url: `/v1/orders/${id}`, headers: bearer(resident) });
const pay = (id: string, who = resident) =>
  t.call({ method: 'POST', url: `/v1/orders/${id}/extend/pay`, headers: bearer(who), payload: {} });
const confirm = (paymentId: string) =>
  t.call({
    method: 'POST',
    url: `/v1/payments/${paymentId}/dev-confirm`,
    headers: bearer(resident),
    payload: {},
  });
const collect = (id: string) =>
  t.call({
    method: 'POST',
    url: `/v1/lockers/${bankId}/open`,
    headers: bearer(resident),
    payload: { orderId: id },
  });
const paymentsOf = (id: string) =>
  t.deps.db
    .select()
    .from(payments)
    .where(and(eq(payments.subject, 'locker_extension'), eq(payments.subjectId, id)));

describe('the locker extension fee goes through the payment provider', () => {
  it('is charged before it extends: the free route refuses, paying opens one payment, the money extends once', async () => {
    const id = overdue[0]!;
    const free = await t.call({
      method: 'POST',
      url: `/v1/orders/${id}/extend`,
      headers: bearer(resident),
      payload: {},
    });
    expect(free.status).toBe(409);
    expect(free.body.error.code).toBe('EXTENSION_PAYMENT_REQUIRED');

    const first = await pay(id);
    expect(first.status).toBe(200);
    expect(first.body.provider).toBe('devpay');
    // Paying again hands back the same pending payment, for the fee fixed at the drop.
    const again = await pay(id);
    expect(again.body.paymentId).toBe(first.body.paymentId);
    const [p] = await paymentsOf(id);
    expect(p!.amountFen).toBe(t.deps.config.LOCKER_EXTENSION_FEE_FEN);
    const pending = await view(id);
    expect(pending.body.status).toBe('overdue');
    expect(pending.body.locker).toMatchObject({ extended: false, extensionPayment: 'pending' });

    // A neighbour cannot pay for (or learn of) someone else's order.
    expect((await pay(id, neighbour)).status).toBe(404);

    const paid = await confirm(first.body.paymentId);
    expect(paid.status).toBe(200);
    expect(paid.body.status).toBe('in_locker');
    expect(paid.body.locker).toMatchObject({ extended: true, extensionPayment: 'paid' });
    // A replayed confirmation changes nothing.
    expect((await confirm(first.body.paymentId)).body.locker.deadline).toBe(paid.body.locker.deadline);
    const extends_ = await t.deps.db
      .select()
      .from(orderEvents)
      .where(and(eq(orderEvents.orderId, id), eq(orderEvents.event, 'extend')));
    expect(extends_).toHaveLength(1);
    expect(extends_[0]!.note).toContain('已支付服务费');
    expect((await pay(id)).body.error.code).toBe('ALREADY_EXTENDED');
  });

  it('money that arrives after the order left the locker goes back and the resident is told', async () => {
    const id = overdue[1]!;
    const opened = await pay(id);
    expect(opened.status).toBe(200);
    expect((await collect(id)).status).toBe(200);
    const [closed] = await paymentsOf(id);
    expect(closed!.status).toBe('closed');

    // The provider's confirmation arrives late anyway: the order stays collected, the fee is refunded.
    await confirm(opened.body.paymentId);
    const after = await view(id);
    expect(after.body.status).toBe('picked_up');
    expect(after.body.locker.extended).toBe(false);
    const [p] = await paymentsOf(id);
    expect(['refunding', 'refunded']).toContain(p!.status);
    const told = await t.deps.db
      .select()
      .from(notifications)
      .where(
        and(eq(notifications.userId, resident.userId), eq(notifications.kind, 'locker.extension_refunded')),
      );
    expect(told).toHaveLength(1);
  });

  it('a confirmation racing the pickup: extended then collected, or collected then refunded, never both', async () => {
    const id = overdue[2]!;
    const opened = await pay(id);
    const [confirmed, collected] = await Promise.all([confirm(opened.body.paymentId), collect(id)]);
    expect(confirmed.status).toBe(200);
    expect(collected.status).toBe(200);
    const after = await view(id);
    expect(after.body.status).toBe('picked_up');
    const [p] = await paymentsOf(id);
    if (after.body.locker.extended) expect(p!.status).toBe('succeeded');
    else expect(['refunding', 'refunded']).toContain(p!.status);
  });

  it('a free extension (no fee fixed at the drop) needs no payment', async () => {
    const id = overdue[3]!;
    await t.deps.db.update(lockerPickups).set({ extensionFeeFen: 0 }).where(eq(lockerPickups.orderId, id));
    expect((await pay(id)).body.error.code).toBe('EXTENSION_FREE');
    const res = await t.call({
      method: 'POST',
      url: `/v1/orders/${id}/extend`,
      headers: bearer(resident),
      payload: {},
    });
    expect(res.status).toBe(200);
    expect(res.body.locker).toMatchObject({ extended: true, extensionPayment: null });
    expect(await paymentsOf(id)).toEqual([]);
  });
});

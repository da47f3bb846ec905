import type { Job } from 'bullmq';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/access/actor';
import {
  careBookings,
  caregivers,
  caregiverTimeOff,
  careItems,
  careReminders,
  elderProfiles,
  notifications,
  outbox,
  payments,
  users,
  voucherBalances,
  voucherLedger,
} from '../../src/db/schema';
import { createBooking, reassignRequest } from '../../src/modules/care/bookings';
import {
  alertNoClockIn,
  alertOverrun,
  confirmTimedOut,
  sendReminder,
} from '../../src/modules/care/reminders';
import { paymentJobs, processorFor } from '../fixtures/jobs';
import { demoHouseholds, freshPhone, PHONES, TEST_ENV } from '../fixtures/people';
import { setupTestApp, type TestApp } from '../helper';

const careJobs = processorFor('care');
let t: TestApp;
let family: { authorization: string; userId: string };
let elderId: string;
let bathingId: string;
let households: string[];

// Sunday 6 December 2026, 20:00 in Shanghai; Monday's morning shift starts at 08:00.
const NOW = new Date('2026-12-06T20:00:00+08:00');
const MONDAY_9 = '2026-12-07T09:00:00+08:00';

const asFamily = () => ({ ...family, 'x-on-behalf-of': elderId });
const actorFor = (userId: string, actorId = userId): Actor => ({
  userId,
  actorId,
  roles: ['resident'],
  onBehalfOf: actorId === userId ? null : userId,
});

async function itemId(code: string) {
  const [i] = await t.deps.db.select({ id: careItems.id }).from(careItems).where(eq(careItems.code, code));
  return i!.id;
}

/** A new elder (born 1940) living in a demo household, with this much voucher balance. */
async function newElder(balanceFen: number, household = households[7]!) {
  const [u] = await t.deps.db
    .insert(users)
    .values({ phone: freshPhone(), name: '测试长者', birthDate: '1940-01-01' })
    .returning();
  await t.deps.db.insert(elderProfiles).values({ userId: u!.id, householdId: household });
  if (balanceFen > 0) await t.deps.db.insert(voucherBalances).values({ elderId: u!.id, balanceFen });
  return u!.id;
}

beforeAll(async () => {
  t = await setupTestApp(TEST_ENV);
  t.clock.set(NOW);
  family = await t.login(PHONES.familyProxy);
  const elder = await t.login(PHONES.elder);
  elderId = elder.userId;
  bathingId = await itemId('home_bathing');
  households = await demoHouseholds(t, family);
}, 60_000);
afterAll(async () => {
  await t?.close();
});

describe('slots and booking', () => {
  it('lists Monday morning slots for bathing, on the half-hour grid, after the notice', async () => {
    const res = await t.call({
      method: 'GET',
      url: `/v1/care/items/${bathingId}/slots?date=2026-12-07`,
      headers: asFamily(),
    });
    expect(res.status).toBe(200);
    expect(res.body.timezone).toBe('Asia/Shanghai');
    const starts = res.body.items.map((s: { startsAt: string }) => new Date(s.startsAt).getTime());
    expect(starts).toContain(new Date(MONDAY_9).getTime());
    // 90 minutes plus 15 after must end by 12:00, or start at 13:30 + 15 before.
    expect(starts).not.toContain(new Date('2026-12-07T10:30:00+08:00').getTime());
    expect(starts).not.toContain(new Date('2026-12-07T13:30:00+08:00').getTime());
    expect(starts).toContain(new Date('2026-12-07T13:45:00+08:00').getTime() + 15 * 60_000);
    for (const s of starts) expect(new Date(s).getUTCMinutes() % 30).toBe(0);
  });

  it('books for the elder through a consented proxy: voucher half, self-pay half, audited', async () => {
    const before = await balanceOf(elderId);
    const res = await t.call({
      method: 'POST',
      url: '/v1/care/bookings',
      headers: asFamily(),
      payload: { itemId: bathingId, startsAt: MONDAY_9, note: '请带洗浴椅' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'confirmed', itemName: '上门助浴', priceFen: 12000, elderId });
    expect(res.body.voucherFen).toBe(Math.min(6000, before));
    expect(res.body.voucherFen + res.body.selfPayFen).toBe(12000);
    expect(await balanceOf(elderId)).toBe(before - res.body.voucherFen);
    const [row] = await t.deps.db.select().from(careBookings).where(eq(careBookings.id, res.body.id));
    expect(row!.bookedBy).toBe(family.userId);
    // Reminders owed at 24 h and 1 h before; the 24 h one is already past at booking time? No: 13 h ahead.
    const owed = await t.deps.db.select().from(careReminders).where(eq(careReminders.bookingId, res.body.id));
    expect(owed.map((r) => r.kind)).toEqual(['1h']);
  });

  it('no longer offers a time the elder is already booked at', async () => {
    const res = await t.call({
      method: 'GET',
      url: `/v1/care/items/${await itemId('haircut')}/slots?date=2026-12-07`,
      headers: asFamily(),
    });
    const starts = res.body.items.map((s: { startsAt: string }) => new Date(s.startsAt).getTime());
    const nine = new Date(MONDAY_9).getTime();
    // The bath from 09:00 to 10:30: nothing that starts inside it, nor one that runs into it.
    expect(starts.some((s: number) => s >= nine - 30 * 60_000 && s < nine + 90 * 60_000)).toBe(false);
    expect(starts.length).toBeGreaterThan(0);
  });

  it('refuses a family member without consent (404) and a slot off the grid (400)', async () => {
    const stranger = await t.login(freshPhone());
    const res = await t.call({
      method: 'POST',
      url: '/v1/care/bookings',
      headers: { ...stranger, 'x-on-behalf-of': elderId },
      payload: { itemId: bathingId, startsAt: '2026-12-07T14:00:00+08:00' },
    });
    expect(res.status).toBe(404);
    const off = await t.call({
      method: 'POST',
      url: '/v1/care/bookings',
      headers: asFamily(),
      payload: { itemId: bathingId, startsAt: '2026-12-08T09:10:00+08:00' },
    });
    expect(off.status).toBe(400);
    expect(off.body.error.details[0].path).toBe('body.startsAt');
  });

  it('refuses the subsidised list to someone under the age', async () => {
    const young = await t.login(PHONES.resident);
    const res = await t.call({
      method: 'POST',
      url: '/v1/care/bookings',
      headers: young,
      payload: { itemId: bathingId, startsAt: '2026-12-08T09:00:00+08:00' },
    });
    expect(res.status).toBe(409);
    expect(['CARE_NOT_ELIGIBLE', 'ELDER_HOUSEHOLD_MISSING']).toContain(res.body.error.code);
  });
});

async function balanceOf(id: string) {
  const [b] = await t.deps.db.select().from(voucherBalances).where(eq(voucherBalances.elderId, id));
  return b?.balanceFen ?? 0;
}

describe('races against the real database', () => {
  it('200 elders racing for one caregiver slot: exactly one booking, 199 SLOT_TAKEN', async () => {
    // An item only one caregiver is qualified for.
    const [only] = await t.deps.db.select().from(caregivers).where(eq(caregivers.name, '陈护理'));
    await t.deps.db
      .update(caregivers)
      .set({ certifications: sql`${caregivers.certifications} || '["driving"]'::jsonb` })
      .where(eq(caregivers.id, only!.id));
    const [item] = await t.deps.db
      .insert(careItems)
      .values({
        categoryId: (await t.deps.db.select().from(careItems).where(eq(careItems.id, bathingId)))[0]!
          .categoryId,
        code: 'test_drive',
        name: '测试接送',
        durationMin: 60,
        priceFen: 5000,
        certification: 'driving',
        minNoticeMin: 60,
        dailyCap: 8,
      })
      .returning();
    const elders = await Promise.all(Array.from({ length: 200 }, () => newElder(0)));
    const at = '2026-12-09T10:00:00+08:00';
    const results = await Promise.allSettled(
      elders.map((id) => createBooking(t.deps, actorFor(id), { itemId: item!.id, startsAt: at, note: '' })),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const codes = results.flatMap((r) =>
      r.status === 'rejected' ? [(r.reason as { code?: string }).code ?? String(r.reason)] : [],
    );
    expect(ok).toHaveLength(1);
    expect(codes.filter((c) => c === 'SLOT_TAKEN')).toHaveLength(199);
    const rows = await t.deps.db.select().from(careBookings).where(eq(careBookings.itemId, item!.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.caregiverId).toBe(only!.id);
  }, 60_000);

  it('two family members booking the same elder at overlapping times at once: exactly one', async () => {
    const elder = await newElder(0, households[9]!);
    const nursing = await itemId('haircut');
    const cleaning = await itemId('home_cleaning');
    const at = '2026-12-10T09:00:00+08:00';
    const [a, b] = await Promise.allSettled([
      createBooking(t.deps, actorFor(elder, family.userId), { itemId: nursing, startsAt: at, note: '' }),
      createBooking(t.deps, actorFor(elder, (await t.login(PHONES.otherResident)).userId), {
        itemId: cleaning,
        startsAt: at,
        note: '',
      }),
    ]);
    const fulfilled = [a, b].filter((r) => r.status === 'fulfilled');
    expect(fulfilled).toHaveLength(1);
    const failed = [a, b].find((r) => r.status === 'rejected') as PromiseRejectedResult;
    // Different caregivers, so no lock serialises them: the elder's exclusion constraint decides
    // (the HTTP layer maps it to 409 SLOT_TAKEN).
    const reason = failed.reason as {
      code?: string;
      cause?: { constraint_name?: string };
      constraint_name?: string;
    };
    expect(
      reason.code === 'SLOT_TAKEN' ||
        (reason.cause?.constraint_name ?? reason.constraint_name) === 'care_bookings_elder_free',
    ).toBe(true);
    const rows = await t.deps.db.select().from(careBookings).where(eq(careBookings.elderId, elder));
    expect(rows).toHaveLength(1);
  }, 30_000);

  it('vouchers under concurrent bookings never go negative and the ledger adds up', async () => {
    const elder = await newElder(10_000, households[10]!);
    const cleaning = await itemId('home_cleaning');
    const [item] = await t.deps.db.select().from(careItems).where(eq(careItems.id, cleaning));
    const days = ['2026-12-07', '2026-12-08', '2026-12-09', '2026-12-10', '2026-12-11', '2026-12-12'];
    const results = await Promise.allSettled(
      days.flatMap((d) =>
        ['14:00', '16:00'].map((h) =>
          createBooking(t.deps, actorFor(elder), {
            itemId: cleaning,
            startsAt: `${d}T${h}:00+08:00`,
            note: '',
          }),
        ),
      ),
    );
    const made = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(made.length).toBeGreaterThan(2);
    const spent = made.reduce((s, b) => s + b.voucherFen, 0);
    const balance = await balanceOf(elder);
    expect(balance).toBeGreaterThanOrEqual(0);
    expect(balance).toBe(10_000 - spent);
    for (const b of made) expect(b.voucherFen).toBeLessThanOrEqual(Math.floor(item!.priceFen / 2));
    const [sum] = await t.deps.db
      .select({ total: sql<string>`sum(${voucherLedger.amountFen})` })
      .from(voucherLedger)
      .where(eq(voucherLedger.elderId, elder));
    expect(Number(sum!.total)).toBe(-spent);
  }, 30_000);
});

describe('changes and jobs', () => {
  let bookingId: string;
  it('reschedules: same price, new reminders, old ones withdrawn', async () => {
    const made = await t.call({
      method: 'POST',
      url: '/v1/care/bookings',
      headers: asFamily(),
      payload: { itemId: bathingId, startsAt: '2026-12-09T14:00:00+08:00' },
    });
    expect(made.status).toBe(201);
    bookingId = made.body.id;
    const [r1] = await t.deps.db.select().from(careReminders).where(eq(careReminders.bookingId, bookingId));
    // A staff price change after booking leaves the booking as it was.
    await t.deps.db.update(careItems).set({ priceFen: 99_00 }).where(eq(careItems.id, bathingId));
    const moved = await t.call({
      method: 'POST',
      url: `/v1/care/bookings/${bookingId}/reschedule`,
      headers: asFamily(),
      payload: { startsAt: '2026-12-10T14:00:00+08:00' },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.priceFen).toBe(12000);
    expect(moved.body.startsAt).toBe(new Date('2026-12-10T14:00:00+08:00').toISOString());
    const owed = await t.deps.db.select().from(careReminders).where(eq(careReminders.bookingId, bookingId));
    expect(owed.map((r) => r.kind).sort()).toEqual(['1h', '24h']);
    // The reminder queued for the old time, run at that time, finds nothing to send.
    t.clock.set(new Date(r1!.dueAt.getTime() + 1000));
    const queued = (await t.deps.db.select().from(outbox)).length;
    expect(await sendReminder(t.deps, bookingId, r1!.kind as '24h', r1!.dueAt.toISOString())).toBe(false);
    expect((await t.deps.db.select().from(outbox)).length).toBe(queued);
    t.clock.set(NOW);
    await t.deps.db.update(careItems).set({ priceFen: 12000 }).where(eq(careItems.id, bathingId));
  });

  it('sends each reminder once', async () => {
    const [r] = await t.deps.db
      .select()
      .from(careReminders)
      .where(and(eq(careReminders.bookingId, bookingId), eq(careReminders.kind, '24h')));
    // Early, it only waits for its time.
    expect(await sendReminder(t.deps, bookingId, '24h', r!.dueAt.toISOString())).toBe(false);
    t.clock.set(new Date(r!.dueAt.getTime() + 1000));
    const runs = await Promise.all(
      [1, 2, 3].map(() => sendReminder(t.deps, bookingId, '24h', r!.dueAt.toISOString())),
    );
    t.clock.set(NOW);
    expect(runs.filter(Boolean)).toHaveLength(1);
    const sent = await t.deps.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, family.userId), eq(notifications.kind, 'care.reminder.24h')));
    expect(sent).toHaveLength(1);
  });

  it('alerts on no clock-in only once the start is 10 minutes gone', async () => {
    const [b] = await t.deps.db.select().from(careBookings).where(eq(careBookings.id, bookingId));
    const startsAt = b!.startsAt.toISOString();
    const queuedBefore = (await t.deps.db.select().from(outbox)).length;
    expect(await alertNoClockIn(t.deps, bookingId, startsAt)).toBe(false);
    // Too early: it queues itself again for the time left.
    expect((await t.deps.db.select().from(outbox)).length).toBe(queuedBefore + 1);
    t.clock.set(new Date(b!.startsAt.getTime() + 11 * 60_000));
    expect(await alertNoClockIn(t.deps, bookingId, startsAt)).toBe(true);
    expect(await alertNoClockIn(t.deps, bookingId, startsAt)).toBe(true);
    const told = await t.deps.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, family.userId), eq(notifications.kind, 'care.noClockIn')));
    expect(told).toHaveLength(1);
    t.clock.set(NOW);
  });

  it('cancels free a day ahead, gives the voucher back and withdraws the reminders', async () => {
    const before = await balanceOf(elderId);
    const [b] = await t.deps.db.select().from(careBookings).where(eq(careBookings.id, bookingId));
    const res = await t.call({
      method: 'POST',
      url: `/v1/care/bookings/${bookingId}/cancel`,
      headers: asFamily(),
      payload: { reason: '家里有事' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'cancelled', lateCancel: false });
    expect(await balanceOf(elderId)).toBe(before + b!.voucherFen);
    expect(
      await t.deps.db.select().from(careReminders).where(eq(careReminders.bookingId, bookingId)),
    ).toEqual([]);
    const again = await t.call({
      method: 'POST',
      url: `/v1/care/bookings/${bookingId}/cancel`,
      headers: asFamily(),
      payload: {},
    });
    expect(again.status).toBe(409);
    expect(await balanceOf(elderId)).toBe(before + b!.voucherFen);
  });

  it('a cancel inside the free window is recorded as late', async () => {
    const made = await t.call({
      method: 'POST',
      url: '/v1/care/bookings',
      headers: asFamily(),
      payload: { itemId: bathingId, startsAt: '2026-12-07T14:00:00+08:00' },
    });
    expect(made.status).toBe(201);
    const res = await t.call({
      method: 'POST',
      url: `/v1/care/bookings/${made.body.id}/cancel`,
      headers: asFamily(),
      payload: {},
    });
    expect(res.body.lateCancel).toBe(true);
  });

  it('pays the self-pay part through the payment provider', async () => {
    const made = await t.call({
      method: 'POST',
      url: '/v1/care/bookings',
      headers: asFamily(),
      payload: { itemId: bathingId, startsAt: '2026-12-11T09:00:00+08:00' },
    });
    expect(made.body.paid).toBe(false);
    const pay = await t.call({
      method: 'POST',
      url: `/v1/care/bookings/${made.body.id}/pay`,
      headers: asFamily(),
      payload: {},
    });
    expect(pay.status).toBe(200);
    const confirm = await t.call({
      method: 'POST',
      url: `/v1/payments/${pay.body.paymentId}/dev-confirm`,
      headers: asFamily(),
      payload: {},
    });
    expect(confirm.status).toBe(200);
    expect(confirm.body).toMatchObject({ id: made.body.id, paid: true });
    const twice = await t.call({
      method: 'POST',
      url: `/v1/care/bookings/${made.body.id}/pay`,
      headers: asFamily(),
      payload: {},
    });
    expect(twice.status).toBe(409);
  });
});

describe('requests the provider must confirm', () => {
  it('the provider confirms a request and the family hears of it; another provider cannot', async () => {
    const made = await t.call({
      method: 'POST',
      url: '/v1/care/bookings',
      headers: asFamily(),
      payload: { itemId: await itemId('home_nursing'), startsAt: '2026-12-08T10:00:00+08:00' },
    });
    expect(made.status).toBe(201);
    expect(made.body.status).toBe('requested');
    const provider = await t.login('13800000031');
    const list = await t.call({
      method: 'GET',
      url: '/v1/provider/bookings?date=2026-12-08',
      headers: provider,
    });
    expect(list.body.items.map((b: { id: string }) => b.id)).toContain(made.body.id);
    const waiting = await t.call({
      method: 'GET',
      url: '/v1/provider/bookings?waiting=true',
      headers: provider,
    });
    expect(waiting.body.items.map((b: { id: string }) => b.id)).toContain(made.body.id);
    expect(waiting.body.items.every((b: { status: string }) => b.status === 'requested')).toBe(true);
    const ok = await t.call({
      method: 'POST',
      url: `/v1/provider/bookings/${made.body.id}/confirm`,
      headers: provider,
      payload: {},
    });
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe('confirmed');
    const again = await t.call({
      method: 'POST',
      url: `/v1/provider/bookings/${made.body.id}/confirm`,
      headers: provider,
      payload: {},
    });
    expect(again.status).toBe(409);
    const after = await t.call({
      method: 'GET',
      url: '/v1/provider/bookings?waiting=true',
      headers: provider,
    });
    expect(after.body.items.map((b: { id: string }) => b.id)).not.toContain(made.body.id);
    const told = await t.deps.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, family.userId), eq(notifications.kind, 'care.confirmed')));
    expect(told).toHaveLength(1);
  });

  it('an unconfirmed request moves to another qualified caregiver, then the family is told', async () => {
    const made = await t.call({
      method: 'POST',
      url: '/v1/care/bookings',
      headers: asFamily(),
      payload: { itemId: await itemId('home_nursing'), startsAt: '2026-12-14T15:00:00+08:00' },
    });
    expect(made.body.status).toBe('requested');
    const [first] = await t.deps.db.select().from(careBookings).where(eq(careBookings.id, made.body.id));
    const reassign = (tx: Parameters<typeof reassignRequest>[0], b: Parameters<typeof reassignRequest>[2]) =>
      reassignRequest(tx, t.deps, b);
    // Early (or forged): nothing moves.
    expect(await confirmTimedOut(t.deps, first!.id, first!.version, reassign)).toBe('nothing');
    t.clock.set(new Date(first!.confirmBy!.getTime() + 1000));
    // A stale version (the booking changed since the job was queued) does nothing either.
    expect(await confirmTimedOut(t.deps, first!.id, first!.version + 7, reassign)).toBe('nothing');
    expect(await confirmTimedOut(t.deps, first!.id, first!.version, reassign)).toBe('reassigned');
    const [second] = await t.deps.db.select().from(careBookings).where(eq(careBookings.id, first!.id));
    expect(second!.caregiverId).not.toBe(first!.caregiverId);
    expect(second!.status).toBe('requested');
    expect(await confirmTimedOut(t.deps, first!.id, first!.version, reassign)).toBe('nothing');
    t.clock.set(new Date(second!.confirmBy!.getTime() + 1000));
    const outcome = await confirmTimedOut(t.deps, second!.id, second!.version, reassign);
    // Two nurses serve the compound: once both let it lapse, the family decides.
    expect(outcome).toBe('told');
    const told = await t.deps.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, family.userId), eq(notifications.kind, 'care.unconfirmed')));
    expect(told).toHaveLength(1);
    t.clock.set(NOW);
  });
});

describe('a caregiver who never came', () => {
  it('staff record it after the start: the elder gets voucher and money back, the caregiver carries it', async () => {
    const made = await t.call({
      method: 'POST',
      url: '/v1/care/bookings',
      headers: asFamily(),
      payload: { itemId: await itemId('haircut'), startsAt: '2026-12-15T09:00:00+08:00' },
    });
    expect(made.status).toBe(201);
    const staff = await t.login(PHONES.staff);
    const url = `/v1/staff/care/bookings/${made.body.id}/caregiver-no-show`;
    const early = await t.call({ method: 'POST', url, headers: staff, payload: { note: '护理员未到' } });
    expect(early.status).toBe(409);
    const before = await balanceOf(elderId);
    t.clock.set(new Date('2026-12-15T09:20:00+08:00'));
    const res = await t.call({ method: 'POST', url, headers: staff, payload: { note: '护理员未到' } });
    t.clock.set(NOW);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'no_show', noShowBy: 'caregiver' });
    expect(await balanceOf(elderId)).toBe(before + made.body.voucherFen);
    const report = await t.call({ method: 'GET', url: '/v1/staff/care/attendance', headers: staff });
    const carer = report.body.caregivers.find((c: { name: string }) => c.name === res.body.caregiverName);
    expect(carer.noShows).toBeGreaterThanOrEqual(1);
    expect(report.body.elders.find((e: { elderId: string }) => e.elderId === elderId)?.noShows ?? 0).toBe(0);
    const resident = await t.login(PHONES.resident);
    expect((await t.call({ method: 'POST', url, headers: resident, payload: { note: 'x' } })).status).toBe(
      403,
    );
  });
});

describe('the jobs a booking leaves, as the care worker runs them', () => {
  it('every early job queues itself again and changes nothing; forged or malformed ones neither', async () => {
    const made = await t.call({
      method: 'POST',
      url: '/v1/care/bookings',
      headers: asFamily(),
      payload: { itemId: await itemId('home_cleaning'), startsAt: '2026-12-16T09:00:00+08:00' },
    });
    expect(made.status).toBe(201);
    const rows = (await t.deps.db.select().from(outbox)).filter(
      (r) => (r.payload as { bookingId?: string }).bookingId === made.body.id,
    );
    expect(rows.map((r) => r.jobName).sort()).toEqual([
      'care.noClockIn',
      'care.overrun',
      'care.reminder',
      'care.reminder',
      'care.unpaid',
    ]);
    const before = (await t.deps.db.select().from(notifications)).length;
    for (const r of rows)
      await careJobs.process({ name: r.jobName, data: r.payload } as unknown as Job, t.deps);
    expect((await t.deps.db.select().from(notifications)).length).toBe(before);
    // A reminder for a time the booking was never at: nothing is sent.
    expect(
      await careJobs.process(
        {
          name: 'care.reminder',
          data: { bookingId: made.body.id, kind: '1h', dueAt: '2026-12-16T07:00:00.000Z' },
        } as unknown as Job,
        t.deps,
      ),
    ).toBe(false);
    await expect(
      careJobs.process(
        { name: 'care.reminder', data: { bookingId: 'nope', kind: 'soon' } } as unknown as Job,
        t.deps,
      ),
    ).rejects.toThrow();
    expect((await t.deps.db.select().from(notifications)).length).toBe(before);
  });

  it('a paid booking cancelled is refunded through the payment job, once', async () => {
    const made = await t.call({
      method: 'POST',
      url: '/v1/care/bookings',
      headers: asFamily(),
      payload: { itemId: bathingId, startsAt: '2026-12-17T09:00:00+08:00' },
    });
    const pay = await t.call({
      method: 'POST',
      url: `/v1/care/bookings/${made.body.id}/pay`,
      headers: asFamily(),
      payload: {},
    });
    await t.call({
      method: 'POST',
      url: `/v1/payments/${pay.body.paymentId}/dev-confirm`,
      headers: asFamily(),
      payload: {},
    });
    const cancel = await t.call({
      method: 'POST',
      url: `/v1/care/bookings/${made.body.id}/cancel`,
      headers: asFamily(),
      payload: {},
    });
    expect(cancel.status).toBe(200);
    const [p] = await t.deps.db.select().from(payments).where(eq(payments.id, pay.body.paymentId));
    expect(p!.status).toBe('refunding');
    const job = { name: 'payment.refund', data: { paymentId: p!.id } } as unknown as Job;
    expect(await paymentJobs.process(job, t.deps)).toBe(true);
    expect(await paymentJobs.process(job, t.deps)).toBe(false);
    const [after] = await t.deps.db.select().from(payments).where(eq(payments.id, p!.id));
    expect(after!.status).toBe('refunded');
  });
});

describe('the preferred caregiver', () => {
  it('the family picks from the caregivers serving the elder, and no one else', async () => {
    const list = await t.call({ method: 'GET', url: '/v1/care/caregivers', headers: asFamily() });
    expect(list.status).toBe(200);
    const names = list.body.items.map((c: { name: string }) => c.name);
    expect(names).toEqual(expect.arrayContaining(['陈护理', '刘护理', '王护士']));
    const pick = list.body.items.find((c: { name: string }) => c.name === '刘护理');
    const ok = await t.call({
      method: 'PATCH',
      url: '/v1/care/profile',
      headers: asFamily(),
      payload: { preferredCaregiverId: pick.id },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.preferredCaregiverId).toBe(pick.id);
    const stranger = await t.call({
      method: 'PATCH',
      url: '/v1/care/profile',
      headers: asFamily(),
      payload: { preferredCaregiverId: '0190a0b0-0000-7000-8000-000000000000' },
    });
    expect(stranger.status).toBe(400);
    expect(stranger.body.error.details[0].path).toBe('body.preferredCaregiverId');
    // The preferred caregiver gets the next bath when free.
    const made = await t.call({
      method: 'POST',
      url: '/v1/care/bookings',
      headers: asFamily(),
      payload: { itemId: bathingId, startsAt: '2026-12-18T15:00:00+08:00' },
    });
    expect(made.body.caregiverName).toBe('刘护理');
    await t.call({
      method: 'PATCH',
      url: '/v1/care/profile',
      headers: asFamily(),
      payload: { preferredCaregiverId: null },
    });
  });
});

describe('a visit that runs long', () => {
  it('tells the provider once it is 30 minutes past its end, and only while in service', async () => {
    const made = await t.call({
      method: 'POST',
      url: '/v1/care/bookings',
      headers: asFamily(),
      payload: { itemId: await itemId('home_cleaning'), startsAt: '2026-12-19T09:00:00+08:00' },
    });
    const [b] = await t.deps.db.select().from(careBookings).where(eq(careBookings.id, made.body.id));
    const endsAt = b!.endsAt.toISOString();
    // Not in service (nobody clocked in): the overrun check has nothing to say.
    t.clock.set(new Date(b!.endsAt.getTime() + 31 * 60_000));
    expect(await alertOverrun(t.deps, b!.id, endsAt)).toBe(false);
    await t.deps.db.update(careBookings).set({ status: 'in_service' }).where(eq(careBookings.id, b!.id));
    t.clock.set(new Date(b!.endsAt.getTime() + 20 * 60_000));
    expect(await alertOverrun(t.deps, b!.id, endsAt)).toBe(false);
    t.clock.set(new Date(b!.endsAt.getTime() + 31 * 60_000));
    expect(await alertOverrun(t.deps, b!.id, endsAt)).toBe(true);
    expect(await alertOverrun(t.deps, b!.id, endsAt)).toBe(true);
    t.clock.set(NOW);
    const provider = await t.login('13800000031');
    const told = await t.deps.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, provider.userId), eq(notifications.kind, 'care.overrun')));
    expect(told).toHaveLength(1);
  });
});

describe('moving a confirmed request', () => {
  it('to another caregiver, for an item that needs confirmation, asks for it again', async () => {
    const provider = await t.login('13800000031');
    const made = await t.call({
      method: 'POST',
      url: '/v1/care/bookings',
      headers: asFamily(),
      payload: { itemId: await itemId('home_nursing'), startsAt: '2026-12-21T10:00:00+08:00' },
    });
    expect(made.body.status).toBe('requested');
    const confirmed = await t.call({
      method: 'POST',
      url: `/v1/provider/bookings/${made.body.id}/confirm`,
      headers: provider,
      payload: {},
    });
    expect(confirmed.body.status).toBe('confirmed');
    const [first] = await t.deps.db.select().from(careBookings).where(eq(careBookings.id, made.body.id));
    // The caregiver is off the next morning, so the move goes to the other nurse.
    await t.deps.db.insert(caregiverTimeOff).values({
      caregiverId: first!.caregiverId,
      startsAt: new Date('2026-12-22T08:00:00+08:00'),
      endsAt: new Date('2026-12-22T12:00:00+08:00'),
    });
    const moved = await t.call({
      method: 'POST',
      url: `/v1/care/bookings/${made.body.id}/reschedule`,
      headers: asFamily(),
      payload: { startsAt: '2026-12-22T10:00:00+08:00' },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.status).toBe('requested');
    const [after] = await t.deps.db.select().from(careBookings).where(eq(careBookings.id, made.body.id));
    expect(after!.caregiverId).not.toBe(first!.caregiverId);
    expect(after!.confirmBy).not.toBeNull();
  });
});

describe('the pay deadline', () => {
  const MIN = 60_000;
  /** A new elder with this voucher balance, signed in as themselves. */
  async function signedInElder(balanceFen: number) {
    const phone = freshPhone();
    const [u] = await t.deps.db
      .insert(users)
      .values({ phone, name: '付款测试长者', birthDate: '1938-05-01' })
      .returning();
    await t.deps.db.insert(elderProfiles).values({ userId: u!.id, householdId: households[7]! });
    await t.deps.db.insert(voucherBalances).values({ elderId: u!.id, balanceFen });
    return { id: u!.id, auth: await t.login(phone) };
  }
  const book = async (elder: { auth: { authorization: string } }, startsAt: string) =>
    t.call({
      method: 'POST',
      url: '/v1/care/bookings',
      headers: elder.auth,
      payload: { itemId: bathingId, startsAt },
    });
  const openPayment = (elder: { auth: { authorization: string } }, bookingId: string) =>
    t.call({ method: 'POST', url: `/v1/care/bookings/${bookingId}/pay`, headers: elder.auth, payload: {} });
  const devConfirm = (elder: { auth: { authorization: string } }, paymentId: string) =>
    t.call({
      method: 'POST',
      url: `/v1/payments/${paymentId}/dev-confirm`,
      headers: elder.auth,
      payload: {},
    });
  const unpaidJobsOf = async (bookingId: string) =>
    (await t.deps.db.select().from(outbox)).filter(
      (r) => r.jobName === 'care.unpaid' && (r.payload as { bookingId: string }).bookingId === bookingId,
    );
  const runUnpaid = (payload: { bookingId: string; payBy: string }) =>
    careJobs.process({ name: 'care.unpaid', data: payload } as unknown as Job, t.deps);

  it('an unpaid booking is cancelled at its deadline: time, voucher and the pending payment are freed, once', async () => {
    const elder = await signedInElder(20_000);
    const at = '2026-12-28T09:00:00+08:00';
    const made = await book(elder, at);
    expect(made.status).toBe(201);
    expect(made.body.selfPayFen).toBeGreaterThan(0);
    // The test clock runs on from NOW, so the deadline is 30 minutes after a moment at or just past it.
    expect(Date.parse(made.body.payBy) - (NOW.getTime() + 30 * MIN)).toBeGreaterThanOrEqual(0);
    expect(Date.parse(made.body.payBy) - (NOW.getTime() + 30 * MIN)).toBeLessThan(10_000);
    const [job] = await unpaidJobsOf(made.body.id);
    expect(job!.payload).toEqual({ bookingId: made.body.id, payBy: made.body.payBy });
    // The family opens a payment and never finishes it.
    const pay = await openPayment(elder, made.body.id);
    expect(pay.status).toBe(200);
    expect(await balanceOf(elder.id)).toBe(20_000 - made.body.voucherFen);

    // Early (a worker clock behind, or a forged job): nothing changes, the job waits again.
    t.clock.set(new Date(Date.parse(made.body.payBy) - 60_000));
    const queued = (await unpaidJobsOf(made.body.id)).length;
    expect(await runUnpaid(job!.payload as { bookingId: string; payBy: string })).toBe(false);
    expect(await unpaidJobsOf(made.body.id)).toHaveLength(queued + 1);
    // A job for a deadline the booking never had changes nothing either, even late.
    t.clock.set(new Date(Date.parse(made.body.payBy) + 1000));
    expect(await runUnpaid({ bookingId: made.body.id, payBy: new Date(NOW.getTime()).toISOString() })).toBe(
      false,
    );
    // Past the deadline the family can no longer open a payment.
    const late = await openPayment(elder, made.body.id);
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('PAYMENT_EXPIRED');

    expect(await runUnpaid(job!.payload as { bookingId: string; payBy: string })).toBe(true);
    const [row] = await t.deps.db.select().from(careBookings).where(eq(careBookings.id, made.body.id));
    expect(row).toMatchObject({ status: 'cancelled', lateCancel: false, cancelledBy: null });
    expect(row!.cancelReason).toBe('超时未支付，系统已自动取消');
    expect(await balanceOf(elder.id)).toBe(20_000);
    const [p] = await t.deps.db.select().from(payments).where(eq(payments.id, pay.body.paymentId));
    expect(p!.status).toBe('closed');
    expect(
      await t.deps.db.select().from(careReminders).where(eq(careReminders.bookingId, made.body.id)),
    ).toEqual([]);
    const told = await t.deps.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, elder.id), eq(notifications.kind, 'care.unpaidCancelled')));
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toContain('服务券已退回');
    // Run again (a replayed job): nothing more happens.
    expect(await runUnpaid(job!.payload as { bookingId: string; payBy: string })).toBe(false);
    expect(await balanceOf(elder.id)).toBe(20_000);
    // The caregiver's time is free again: the same slot can be booked.
    const again = await book(await signedInElder(0), at);
    expect(again.status).toBe(201);
    t.clock.set(NOW);
  });

  it('a booking paid in time stays, and its deadline job does nothing', async () => {
    const elder = await signedInElder(0);
    const made = await book(elder, '2026-12-28T14:00:00+08:00');
    const pay = await openPayment(elder, made.body.id);
    await devConfirm(elder, pay.body.paymentId);
    t.clock.set(new Date(Date.parse(made.body.payBy) + 1000));
    expect(await runUnpaid({ bookingId: made.body.id, payBy: made.body.payBy })).toBe(false);
    const res = await t.call({
      method: 'GET',
      url: `/v1/care/bookings/${made.body.id}`,
      headers: elder.auth,
    });
    expect(res.body).toMatchObject({ status: 'confirmed', paid: true, payBy: null });
    // Money recorded between the job's look at the provider and its lock (no payment of ours to
    // find, so the provider is not asked): the locked row decides, and it is paid.
    t.clock.set(NOW);
    const other = await book(elder, '2026-12-30T09:00:00+08:00');
    await t.deps.db.update(careBookings).set({ paidAt: NOW }).where(eq(careBookings.id, other.body.id));
    t.clock.set(new Date(Date.parse(other.body.payBy) + 1000));
    expect(await runUnpaid({ bookingId: other.body.id, payBy: other.body.payBy })).toBe(false);
    const [kept] = await t.deps.db.select().from(careBookings).where(eq(careBookings.id, other.body.id));
    expect(kept!.status).toBe('confirmed');
    t.clock.set(NOW);
  });

  it('the money and the deadline racing: either paid and kept, or cancelled and the money on its way back', async () => {
    const slots = ['12-29T09', '12-29T14', '12-23T09', '12-23T14', '12-24T09', '12-24T14'];
    for (const slot of slots) {
      const elder = await signedInElder(0);
      const made = await book(elder, `2026-${slot}:00:00+08:00`);
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      const pay = await openPayment(elder, made.body.id);
      t.clock.set(new Date(Date.parse(made.body.payBy) + 1000));
      await Promise.all([
        devConfirm(elder, pay.body.paymentId),
        runUnpaid({ bookingId: made.body.id, payBy: made.body.payBy }),
      ]);
      const [b] = await t.deps.db.select().from(careBookings).where(eq(careBookings.id, made.body.id));
      const [p] = await t.deps.db.select().from(payments).where(eq(payments.id, pay.body.paymentId));
      if (b!.status === 'cancelled') expect(['closed', 'refunding']).toContain(p!.status);
      else {
        expect(b!.status).toBe('confirmed');
        expect(b!.paidAt).not.toBeNull();
        expect(p!.status).toBe('succeeded');
      }
      t.clock.set(NOW);
    }
  }, 60_000);

  it('is the start itself when the visit is sooner than the limit, and moves with an earlier reschedule', async () => {
    const staff = await t.login(PHONES.staff);
    const set = await t.call({
      method: 'PATCH',
      url: '/v1/staff/care/settings',
      headers: staff,
      payload: { payWithinMin: 1440 },
    });
    expect(set.status).toBe(200);
    expect(set.body.payWithinMin).toBe(1440);
    try {
      const elder = await signedInElder(0);
      const made = await book(elder, '2026-12-30T14:00:00+08:00');
      expect(Date.parse(made.body.payBy) - (NOW.getTime() + 1440 * MIN)).toBeGreaterThanOrEqual(0);
      expect(Date.parse(made.body.payBy) - (NOW.getTime() + 1440 * MIN)).toBeLessThan(10_000);
      const sooner = '2026-12-07T15:00:00+08:00';
      const moved = await t.call({
        method: 'POST',
        url: `/v1/care/bookings/${made.body.id}/reschedule`,
        headers: elder.auth,
        payload: { startsAt: sooner },
      });
      expect(moved.status).toBe(200);
      expect(moved.body.payBy).toBe(new Date(sooner).toISOString());
      const jobs = await unpaidJobsOf(made.body.id);
      expect(jobs.map((j) => (j.payload as { payBy: string }).payBy).sort()).toEqual(
        [moved.body.payBy, made.body.payBy].sort(),
      );
      // The old deadline's job, run at its time, finds the booking owed by another deadline.
      t.clock.set(new Date(Date.parse(made.body.payBy) + 1000));
      expect(await runUnpaid({ bookingId: made.body.id, payBy: made.body.payBy })).toBe(false);
      const [row] = await t.deps.db.select().from(careBookings).where(eq(careBookings.id, made.body.id));
      expect(row!.status).not.toBe('cancelled');
      t.clock.set(NOW);
      // Moved later again, the deadline stays where it was: it never grows.
      const later = await t.call({
        method: 'POST',
        url: `/v1/care/bookings/${made.body.id}/reschedule`,
        headers: elder.auth,
        payload: { startsAt: '2026-12-31T14:00:00+08:00' },
      });
      expect(later.body.payBy).toBe(moved.body.payBy);
      const bad = await t.call({
        method: 'PATCH',
        url: '/v1/staff/care/settings',
        headers: staff,
        payload: { payWithinMin: 2 },
      });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body.error)).toContain('body.payWithinMin');
    } finally {
      t.clock.set(NOW);
      await t.call({
        method: 'PATCH',
        url: '/v1/staff/care/settings',
        headers: staff,
        payload: { payWithinMin: 30 },
      });
    }
  });
});

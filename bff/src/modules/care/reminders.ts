import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { careBookingFlow, LIVE_BOOKING_STATES, PAGES, sourcesOf } from 'shared';
import type { Db, DbOrTx } from '../../db/client';
import type { AppDeps } from '../../deps';
import { notDueYet } from '../../jobs/not-due-yet';
import { enqueue } from '../../jobs/outbox';
import { notify } from '../notifications';
import { compoundsByIds, staffOf } from '../places';
import { consentedProxiesOf } from '../proxies';
import {
  careConfirmTimeoutJob,
  careNoClockInJob,
  careOverrunJob,
  careReminderJob,
  careUnpaidJob,
} from './jobs';
import { careBookings, caregivers, careProviders, careReminders } from './tables';
import type { BookingRow } from './views';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'config'>;

const MIN = 60_000;
const REMINDERS = [
  { kind: '24h', beforeMs: 24 * 60 * MIN },
  { kind: '1h', beforeMs: 60 * MIN },
] as const;
export const NO_CLOCK_IN_AFTER_MS = 10 * MIN;
export const OVERRUN_AFTER_MS = 30 * MIN;

/** The elder and every consented family member: they hear about the elder's care alike. */
export async function familyOf(db: DbOrTx, elderId: string): Promise<string[]> {
  return [elderId, ...(await consentedProxiesOf(db, elderId))];
}

/**
 * A booking's reminders, alerts and (for a request) the confirmation timeout, through the outbox
 * in the booking's transaction. Reminders already past are not owed; each job carries the times
 * it was queued for, so after a move or cancel the old jobs find nothing that matches.
 */
export async function scheduleBookingJobs(tx: DbOrTx, deps: Deps, b: BookingRow): Promise<void> {
  const now = deps.clock.now().getTime();
  for (const r of REMINDERS) {
    const dueAt = new Date(b.startsAt.getTime() - r.beforeMs);
    if (dueAt.getTime() <= now) continue;
    await tx.insert(careReminders).values({ bookingId: b.id, kind: r.kind, dueAt });
    await enqueue(
      tx,
      careReminderJob,
      { bookingId: b.id, kind: r.kind, dueAt: dueAt.toISOString() },
      { delayMs: dueAt.getTime() - now },
    );
  }
  const startsAt = b.startsAt.toISOString();
  await enqueue(
    tx,
    careNoClockInJob,
    { bookingId: b.id, startsAt },
    { delayMs: b.startsAt.getTime() + NO_CLOCK_IN_AFTER_MS - now },
  );
  await enqueue(
    tx,
    careOverrunJob,
    { bookingId: b.id, endsAt: b.endsAt.toISOString() },
    { delayMs: b.endsAt.getTime() + OVERRUN_AFTER_MS - now },
  );
  if (b.status === 'requested' && b.confirmBy)
    await enqueue(
      tx,
      careConfirmTimeoutJob,
      { bookingId: b.id, version: b.version },
      { delayMs: b.confirmBy.getTime() - now },
    );
}

/**
 * The pay deadline's job, when self-pay is still due. It carries the deadline it was queued for:
 * a booking whose deadline moved (a reschedule to an earlier start) is left alone by the old job.
 */
export async function schedulePayDeadline(tx: DbOrTx, deps: Deps, b: BookingRow): Promise<void> {
  if (!b.payBy || b.paidAt || b.selfPayFen === 0) return;
  await enqueue(
    tx,
    careUnpaidJob,
    { bookingId: b.id, payBy: b.payBy.toISOString() },
    { delayMs: Math.max(0, b.payBy.getTime() - deps.clock.now().getTime()) },
  );
}

/** Cancelled or moved: the reminders owed for the old time are withdrawn. */
export async function unscheduleBookingJobs(tx: DbOrTx, bookingId: string): Promise<void> {
  await tx.delete(careReminders).where(eq(careReminders.bookingId, bookingId));
}

async function liveBooking(tx: DbOrTx, id: string): Promise<BookingRow | undefined> {
  const [b] = await tx.select().from(careBookings).where(eq(careBookings.id, id));
  return b && (LIVE_BOOKING_STATES as readonly string[]).includes(b.status) ? b : undefined;
}

async function providerOwner(tx: DbOrTx, providerId: string) {
  const [p] = await tx
    .select({ ownerId: careProviders.ownerId })
    .from(careProviders)
    .where(eq(careProviders.id, providerId));
  return p?.ownerId;
}

/** Sends one reminder once: only a row still owed, unsent, for the booking's current time. */
export async function sendReminder(
  deps: Deps,
  bookingId: string,
  kind: '24h' | '1h',
  dueAtIso: string,
): Promise<boolean> {
  const db: Db = deps.db;
  return db.transaction(async (tx) => {
    const b = await liveBooking(tx, bookingId);
    if (!b) return false;
    // Run early (or forged with the right time), it waits for its time instead of sending now.
    if (
      await notDueYet(tx, deps, new Date(dueAtIso), {
        job: careReminderJob,
        payload: { bookingId, kind, dueAt: dueAtIso },
      })
    )
      return false;
    const [claimed] = await tx
      .update(careReminders)
      .set({ sentAt: deps.clock.now() })
      .where(
        and(
          eq(careReminders.bookingId, bookingId),
          eq(careReminders.kind, kind),
          eq(careReminders.dueAt, new Date(dueAtIso)),
          isNull(careReminders.sentAt),
        ),
      )
      .returning();
    if (!claimed) return false;
    const when = kind === '24h' ? '明天' : '1小时后';
    const [carer] = await tx
      .select({ userId: caregivers.userId })
      .from(caregivers)
      .where(eq(caregivers.id, b.caregiverId));
    const people = [...(await familyOf(tx, b.elderId)), ...(carer ? [carer.userId] : [])];
    for (const userId of people)
      await notify(tx, {
        userId,
        kind: `care.reminder.${kind}`,
        title: `上门服务提醒：${when}`,
        body: `${b.itemName} · 单号 ${b.shortNo}`,
        link:
          userId === carer?.userId ? `${PAGES.caregiverVisit}?id=${b.id}` : `${PAGES.careBooking}?id=${b.id}`,
        dedupeKey: `care.reminder:${b.id}:${kind}:${dueAtIso}:${userId}`,
        wechat: {
          template: 'orderStatus',
          page: `${PAGES.careBooking.replace(/^\//, '')}?id=${b.id}`,
          data: { thing1: b.itemName.slice(0, 20), phrase2: '即将上门', time3: b.startsAt.toISOString() },
        },
      });
    return true;
  });
}

/** Ten minutes after the start and nobody clocked in: the provider, staff and family hear of it. */
export async function alertNoClockIn(deps: Deps, bookingId: string, startsAtIso: string): Promise<boolean> {
  return deps.db.transaction(async (tx) => {
    const b = await liveBooking(tx, bookingId);
    if (!b || b.startsAt.toISOString() !== startsAtIso) return false;
    if (!sourcesOf(careBookingFlow, 'clockIn').includes(b.status)) return false;
    if (
      await notDueYet(tx, deps, new Date(b.startsAt.getTime() + NO_CLOCK_IN_AFTER_MS), {
        job: careNoClockInJob,
        payload: { bookingId, startsAt: startsAtIso },
      })
    )
      return false;
    const compound = (await compoundsByIds(tx, [b.compoundId])).get(b.compoundId);
    const owner = await providerOwner(tx, b.providerId);
    const staff = compound ? await staffOf(tx, compound.communityId) : [];
    const family = await familyOf(tx, b.elderId);
    for (const userId of new Set([...(owner ? [owner] : []), ...staff, ...family]))
      await notify(tx, {
        userId,
        kind: 'care.noClockIn',
        title: '护理员尚未签到',
        body: `${b.itemName}（单号 ${b.shortNo}）开始已超过10分钟，护理员还未上门打卡`,
        link: family.includes(userId)
          ? `${PAGES.careBooking}?id=${b.id}`
          : owner === userId
            ? PAGES.providerBookings
            : PAGES.staffCareBookings,
        dedupeKey: `care.noClockIn:${b.id}:${startsAtIso}:${userId}`,
      });
    return true;
  });
}

/** Half an hour past the end and still in service: the provider checks on its caregiver. */
export async function alertOverrun(deps: Deps, bookingId: string, endsAtIso: string): Promise<boolean> {
  return deps.db.transaction(async (tx) => {
    const b = await liveBooking(tx, bookingId);
    if (b?.status !== 'in_service' || b.endsAt.toISOString() !== endsAtIso) return false;
    if (
      await notDueYet(tx, deps, new Date(b.endsAt.getTime() + OVERRUN_AFTER_MS), {
        job: careOverrunJob,
        payload: { bookingId, endsAt: endsAtIso },
      })
    )
      return false;
    const owner = await providerOwner(tx, b.providerId);
    if (!owner) return false;
    await notify(tx, {
      userId: owner,
      kind: 'care.overrun',
      title: '服务超时未结束',
      body: `${b.itemName}（单号 ${b.shortNo}）已超过预约结束时间30分钟`,
      link: PAGES.providerBookings,
      dedupeKey: `care.overrun:${b.id}:${endsAtIso}`,
    });
    return true;
  });
}

/**
 * The provider did not confirm in time. The request goes to another qualified, free caregiver if
 * there is one (`reassign`, given by the bookings service); otherwise the family is told.
 */
export async function confirmTimedOut(
  deps: Deps,
  bookingId: string,
  version: number,
  reassign: (tx: DbOrTx, b: BookingRow) => Promise<BookingRow | null>,
): Promise<'reassigned' | 'told' | 'nothing'> {
  return deps.db.transaction(async (tx) => {
    const [b] = await tx.select().from(careBookings).where(eq(careBookings.id, bookingId)).for('update');
    if (b?.status !== 'requested' || b.version !== version || !b.confirmBy) return 'nothing';
    if (
      await notDueYet(tx, deps, b.confirmBy, { job: careConfirmTimeoutJob, payload: { bookingId, version } })
    )
      return 'nothing';
    const moved = await reassign(tx, b);
    if (moved) {
      await scheduleBookingJobs(tx, deps, moved);
      return 'reassigned';
    }
    await tx
      .update(careBookings)
      .set({ confirmBy: null, version: sql`${careBookings.version} + 1` })
      .where(and(eq(careBookings.id, bookingId), inArray(careBookings.status, ['requested'])));
    for (const userId of await familyOf(tx, b.elderId))
      await notify(tx, {
        userId,
        kind: 'care.unconfirmed',
        title: '服务机构暂未确认',
        body: `${b.itemName}（单号 ${b.shortNo}）暂无机构确认，您可以改约其他时间或取消`,
        link: `${PAGES.careBooking}?id=${b.id}`,
        dedupeKey: `care.unconfirmed:${b.id}:${version}:${userId}`,
      });
    return 'told';
  });
}

import { randomInt } from 'node:crypto';
import { and, asc, desc, eq, gte, inArray, isNull, lt, sql } from 'drizzle-orm';
import {
  assignCaregiver,
  CHANGEABLE_BOOKING_STATES,
  careBookingFlow,
  LIVE_BOOKING_STATES,
  localClock,
  localMonth,
  openSlots,
  PAGES,
  splitPrice,
  zonedInstant,
} from 'shared';
import type { Actor } from '../../access/actor';
import { requireAccess } from '../../access/require-access';
import type { Db, DbOrTx } from '../../db/client';
import { advance } from '../../db/flow-update';
import type { AppDeps } from '../../deps';
import { badRequest, conflict, describeConstraint, notFound } from '../../http/errors';
import { notDueYet } from '../../jobs/not-due-yet';
import { audit } from '../audit';
import { notify } from '../notifications';
import {
  closePendingPayment,
  openPayment,
  type PaymentSubject,
  preparePayment,
  reconcilePending,
  startRefund,
} from '../payments';
import { compoundsByIds, compoundsRunBy } from '../places';
import { caregiverCalendars, qualifiedCaregivers } from './availability';
import { type ElderContext, elderContext } from './elders';
import { careUnpaidJob } from './jobs';
import { careBookingOwn, careBookingPayments, careBookingProvider, careBookingStaff } from './policies';
import { requireVerifiedProvider } from './providers';
import { familyOf, scheduleBookingJobs, schedulePayDeadline, unscheduleBookingJobs } from './reminders';
import { careSettingsOf, meetsAge } from './settings';
import { careBookings, caregivers, careItems, careProviders, careVisits } from './tables';
import { type BookingRow, bookingRow, bookingView, bookingViews } from './views';
import { returnVoucher, spendVoucher, voucherBalance } from './vouchers';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'config'>;

describeConstraint(
  'care_bookings_caregiver_free',
  'SLOT_TAKEN',
  'This time has just been taken; please choose another slot',
);
describeConstraint(
  'care_bookings_elder_free',
  'SLOT_TAKEN',
  'The elder already has a visit booked at this time; please choose another slot',
);

const MIN = 60_000;
/** Slot starts sit on this grid of local minutes (the picker offers nothing else). */
export const SLOT_STEP_MIN = 30;

const slotTaken = () => conflict('SLOT_TAKEN', 'This time has just been taken; please choose another slot');

async function activeItem(db: DbOrTx, itemId: string) {
  const [item] = await db.select().from(careItems).where(eq(careItems.id, itemId));
  if (!item?.active) throw notFound('Care item');
  return item;
}

function requireHome(ctx: ElderContext | null): asserts ctx is ElderContext & {
  compoundId: string;
  communityId: string;
  householdId: string;
} {
  if (!ctx?.compoundId || !ctx.communityId || !ctx.householdId)
    throw conflict(
      'ELDER_HOUSEHOLD_MISSING',
      'The elder has no verified household yet: care comes to a verified address',
    );
}

async function placesOf(db: DbOrTx, ids: string[]) {
  const rows = await compoundsByIds(db, ids);
  return new Map([...rows.values()].map((c) => [c.id, { lat: c.lat, lng: c.lng }]));
}

/** Open slots of an item for the acting elder, day by day in local time. */
export async function itemSlots(deps: Deps, actor: Actor, itemId: string, from: string, days: number) {
  const { db } = deps;
  const [item, ctx] = await Promise.all([
    activeItem(db, itemId),
    elderContext(db, actor.userId, deps.clock.now()),
  ]);
  requireHome(ctx);
  const tz = deps.config.TZ_DISPLAY;
  if (item.performer !== 'caregiver') return { itemId, timezone: tz, items: [] };
  const carers = await qualifiedCaregivers(db, item, ctx);
  const start = zonedInstant(from, '00:00', tz);
  const end = new Date(start.getTime() + days * 24 * 3600 * 1000);
  const [calendars, own] = await Promise.all([
    caregiverCalendars(db, carers, start, end),
    // The elder's own visits: a time that clashes with one is not offered (the constraint would refuse it).
    db
      .select({ startsAt: careBookings.startsAt, endsAt: careBookings.endsAt })
      .from(careBookings)
      .where(
        and(
          eq(careBookings.elderId, ctx.elderId),
          inArray(careBookings.status, [...LIVE_BOOKING_STATES]),
          lt(careBookings.startsAt, end),
          gte(careBookings.endsAt, start),
        ),
      ),
  ]);
  const compoundIds = [ctx.compoundId, ...calendars.flatMap((c) => c.busy.map((b) => b.compoundId))];
  const all = openSlots({
    item,
    caregivers: calendars,
    compoundId: ctx.compoundId,
    places: await placesOf(db, compoundIds),
    from,
    days,
    now: deps.clock.now().getTime(),
    tz,
    stepMin: SLOT_STEP_MIN,
  });
  const slots = all.filter(
    (s) => !own.some((b) => s.start < b.endsAt.getTime() && b.startsAt.getTime() < s.end),
  );
  return {
    itemId,
    timezone: tz,
    items: slots.map((s) => ({
      startsAt: new Date(s.start).toISOString(),
      endsAt: new Date(s.end).toISOString(),
      caregivers: s.caregiverIds.length,
    })),
  };
}

function newShortNo(at: Date, tz: string): string {
  const d = localClock(at, tz).date.replaceAll('-', '').slice(2);
  return `C${d}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
}

/**
 * Who takes a visit at `startsAt`, decided inside the transaction with the qualified caregivers'
 * rows locked: every booking that committed before is seen, so 200 people racing for one slot get
 * one visit and 199 SLOT_TAKEN. The exclusion constraints stay the last line of defence.
 */
async function pickCaregiver(
  tx: DbOrTx,
  deps: Deps,
  item: typeof careItems.$inferSelect,
  ctx: ElderContext & { compoundId: string; communityId: string },
  startsAt: Date,
  opts: { excludeBookingId?: string } = {},
) {
  const tz = deps.config.TZ_DISPLAY;
  const local = localClock(startsAt, tz);
  if (
    startsAt.getUTCSeconds() !== 0 ||
    startsAt.getUTCMilliseconds() !== 0 ||
    local.minute % SLOT_STEP_MIN !== 0
  )
    throw badRequest('VALIDATION_FAILED', 'Some fields are invalid', [
      { path: 'body.startsAt', message: `must be on the ${SLOT_STEP_MIN}-minute grid of the slot list` },
    ]);
  if (startsAt.getTime() < deps.clock.now().getTime() + item.minNoticeMin * MIN)
    throw conflict(
      'CARE_NOTICE_TOO_SHORT',
      `This service must be booked at least ${item.minNoticeMin} minutes ahead`,
    );
  const carers = await qualifiedCaregivers(tx, item, ctx, { lock: true });
  const pick = await assignFrom(tx, deps, item, ctx.compoundId, carers, startsAt, {
    ...opts,
    preferredId: ctx.profile?.preferredCaregiverId ?? null,
    notBefore: deps.clock.now().getTime(),
  });
  if (!pick) throw slotTaken();
  return pick;
}

/**
 * Which of these (locked) caregivers takes a visit at `startsAt`, by the pure assignment rule over
 * their calendars around it; null when none can.
 */
async function assignFrom(
  tx: DbOrTx,
  deps: Deps,
  item: typeof careItems.$inferSelect,
  compoundId: string,
  carers: { id: string; providerId: string; lastBookedAt: Date | null }[],
  startsAt: Date,
  opts: { excludeBookingId?: string; preferredId: string | null; notBefore: number },
) {
  const endsAt = new Date(startsAt.getTime() + item.durationMin * MIN);
  const calendars = await caregiverCalendars(tx, carers, startsAt, endsAt, opts);
  const compoundIds = [compoundId, ...calendars.flatMap((c) => c.busy.map((b) => b.compoundId))];
  const pick = assignCaregiver(
    {
      item,
      caregivers: calendars,
      compoundId,
      places: await placesOf(tx, compoundIds),
      now: opts.notBefore,
      tz: deps.config.TZ_DISPLAY,
    },
    startsAt.getTime(),
    opts.preferredId,
  );
  if (!pick) return null;
  return { ...pick, providerId: carers.find((c) => c.id === pick.caregiverId)!.providerId };
}

/** The elder (or a consented family member for them) books an item at a slot. */
export async function createBooking(
  deps: Deps,
  actor: Actor,
  body: { itemId: string; startsAt: string; note: string },
) {
  const db: Db = deps.db;
  const now = deps.clock.now();
  const startsAt = new Date(body.startsAt);
  const row = await db.transaction(async (tx) => {
    const item = await activeItem(tx, body.itemId);
    if (item.performer !== 'caregiver')
      throw conflict(
        'CARE_ITEM_BY_VOLUNTEERS',
        'This service is arranged by volunteers, not booked with a provider',
      );
    const ctx = await elderContext(tx, actor.userId, now);
    requireHome(ctx);
    const settings = await careSettingsOf(tx, ctx.communityId);
    const eligible = meetsAge(ctx.age, settings);
    if (item.subsidised && !eligible)
      throw conflict(
        'CARE_NOT_ELIGIBLE',
        `The subsidised services are for residents aged ${settings.minAge} and over with a recorded birth date`,
      );
    const pick = await pickCaregiver(tx, deps, item, ctx, startsAt);
    const endsAt = new Date(startsAt.getTime() + item.durationMin * MIN);
    const split = splitPrice(item.priceFen, {
      itemPercent: item.voucherPercent,
      capPercent: settings.voucherCapPercent,
      balanceFen: await voucherBalance(tx, ctx.elderId),
      eligible,
    });
    const month = localMonth(startsAt, deps.config.TZ_DISPLAY);
    const status = item.needsConfirmation ? 'requested' : 'confirmed';
    const payBy =
      split.selfPayFen > 0
        ? new Date(Math.min(now.getTime() + settings.payWithinMin * MIN, startsAt.getTime()))
        : null;
    const [booking] = await tx
      .insert(careBookings)
      .values({
        shortNo: newShortNo(now, deps.config.TZ_DISPLAY),
        elderId: ctx.elderId,
        bookedBy: actor.actorId,
        itemId: item.id,
        itemName: item.name,
        providerId: pick.providerId,
        caregiverId: pick.caregiverId,
        householdId: ctx.householdId,
        compoundId: ctx.compoundId,
        startsAt,
        endsAt,
        blockStart: new Date(startsAt.getTime() - item.bufferBeforeMin * MIN),
        blockEnd: new Date(endsAt.getTime() + item.bufferAfterMin * MIN),
        localDate: pick.localDate,
        priceFen: item.priceFen,
        voucherFen: split.voucherFen,
        selfPayFen: split.selfPayFen,
        payBy,
        note: body.note,
        status,
        confirmBy: status === 'requested' ? new Date(now.getTime() + settings.confirmWithinMin * MIN) : null,
      })
      .returning();
    // The balance read above may be stale under concurrent bookings: the conditional spend decides.
    if (
      !(await spendVoucher(tx, {
        elderId: ctx.elderId,
        amountFen: split.voucherFen,
        month,
        bookingId: booking!.id,
      }))
    )
      throw conflict(
        'VOUCHER_BALANCE_CHANGED',
        'The voucher balance changed while booking; please try again',
      );
    await tx.update(caregivers).set({ lastBookedAt: now }).where(eq(caregivers.id, pick.caregiverId));
    await scheduleBookingJobs(tx, deps, booking!);
    await schedulePayDeadline(tx, deps, booking!);
    await audit(
      tx,
      actor,
      'care.booked',
      { type: 'care_booking', id: booking!.id },
      { item: item.code, status },
    );
    await tellProviderAndCaregiver(tx, booking!, status === 'requested' ? 'requested' : 'booked');
    return booking!;
  });
  return bookingView(db, row);
}

async function tellProviderAndCaregiver(
  tx: DbOrTx,
  b: BookingRow,
  what: 'requested' | 'booked' | 'cancelled' | 'moved',
) {
  const [p] = await tx
    .select({ ownerId: careProviders.ownerId })
    .from(careProviders)
    .where(eq(careProviders.id, b.providerId));
  const [c] = await tx
    .select({ userId: caregivers.userId })
    .from(caregivers)
    .where(eq(caregivers.id, b.caregiverId));
  const when = b.startsAt.toISOString();
  const title = {
    requested: '新的服务预约待确认',
    booked: '新的上门服务',
    cancelled: '服务预约已取消',
    moved: '服务预约已改期',
  }[what];
  const body = `${b.itemName} · 单号 ${b.shortNo}`;
  if (p)
    await notify(tx, {
      userId: p.ownerId,
      kind: `care.${what}`,
      title,
      body,
      link: `${PAGES.providerBookings}`,
      dedupeKey: `care.${what}:provider:${b.id}:${b.version}:${when}`,
    });
  if (c && what !== 'requested')
    await notify(tx, {
      userId: c.userId,
      kind: `care.${what}`,
      title,
      body,
      link: `${PAGES.caregiverVisit}?id=${b.id}`,
      dedupeKey: `care.${what}:caregiver:${b.id}:${b.version}:${when}`,
    });
}

export async function myBookings(deps: Deps, actor: Actor, scope: 'upcoming' | 'past' | 'all') {
  const now = deps.clock.now();
  const rows = await deps.db
    .select()
    .from(careBookings)
    .where(
      and(
        eq(careBookings.elderId, actor.userId),
        scope === 'upcoming'
          ? gte(careBookings.endsAt, now)
          : scope === 'past'
            ? lt(careBookings.endsAt, now)
            : undefined,
      ),
    )
    .orderBy(scope === 'upcoming' ? asc(careBookings.startsAt) : desc(careBookings.startsAt))
    .limit(100);
  return { items: await bookingViews(deps.db, rows) };
}

export async function myBooking(deps: Deps, actor: Actor, id: string) {
  await requireAccess(deps.db, actor, careBookingOwn, id);
  return bookingView(deps.db, (await bookingRow(deps.db, id))!);
}

async function lockBooking(tx: DbOrTx, id: string): Promise<BookingRow | undefined> {
  const [row] = await tx.select().from(careBookings).where(eq(careBookings.id, id)).for('update');
  return row;
}

/**
 * Undoes what a live booking holds when it ends early: the voucher part comes back, paid self-pay
 * is refunded, a pending payment is closed, the reminders and alerts are withdrawn.
 */
async function releaseBooking(tx: DbOrTx, b: BookingRow, tz: string) {
  await returnVoucher(tx, {
    elderId: b.elderId,
    amountFen: b.voucherFen,
    month: localMonth(b.startsAt, tz),
    bookingId: b.id,
  });
  if (b.paidAt) await startRefund(tx, 'care_booking', b.id);
  else await closePendingPayment(tx, 'care_booking', b.id);
  await unscheduleBookingJobs(tx, b.id);
}

/** Cancels a changeable booking and releases what it holds; null when it was no longer changeable. */
async function cancelAndRelease(
  tx: DbOrTx,
  deps: Deps,
  id: string,
  set: Pick<Partial<BookingRow>, 'cancelledAt' | 'cancelledBy' | 'cancelReason' | 'lateCancel'>,
): Promise<BookingRow | null> {
  const [b] = await advance(
    tx,
    careBookings,
    careBookings.status,
    careBookingFlow,
    'cancel',
    eq(careBookings.id, id),
    {
      ...set,
      version: sql`${careBookings.version} + 1`,
    },
  );
  if (b) await releaseBooking(tx, b, deps.config.TZ_DISPLAY);
  return b ?? null;
}

/** Free until the community's notice before the start; later it counts as a late cancel. */
export async function cancelBooking(deps: Deps, actor: Actor, id: string, reason: string) {
  await requireAccess(deps.db, actor, careBookingOwn, id);
  const now = deps.clock.now();
  const row = await deps.db.transaction(async (tx) => {
    const seen = await lockBooking(tx, id);
    if (!seen || !CHANGEABLE_BOOKING_STATES.includes(seen.status))
      throw conflict('CARE_BOOKING_NOT_CHANGEABLE', 'This booking can no longer be cancelled');
    const compound = (await compoundsByIds(tx, [seen.compoundId])).get(seen.compoundId)!;
    const settings = await careSettingsOf(tx, compound.communityId);
    const late = now.getTime() > seen.startsAt.getTime() - settings.freeCancelHours * 3600 * 1000;
    const b = await cancelAndRelease(tx, deps, id, {
      cancelledAt: now,
      cancelledBy: actor.actorId,
      cancelReason: reason || null,
      lateCancel: late,
    });
    if (!b) throw conflict('CARE_BOOKING_NOT_CHANGEABLE', 'This booking can no longer be cancelled');
    await audit(tx, actor, 'care.cancelled', { type: 'care_booking', id }, { late, reason });
    await tellProviderAndCaregiver(tx, b, 'cancelled');
    return b;
  });
  return bookingView(deps.db, row);
}

/** What an unpaid booking's cancel records as its reason; the family reads it as is. */
const UNPAID_CANCEL_REASON = '超时未支付，系统已自动取消';

/**
 * The pay deadline passed with self-pay unpaid: the booking is cancelled and the caregiver's time,
 * the voucher part and any pending payment are released, as a family's own cancel would. Only the
 * deadline the job was queued for counts, and only once it has passed by our clock.
 */
export async function expireUnpaidBooking(deps: Deps, id: string, payByIso: string): Promise<boolean> {
  const due = (b: BookingRow | undefined): b is BookingRow & { payBy: Date } =>
    !!b &&
    CHANGEABLE_BOOKING_STATES.includes(b.status) &&
    b.paidAt === null &&
    b.payBy?.toISOString() === payByIso;
  // The provider may have taken the money while its notification is lost or late: ask it first,
  // outside the transaction (no network while the booking is locked). Paid there -> paid here.
  const seen = await bookingRow(deps.db, id);
  if (
    due(seen) &&
    seen.payBy.getTime() <= deps.clock.now().getTime() &&
    (await reconcilePending(deps, 'care_booking', id)) === 'paid'
  )
    return false;
  return deps.db.transaction(async (tx) => {
    const b = await lockBooking(tx, id);
    if (!due(b)) return false;
    const again = { job: careUnpaidJob, payload: { bookingId: id, payBy: payByIso } };
    if (await notDueYet(tx, deps, b.payBy, again)) return false;
    const c = await cancelAndRelease(tx, deps, id, {
      cancelledAt: deps.clock.now(),
      cancelReason: UNPAID_CANCEL_REASON,
    });
    if (!c) return false;
    await audit(tx, null, 'care.unpaidCancelled', { type: 'care_booking', id }, { payBy: payByIso });
    for (const userId of await familyOf(tx, c.elderId))
      await notify(tx, {
        userId,
        kind: 'care.unpaidCancelled',
        title: '预约因未支付已取消',
        body: `${c.itemName}（单号 ${c.shortNo}）未在时限内支付自付部分，预约已取消${c.voucherFen > 0 ? '，服务券已退回' : ''}，可重新预约`,
        link: `${PAGES.careBooking}?id=${c.id}`,
        dedupeKey: `care.unpaidCancelled:${c.id}:${userId}`,
      });
    await tellProviderAndCaregiver(tx, c, 'cancelled');
    return true;
  });
}

/** Moves a booking to another slot: same item and price, possibly another caregiver. */
export async function rescheduleBooking(deps: Deps, actor: Actor, id: string, startsAtIso: string) {
  await requireAccess(deps.db, actor, careBookingOwn, id);
  const startsAt = new Date(startsAtIso);
  const now = deps.clock.now();
  const row = await deps.db.transaction(async (tx) => {
    const seen = await lockBooking(tx, id);
    if (!seen || !CHANGEABLE_BOOKING_STATES.includes(seen.status))
      throw conflict('CARE_BOOKING_NOT_CHANGEABLE', 'This booking can no longer be moved');
    const [item] = await tx.select().from(careItems).where(eq(careItems.id, seen.itemId));
    const ctx = await elderContext(tx, seen.elderId, now);
    requireHome(ctx);
    // The booking's own block must not stand in its own way.
    const pick = await pickCaregiver(tx, deps, item!, ctx, startsAt, { excludeBookingId: id });
    const endsAt = new Date(startsAt.getTime() + (seen.endsAt.getTime() - seen.startsAt.getTime()));
    const changedCarer = pick.caregiverId !== seen.caregiverId;
    const settings = await careSettingsOf(tx, ctx.communityId);
    // A new caregiver whose provider must confirm: the booking waits for that provider again.
    const askAgain = changedCarer && item!.needsConfirmation;
    const moved = {
      startsAt,
      endsAt,
      blockStart: new Date(startsAt.getTime() - item!.bufferBeforeMin * MIN),
      blockEnd: new Date(endsAt.getTime() + item!.bufferAfterMin * MIN),
      localDate: pick.localDate,
      caregiverId: pick.caregiverId,
      providerId: pick.providerId,
      confirmBy: askAgain ? new Date(now.getTime() + settings.confirmWithinMin * MIN) : seen.confirmBy,
      // Moved earlier than its pay deadline, it must be paid by the new start; never later than before.
      payBy: seen.payBy && startsAt < seen.payBy ? startsAt : seen.payBy,
      version: sql`${careBookings.version} + 1`,
    };
    const where = eq(careBookings.id, id);
    const [b] = askAgain
      ? await advance(tx, careBookings, careBookings.status, careBookingFlow, 'askAgain', where, moved)
      : await tx
          .update(careBookings)
          .set(moved)
          .where(and(where, inArray(careBookings.status, [...CHANGEABLE_BOOKING_STATES])))
          .returning();
    if (!b) throw conflict('CARE_BOOKING_NOT_CHANGEABLE', 'This booking can no longer be moved');
    if (changedCarer)
      await tx.update(caregivers).set({ lastBookedAt: now }).where(eq(caregivers.id, pick.caregiverId));
    await unscheduleBookingJobs(tx, id);
    await scheduleBookingJobs(tx, deps, b);
    if (b.payBy?.getTime() !== seen.payBy?.getTime()) await schedulePayDeadline(tx, deps, b);
    await audit(
      tx,
      actor,
      'care.rescheduled',
      { type: 'care_booking', id },
      {
        from: seen.startsAt.toISOString(),
        to: startsAt.toISOString(),
      },
    );
    await tellProviderAndCaregiver(tx, b, 'moved');
    return b;
  });
  return bookingView(deps.db, row);
}

/** The self-pay part through the payment provider, like an order's total. */
export async function payBooking(deps: Deps, actor: Actor, id: string) {
  await requireAccess(deps.db, actor, careBookingOwn, id);
  const opened = await deps.db.transaction(async (tx) => {
    const b = await lockBooking(tx, id);
    if (!b || !CHANGEABLE_BOOKING_STATES.includes(b.status) || b.selfPayFen === 0 || b.paidAt)
      throw conflict('CARE_NOTHING_TO_PAY', 'Nothing is due for this booking');
    if (b.payBy && b.payBy.getTime() <= deps.clock.now().getTime())
      throw conflict('PAYMENT_EXPIRED', 'The time to pay for this booking is over');
    return openPayment(
      tx,
      deps,
      'care_booking',
      { id, totalFen: b.selfPayFen, description: `邻里照护 ${b.itemName}`, payBy: b.payBy ?? undefined },
      { userId: actor.actorId },
    );
  });
  // The provider is asked after the booking's lock is released: no network inside a transaction.
  return preparePayment(deps, opened);
}

/** The provider confirms a requested booking. */
export async function confirmBooking(deps: Deps, actor: Actor, id: string) {
  // A suspended provider keeps seeing its bookings but takes on no new ones.
  await requireVerifiedProvider(deps.db, actor);
  await requireAccess(deps.db, actor, careBookingProvider, id);
  const row = await deps.db.transaction(async (tx) => {
    const [b] = await advance(
      tx,
      careBookings,
      careBookings.status,
      careBookingFlow,
      'confirm',
      eq(careBookings.id, id),
      {
        confirmBy: null,
      },
    );
    if (!b) throw conflict('CARE_BOOKING_NOT_REQUESTED', 'This booking is not waiting for confirmation');
    await audit(tx, actor, 'care.confirmed', { type: 'care_booking', id });
    for (const userId of await familyOf(tx, b.elderId))
      await notify(tx, {
        userId,
        kind: 'care.confirmed',
        title: '服务预约已确认',
        body: `${b.itemName} · 单号 ${b.shortNo}`,
        link: `${PAGES.careBooking}?id=${b.id}`,
        dedupeKey: `care.confirmed:${b.id}:${userId}`,
      });
    await tellProviderAndCaregiver(tx, b, 'booked');
    return b;
  });
  return bookingView(deps.db, row);
}

/** The elder or family rates a completed visit, once. */
export async function rateVisit(
  deps: Deps,
  actor: Actor,
  id: string,
  body: { rating: number; comment: string },
) {
  await requireAccess(deps.db, actor, careBookingOwn, id);
  const row = await deps.db.transaction(async (tx) => {
    const b = await lockBooking(tx, id);
    if (b?.status !== 'completed')
      throw conflict('CARE_VISIT_NOT_COMPLETED', 'Only a completed visit can be rated');
    const [rated] = await tx
      .insert(careVisits)
      .values({
        bookingId: id,
        rating: body.rating,
        ratingComment: body.comment,
        ratedAt: deps.clock.now(),
        ratedBy: actor.actorId,
      })
      .onConflictDoUpdate({
        target: careVisits.bookingId,
        set: {
          rating: body.rating,
          ratingComment: body.comment,
          ratedAt: deps.clock.now(),
          ratedBy: actor.actorId,
        },
        setWhere: sql`${careVisits.rating} IS NULL`,
      })
      .returning({ id: careVisits.bookingId });
    if (!rated) throw conflict('CARE_VISIT_ALREADY_RATED', 'This visit has already been rated');
    await audit(tx, actor, 'care.rated', { type: 'care_booking', id }, { rating: body.rating });
    return b;
  });
  return bookingView(deps.db, row);
}

function dayRange(date: string | undefined, deps: Deps) {
  const tz = deps.config.TZ_DISPLAY;
  const day = date ?? localClock(deps.clock.now(), tz).date;
  const start = zonedInstant(day, '00:00', tz);
  return { start, end: new Date(start.getTime() + 24 * 3600 * 1000) };
}

/**
 * A provider's bookings of one local day (today by default), or with `waiting` every request still
 * waiting for its word, soonest first (one lapses on the confirmation timeout, whatever its day).
 */
export async function providerBookings(deps: Deps, actor: Actor, date?: string, waiting = false) {
  const { start, end } = waiting ? { start: deps.clock.now(), end: null } : dayRange(date, deps);
  const rows = await deps.db
    .select()
    .from(careBookings)
    .where(
      and(
        inArray(
          careBookings.providerId,
          deps.db
            .select({ id: careProviders.id })
            .from(careProviders)
            .where(eq(careProviders.ownerId, actor.actorId)),
        ),
        gte(careBookings.startsAt, start),
        end ? lt(careBookings.startsAt, end) : eq(careBookings.status, 'requested'),
      ),
    )
    .orderBy(asc(careBookings.startsAt))
    .limit(200);
  return { items: await bookingViews(deps.db, rows) };
}

/** Staff see the bookings of their compounds by day. */
export async function staffBookings(deps: Deps, actor: Actor, date?: string) {
  const { start, end } = dayRange(date, deps);
  const rows = await deps.db
    .select()
    .from(careBookings)
    .where(
      and(
        inArray(careBookings.compoundId, compoundsRunBy(deps.db, actor.actorId)),
        gte(careBookings.startsAt, start),
        lt(careBookings.startsAt, end),
      ),
    )
    .orderBy(asc(careBookings.startsAt))
    .limit(500);
  return { items: await bookingViews(deps.db, rows) };
}

/**
 * Staff record that the caregiver never came (after the no-clock-in alert, once they have asked).
 * It counts against the caregiver, never the elder, and the elder's voucher and money come back.
 */
export async function caregiverNoShow(deps: Deps, actor: Actor, id: string, note: string) {
  await requireAccess(deps.db, actor, careBookingStaff, id);
  const row = await deps.db.transaction(async (tx) => {
    const seen = await lockBooking(tx, id);
    if (!seen || seen.startsAt.getTime() > deps.clock.now().getTime())
      throw conflict('VISIT_NOT_DUE', 'A visit can be recorded as missed only after its start');
    const [b] = await advance(
      tx,
      careBookings,
      careBookings.status,
      careBookingFlow,
      'noShow',
      eq(careBookings.id, id),
      {
        noShowBy: 'caregiver',
        cancelReason: note,
        version: sql`${careBookings.version} + 1`,
      },
    );
    if (!b)
      throw conflict(
        'CARE_BOOKING_NOT_CHANGEABLE',
        'Only a confirmed visit nobody clocked in to can be missed',
      );
    await releaseBooking(tx, b, deps.config.TZ_DISPLAY);
    await audit(tx, actor, 'care.caregiverNoShow', { type: 'care_booking', id }, { note });
    for (const userId of await familyOf(tx, b.elderId))
      await notify(tx, {
        userId,
        kind: 'care.caregiverNoShow',
        title: '护理员未能上门',
        body: `${b.itemName}（单号 ${b.shortNo}）护理员未能上门，服务券和费用已退回，请重新预约`,
        link: `${PAGES.careBooking}?id=${b.id}`,
        dedupeKey: `care.caregiverNoShow:${b.id}:${userId}`,
      });
    await tellProviderAndCaregiver(tx, b, 'cancelled');
    return b;
  });
  return bookingView(deps.db, row);
}

/**
 * The confirmation timeout's way out: the same request to another qualified caregiver free at the
 * time (never one who already let it lapse), with a fresh confirmation deadline.
 */
export async function reassignRequest(tx: DbOrTx, deps: Deps, b: BookingRow): Promise<BookingRow | null> {
  const now = deps.clock.now();
  const [item] = await tx.select().from(careItems).where(eq(careItems.id, b.itemId));
  const ctx = await elderContext(tx, b.elderId, now);
  if (!item || !ctx?.compoundId || !ctx.communityId) return null;
  const home = { ...ctx, compoundId: ctx.compoundId, communityId: ctx.communityId };
  const passedOver = [...b.passedOver, b.caregiverId];
  const carers = (await qualifiedCaregivers(tx, item, home, { lock: true })).filter(
    (c) => !passedOver.includes(c.id),
  );
  // The request was accepted with its notice; a lapse never makes it too late to hand on.
  const pick = await assignFrom(tx, deps, item, home.compoundId, carers, b.startsAt, {
    excludeBookingId: b.id,
    preferredId: null,
    notBefore: 0,
  });
  if (!pick) return null;
  const settings = await careSettingsOf(tx, home.communityId);
  const [moved] = await tx
    .update(careBookings)
    .set({
      caregiverId: pick.caregiverId,
      providerId: pick.providerId,
      confirmBy: new Date(now.getTime() + settings.confirmWithinMin * MIN),
      passedOver,
      version: sql`${careBookings.version} + 1`,
    })
    .where(and(eq(careBookings.id, b.id), eq(careBookings.status, 'requested')))
    .returning();
  if (!moved) return null;
  await tx.update(caregivers).set({ lastBookedAt: now }).where(eq(caregivers.id, pick.caregiverId));
  await unscheduleBookingJobs(tx, b.id);
  await tellProviderAndCaregiver(tx, moved, 'requested');
  return moved;
}

/** What care_booking payments are: registered with payments by the module face. */
export const careBookingsArePaidFor: PaymentSubject = {
  lock: async (tx, payment) => {
    await lockBooking(tx, payment.subjectId);
  },
  paid: async (tx, payment) => {
    const [b] = await tx
      .update(careBookings)
      // The confirmation always records when the money arrived; the database clock only as a fallback.
      .set({ paidAt: payment.succeededAt ?? sql`now()` })
      .where(
        and(
          eq(careBookings.id, payment.subjectId),
          inArray(careBookings.status, [...LIVE_BOOKING_STATES]),
          isNull(careBookings.paidAt),
        ),
      )
      .returning({ id: careBookings.id });
    // Money for a booking already cancelled (or paid twice) goes back, never revives it.
    if (!b) await startRefund(tx, 'care_booking', payment.subjectId);
  },
  view: async (db, payment) => bookingView(db, (await bookingRow(db, payment.subjectId))!),
  owner: careBookingPayments,
  staffSees: (db, staffId) =>
    db
      .select({ id: careBookings.id })
      .from(careBookings)
      .where(inArray(careBookings.compoundId, compoundsRunBy(db, staffId))),
};

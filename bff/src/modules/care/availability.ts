import { and, asc, eq, gt, inArray, lt, ne, sql } from 'drizzle-orm';
import { LIVE_BOOKING_STATES, type SlotCaregiver } from 'shared';
import type { DbOrTx } from '../../db/client';
import {
  careBookings,
  caregiverCompounds,
  caregiverHours,
  caregivers,
  caregiverTimeOff,
  type careItems,
  careProviders,
} from './tables';

export type CareItemRow = typeof careItems.$inferSelect;

const DAY = 24 * 3600 * 1000;

/**
 * Caregivers who may perform the item in the compound: active, of a verified provider of the
 * community, serving the compound, holding the item's certification. `lock` takes their rows
 * FOR UPDATE (in id order, so concurrent bookings queue instead of deadlocking): the booking
 * transaction then sees every other booking of these caregivers that committed before it.
 */
export async function qualifiedCaregivers(
  tx: DbOrTx,
  item: CareItemRow,
  at: { compoundId: string; communityId: string },
  opts: { lock?: boolean } = {},
) {
  const query = tx
    .select({ id: caregivers.id, providerId: caregivers.providerId, lastBookedAt: caregivers.lastBookedAt })
    .from(caregivers)
    .innerJoin(careProviders, eq(careProviders.id, caregivers.providerId))
    .where(
      and(
        eq(caregivers.active, true),
        eq(careProviders.status, 'verified'),
        eq(careProviders.communityId, at.communityId),
        inArray(
          caregivers.id,
          tx
            .select({ id: caregiverCompounds.caregiverId })
            .from(caregiverCompounds)
            .where(eq(caregiverCompounds.compoundId, at.compoundId)),
        ),
        item.certification ? sql`${caregivers.certifications} ? ${item.certification}` : undefined,
      ),
    )
    .orderBy(asc(caregivers.id));
  return opts.lock ? query.for('update', { of: caregivers }) : query;
}

/**
 * What the pure slot logic needs about these caregivers between two instants: hours, time off,
 * and the blocks of their live bookings (one day either side, for travel and buffers).
 */
export async function caregiverCalendars(
  tx: DbOrTx,
  list: { id: string; lastBookedAt: Date | null }[],
  from: Date,
  to: Date,
  opts: { excludeBookingId?: string } = {},
): Promise<SlotCaregiver[]> {
  if (list.length === 0) return [];
  const ids = list.map((c) => c.id);
  const lo = new Date(from.getTime() - DAY);
  const hi = new Date(to.getTime() + DAY);
  const [hours, off, busy] = await Promise.all([
    tx.select().from(caregiverHours).where(inArray(caregiverHours.caregiverId, ids)),
    tx
      .select()
      .from(caregiverTimeOff)
      .where(
        and(
          inArray(caregiverTimeOff.caregiverId, ids),
          lt(caregiverTimeOff.startsAt, hi),
          gt(caregiverTimeOff.endsAt, lo),
        ),
      ),
    tx
      .select({
        caregiverId: careBookings.caregiverId,
        blockStart: careBookings.blockStart,
        blockEnd: careBookings.blockEnd,
        compoundId: careBookings.compoundId,
        itemId: careBookings.itemId,
        localDate: careBookings.localDate,
      })
      .from(careBookings)
      .where(
        and(
          inArray(careBookings.caregiverId, ids),
          inArray(careBookings.status, [...LIVE_BOOKING_STATES]),
          lt(careBookings.blockStart, hi),
          gt(careBookings.blockEnd, lo),
          opts.excludeBookingId ? ne(careBookings.id, opts.excludeBookingId) : undefined,
        ),
      ),
  ]);
  return list.map((c) => ({
    id: c.id,
    lastBookedAt: c.lastBookedAt?.getTime() ?? null,
    hours: hours
      .filter((h) => h.caregiverId === c.id)
      .map((h) => ({ weekday: h.weekday, startMin: h.startMin, endMin: h.endMin })),
    timeOff: off
      .filter((o) => o.caregiverId === c.id)
      .map((o) => ({ start: o.startsAt.getTime(), end: o.endsAt.getTime() })),
    busy: busy
      .filter((b) => b.caregiverId === c.id)
      .map((b) => ({
        start: b.blockStart.getTime(),
        end: b.blockEnd.getTime(),
        compoundId: b.compoundId,
        itemId: b.itemId,
        localDate: b.localDate,
      })),
  }));
}

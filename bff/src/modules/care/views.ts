import { eq, inArray } from 'drizzle-orm';
import type { CareBooking } from 'shared';
import type { z } from 'zod';
import type { DbOrTx } from '../../db/client';
import { peopleByIds } from '../identity';
import { compoundsByIds } from '../places';
import { careSettingsOf } from './settings';
import { careBookings, caregivers, careProviders } from './tables';
import { visitRecords } from './visits';

export type BookingRow = typeof careBookings.$inferSelect;
type View = z.input<typeof CareBooking>;

const HOUR = 3600 * 1000;

export async function bookingRow(db: DbOrTx, id: string): Promise<BookingRow | undefined> {
  const [row] = await db.select().from(careBookings).where(eq(careBookings.id, id));
  return row;
}

/** The booking as the family, the provider and staff see it (names, money, the visit so far). */
export async function bookingViews(
  db: DbOrTx,
  rows: BookingRow[],
): Promise<(View & { caregiverId: string; compoundName: string })[]> {
  if (rows.length === 0) return [];
  const [people, providers, carers, compounds, visits] = await Promise.all([
    peopleByIds(
      db,
      rows.map((r) => r.elderId),
    ),
    db
      .select({ id: careProviders.id, name: careProviders.name })
      .from(careProviders)
      .where(inArray(careProviders.id, [...new Set(rows.map((r) => r.providerId))])),
    db
      .select({ id: caregivers.id, name: caregivers.name })
      .from(caregivers)
      .where(inArray(caregivers.id, [...new Set(rows.map((r) => r.caregiverId))])),
    compoundsByIds(
      db,
      rows.map((r) => r.compoundId),
    ),
    visitRecords(db, rows),
  ]);
  const settings = new Map<string, number>();
  for (const c of compounds.values())
    if (!settings.has(c.communityId))
      settings.set(c.communityId, (await careSettingsOf(db, c.communityId)).freeCancelHours);
  const providerName = new Map(providers.map((p) => [p.id, p.name]));
  const carerName = new Map(carers.map((c) => [c.id, c.name]));
  return rows.map((r) => {
    const compound = compounds.get(r.compoundId);
    const freeHours = settings.get(compound?.communityId ?? '') ?? 24;
    return {
      id: r.id,
      shortNo: r.shortNo,
      status: r.status,
      elderId: r.elderId,
      elderName: people.get(r.elderId)?.name ?? '',
      itemId: r.itemId,
      itemName: r.itemName,
      providerName: providerName.get(r.providerId) ?? '',
      caregiverId: r.caregiverId,
      caregiverName: carerName.get(r.caregiverId) ?? '',
      compoundName: compound?.name ?? '',
      startsAt: r.startsAt.toISOString(),
      endsAt: r.endsAt.toISOString(),
      priceFen: r.priceFen,
      voucherFen: r.voucherFen,
      selfPayFen: r.selfPayFen,
      paid: r.selfPayFen === 0 || r.paidAt !== null,
      payBy: r.selfPayFen > 0 && r.paidAt === null ? (r.payBy?.toISOString() ?? null) : null,
      note: r.note,
      lateCancel: r.lateCancel,
      noShowBy: (r.noShowBy as 'elder' | 'caregiver' | null) ?? null,
      cancelReason: r.cancelReason,
      freeCancelUntil: new Date(r.startsAt.getTime() - freeHours * HOUR).toISOString(),
      visit: visits.get(r.id)!,
      createdAt: r.createdAt.toISOString(),
    };
  });
}

export async function bookingView(db: DbOrTx, row: BookingRow) {
  return (await bookingViews(db, [row]))[0]!;
}

import { and, eq, inArray } from 'drizzle-orm';
import { definePolicy } from '../../access/require-access';
import type { DbOrTx } from '../../db/client';
import { paymentsOfSubjects } from '../payments';
import { compoundsRunBy, householdsRunBy, staffCommunityIds } from '../places';
import { careBookings, caregivers, caregiverTimeOff, careProviders, elderProfiles } from './tables';

/** The elder's own bookings (a consented proxy acts as the elder, so `userId` is the elder). */
export const careBookingOwn = definePolicy('care.booking.own', (db, actor, list) =>
  db
    .select({ id: careBookings.id })
    .from(careBookings)
    .where(and(inArray(careBookings.id, list), eq(careBookings.elderId, actor.userId))),
);

/** The providers a user runs (one per owner). */
const providersOwnedBy = (db: DbOrTx, userId: string) =>
  db.select({ id: careProviders.id }).from(careProviders).where(eq(careProviders.ownerId, userId));

/** A provider sees and confirms the bookings of its own caregivers. */
export const careBookingProvider = definePolicy('care.booking.provider', (db, actor, list) =>
  db
    .select({ id: careBookings.id })
    .from(careBookings)
    .where(
      and(
        inArray(careBookings.id, list),
        inArray(careBookings.providerId, providersOwnedBy(db, actor.actorId)),
      ),
    ),
);

/** A caregiver works the visits assigned to them, and no one else's. */
export const careVisitCaregiver = definePolicy('care.visit.caregiver', (db, actor, list) =>
  db
    .select({ id: careBookings.id })
    .from(careBookings)
    .where(
      and(
        inArray(careBookings.id, list),
        inArray(
          careBookings.caregiverId,
          db.select({ id: caregivers.id }).from(caregivers).where(eq(caregivers.userId, actor.actorId)),
        ),
      ),
    ),
);

/** A provider manages its own caregivers. */
export const caregiverOfProvider = definePolicy('care.caregiver.provider', (db, actor, list) =>
  db
    .select({ id: caregivers.id })
    .from(caregivers)
    .where(
      and(inArray(caregivers.id, list), inArray(caregivers.providerId, providersOwnedBy(db, actor.actorId))),
    ),
);

/** ... and their time off. */
export const timeOffOfProvider = definePolicy('care.time_off.provider', (db, actor, list) =>
  db
    .select({ id: caregiverTimeOff.id })
    .from(caregiverTimeOff)
    .where(
      and(
        inArray(caregiverTimeOff.id, list),
        inArray(
          caregiverTimeOff.caregiverId,
          db
            .select({ id: caregivers.id })
            .from(caregivers)
            .where(inArray(caregivers.providerId, providersOwnedBy(db, actor.actorId))),
        ),
      ),
    ),
);

/** Staff review the providers of the communities they run. */
export const careProviderStaff = definePolicy('care.provider.staff', (db, actor, list) =>
  db
    .select({ id: careProviders.id })
    .from(careProviders)
    .where(
      and(
        inArray(careProviders.id, list),
        inArray(careProviders.communityId, staffCommunityIds(db, actor.actorId)),
      ),
    ),
);

/** Staff see the bookings in the compounds they run. */
export const careBookingStaff = definePolicy('care.booking.staff', (db, actor, list) =>
  db
    .select({ id: careBookings.id })
    .from(careBookings)
    .where(
      and(
        inArray(careBookings.id, list),
        inArray(careBookings.compoundId, compoundsRunBy(db, actor.actorId)),
      ),
    ),
);

/** Staff may read (with a reason, logged) the profiles of elders living in their communities. */
export const elderProfileStaff = definePolicy('care.elder.staff', (db, actor, list) =>
  db
    .select({ id: elderProfiles.userId })
    .from(elderProfiles)
    .where(
      and(
        inArray(elderProfiles.userId, list),
        inArray(elderProfiles.householdId, householdsRunBy(db, actor.actorId)),
      ),
    ),
);

/** The payments of the elder's own bookings. */
export const careBookingPayments = definePolicy('care.booking.payment', (db, actor, list) =>
  paymentsOfSubjects(
    db,
    'care_booking',
    db.select({ id: careBookings.id }).from(careBookings).where(eq(careBookings.elderId, actor.userId)),
    list,
  ),
);

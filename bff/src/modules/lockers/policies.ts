import { and, eq, inArray } from 'drizzle-orm';
import { definePolicy } from '../../access/require-access';
import { compoundsRunBy, staffCommunityIds } from '../places';
import { compartments, courierCommunities, deliveryBatches, deliveryWindows, lockerBanks } from './tables';

/** Staff run the locker banks, compartments and windows of the communities they run. */
export const lockerBankManage = definePolicy('lockerBank.manage', (db, actor, list) =>
  db
    .select({ id: lockerBanks.id })
    .from(lockerBanks)
    .where(
      and(inArray(lockerBanks.id, list), inArray(lockerBanks.compoundId, compoundsRunBy(db, actor.actorId))),
    ),
);

export const compartmentManage = definePolicy('compartment.manage', (db, actor, list) =>
  db
    .select({ id: compartments.id })
    .from(compartments)
    .innerJoin(lockerBanks, eq(lockerBanks.id, compartments.bankId))
    .where(
      and(inArray(compartments.id, list), inArray(lockerBanks.compoundId, compoundsRunBy(db, actor.actorId))),
    ),
);

export const windowManage = definePolicy('window.manage', (db, actor, list) =>
  db
    .select({ id: deliveryWindows.id })
    .from(deliveryWindows)
    .where(
      and(
        inArray(deliveryWindows.id, list),
        inArray(deliveryWindows.communityId, staffCommunityIds(db, actor.actorId)),
      ),
    ),
);

/** A courier drives the batches of the communities they serve. */
export const batchDrive = definePolicy('batch.drive', (db, actor, list) =>
  db
    .select({ id: deliveryBatches.id })
    .from(deliveryBatches)
    .innerJoin(deliveryWindows, eq(deliveryWindows.id, deliveryBatches.windowId))
    .where(
      and(
        inArray(deliveryBatches.id, list),
        inArray(
          deliveryWindows.communityId,
          db
            .select({ id: courierCommunities.communityId })
            .from(courierCommunities)
            .where(eq(courierCommunities.userId, actor.actorId)),
        ),
      ),
    ),
);

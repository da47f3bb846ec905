import { and, inArray } from 'drizzle-orm';
import { definePolicy } from '../../access/require-access';
import { staffCommunityIds } from '../places';
import { merchantCommunities } from './tables';

/** Staff verify shops that serve a community they run. */
export const merchantVerify = definePolicy('merchant.verify', (db, actor, list) =>
  db
    .selectDistinct({ id: merchantCommunities.merchantId })
    .from(merchantCommunities)
    .where(
      and(
        inArray(merchantCommunities.merchantId, list),
        inArray(merchantCommunities.communityId, staffCommunityIds(db, actor.actorId)),
      ),
    ),
);

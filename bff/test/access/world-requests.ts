import { asc, eq } from 'drizzle-orm';
import {
  notifications,
  requestEvents,
  requestSettings,
  requestTimeLimits,
  residentRequests,
} from '../../src/db/schema';
import { repairShop } from '../fixtures/requests';
import type { Who, WorldBase } from './world';

/** How far a request has gone, and with whom: the shop (邻里快修) or `staff` as its handler. */
export type RequestStage =
  | 'submitted'
  | 'dispatched_shop'
  | 'accepted_shop'
  | 'resolved_shop'
  | 'dispatched_staff'
  | 'accepted_staff';

/**
 * The requests domain's resource factories for the foreign-token cases: each makes a real instance (through
 * the API where one exists) and returns its id, its owner and `state()` (everything a refused
 * request could have changed).
 */
export async function requestMakers<P extends Record<string, Who>>(w: WorldBase<P>) {
  const { t, db, send, done, communityId } = w;
  const people = w.people as unknown as { staff: Who; resident: Who };
  const shop = await repairShop(t);

  /** A repair raised by the seeded resident, taken as far as `stage`. */
  async function residentRequest(stage: RequestStage) {
    const made = done(
      await send(people.resident, 'POST', '/v1/requests', { category: 'repair', text: '权限测试：水管漏水' }),
      201,
    );
    const id = made.id as string;
    const withShop = stage.endsWith('_shop');
    if (stage !== 'submitted') {
      const handler = withShop
        ? { kind: 'merchant', merchantId: shop.merchantId }
        : { kind: 'staff', userId: people.staff.userId };
      done(
        await send(people.staff, 'POST', `/v1/staff/requests/${id}/dispatch`, {
          handler,
          version: made.version,
        }),
      );
    }
    const base = withShop ? `/v1/merchant/requests/${id}` : `/v1/staff/requests/${id}`;
    const handlerWho = withShop ? shop.owner : people.staff;
    if (stage.startsWith('accepted') || stage.startsWith('resolved'))
      done(await send(handlerWho, 'POST', `${base}/accept`, {}));
    if (stage.startsWith('resolved'))
      done(await send(handlerWho, 'POST', `${base}/resolve`, { note: '已修好' }));
    const row = (await db.select().from(residentRequests).where(eq(residentRequests.id, id)))[0]!;
    return {
      id,
      owner: people.resident,
      staff: people.staff,
      shopOwner: shop.owner,
      version: row.version,
      state: async () => ({
        request: (await db.select().from(residentRequests).where(eq(residentRequests.id, id)))[0],
        events: await db
          .select()
          .from(requestEvents)
          .where(eq(requestEvents.requestId, id))
          .orderBy(asc(requestEvents.id)),
        told: (await db.select().from(notifications)).filter((n) => n.link?.endsWith(id)).length,
      }),
    };
  }

  /** The demo community as its staff's settings see it (the lead and the time limits). */
  async function requestCommunity() {
    return {
      id: communityId,
      owner: people.staff,
      state: async () => ({
        settings: await db.select().from(requestSettings).where(eq(requestSettings.communityId, communityId)),
        limits: await db
          .select()
          .from(requestTimeLimits)
          .where(eq(requestTimeLimits.communityId, communityId)),
      }),
    };
  }

  return { residentRequest, requestCommunity };
}

import { and, eq, inArray, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import {
  compartments,
  compounds,
  courierCommunities,
  deliveryBatches,
  deliveryWindows,
  lockerBanks,
  memberships,
  merchantCommunities,
  merchants,
  orders,
  payments,
  products,
  proxyLinks,
  refunds,
} from '../db/schema';
import { notFound } from '../http/errors';
import type { Actor } from './actor';
import { shopMaySee } from './merchant-scope';
import { householdsRunBy, residentsRunBy, staffCommunityIds } from './staff-scope';

/**
 * One question asked of the database for every id a request names: "which of these ids may this
 * actor touch this way?". Anything not allowed answers 404, exactly like an id that does not exist,
 * so other people's resources cannot even be confirmed to exist.
 */
type Checker = (db: DbOrTx, actor: Actor, ids: string[]) => Promise<string[]>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const ids = async (rows: Promise<{ id: string }[]>) => (await rows).map((r) => r.id);

const policies = {
  /** Staff review requests to join households in the communities they run. */
  'membership.review': (db, actor, list) =>
    ids(
      db
        .select({ id: memberships.id })
        .from(memberships)
        .where(
          and(
            inArray(memberships.id, list),
            inArray(memberships.householdId, householdsRunBy(db, actor.actorId)),
          ),
        ),
    ),
  /** A family member acts for an elder only through a link the elder consented to. */
  'elder.actFor': (db, actor, list) =>
    ids(
      db
        .select({ id: sql<string>`${proxyLinks.elderId}` })
        .from(proxyLinks)
        .where(
          and(
            eq(proxyLinks.proxyId, actor.actorId),
            eq(proxyLinks.consentStatus, 'granted'),
            inArray(proxyLinks.elderId, list),
          ),
        ),
    ),
  /** Only the elder themself consents in the app. */
  'proxyLink.consent': (db, actor, list) =>
    ids(
      db
        .select({ id: proxyLinks.id })
        .from(proxyLinks)
        .where(and(eq(proxyLinks.elderId, actor.actorId), inArray(proxyLinks.id, list))),
    ),
  /** Either side of a link may end it. */
  'proxyLink.revoke': (db, actor, list) =>
    ids(
      db
        .select({ id: proxyLinks.id })
        .from(proxyLinks)
        .where(
          and(
            or(eq(proxyLinks.elderId, actor.actorId), eq(proxyLinks.proxyId, actor.actorId)),
            inArray(proxyLinks.id, list),
          ),
        ),
    ),
  /** Staff record offline consent for elders living in the communities they run. */
  'proxyLink.recordConsent': (db, actor, list) =>
    ids(
      db
        .select({ id: proxyLinks.id })
        .from(proxyLinks)
        .where(
          and(inArray(proxyLinks.id, list), inArray(proxyLinks.elderId, residentsRunBy(db, actor.actorId))),
        ),
    ),
  /** Staff verify shops that serve a community they run. */
  'merchant.verify': (db, actor, list) =>
    ids(
      db
        .selectDistinct({ id: merchantCommunities.merchantId })
        .from(merchantCommunities)
        .where(
          and(
            inArray(merchantCommunities.merchantId, list),
            inArray(merchantCommunities.communityId, staffCommunityIds(db, actor.actorId)),
          ),
        ),
    ),
  /** A resident's own orders (an elder's, for a consented family proxy). */
  'order.own': (db, actor, list) =>
    ids(
      db
        .select({ id: orders.id })
        .from(orders)
        .where(and(eq(orders.userId, actor.userId), inArray(orders.id, list))),
    ),
  'payment.own': (db, actor, list) =>
    ids(
      db
        .select({ id: payments.id })
        .from(payments)
        .innerJoin(orders, eq(orders.id, payments.orderId))
        .where(and(eq(orders.userId, actor.userId), inArray(payments.id, list))),
    ),
  /** A merchant runs the orders, products and refunds of their own shop only; unpaid orders are not theirs yet. */
  'order.manage': (db, actor, list) =>
    ids(
      db
        .select({ id: orders.id })
        .from(orders)
        .where(
          and(inArray(orders.merchantId, shopOwnedBy(db, actor)), shopMaySee(), inArray(orders.id, list)),
        ),
    ),
  'product.manage': (db, actor, list) =>
    ids(
      db
        .select({ id: products.id })
        .from(products)
        .where(and(inArray(products.merchantId, shopOwnedBy(db, actor)), inArray(products.id, list))),
    ),
  'refund.decide': (db, actor, list) =>
    ids(
      db
        .select({ id: refunds.id })
        .from(refunds)
        .innerJoin(orders, eq(orders.id, refunds.orderId))
        .where(and(inArray(orders.merchantId, shopOwnedBy(db, actor)), inArray(refunds.id, list))),
    ),
  /** Staff run the locker banks, compartments and windows of the communities they run. */
  'lockerBank.manage': (db, actor, list) =>
    ids(
      db
        .select({ id: lockerBanks.id })
        .from(lockerBanks)
        .innerJoin(compounds, eq(compounds.id, lockerBanks.compoundId))
        .where(
          and(
            inArray(lockerBanks.id, list),
            inArray(compounds.communityId, staffCommunityIds(db, actor.actorId)),
          ),
        ),
    ),
  'compartment.manage': (db, actor, list) =>
    ids(
      db
        .select({ id: compartments.id })
        .from(compartments)
        .innerJoin(lockerBanks, eq(lockerBanks.id, compartments.bankId))
        .innerJoin(compounds, eq(compounds.id, lockerBanks.compoundId))
        .where(
          and(
            inArray(compartments.id, list),
            inArray(compounds.communityId, staffCommunityIds(db, actor.actorId)),
          ),
        ),
    ),
  'window.manage': (db, actor, list) =>
    ids(
      db
        .select({ id: deliveryWindows.id })
        .from(deliveryWindows)
        .where(
          and(
            inArray(deliveryWindows.id, list),
            inArray(deliveryWindows.communityId, staffCommunityIds(db, actor.actorId)),
          ),
        ),
    ),
  /** A courier drives the batches of the communities they serve. */
  'batch.drive': (db, actor, list) =>
    ids(
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
    ),
} satisfies Record<string, Checker>;

function shopOwnedBy(db: DbOrTx, actor: Actor) {
  return db.select({ id: merchants.id }).from(merchants).where(eq(merchants.ownerId, actor.actorId));
}

export type Permission = keyof typeof policies;

/** Which of `ids` the actor may touch with `permission`. */
export async function allowedIds(
  db: DbOrTx,
  actor: Actor,
  permission: Permission,
  list: string[],
): Promise<Set<string>> {
  const valid = [...new Set(list)].filter((id) => UUID.test(id));
  if (valid.length === 0) return new Set();
  return new Set(await policies[permission](db, actor, valid));
}

/** Throws 404 unless the actor may touch every id. */
export async function requireAccess(
  db: DbOrTx,
  actor: Actor,
  permission: Permission,
  idOrIds: string | string[],
): Promise<void> {
  const list = Array.isArray(idOrIds) ? idOrIds : [idOrIds];
  const allowed = await allowedIds(db, actor, permission, list);
  if (list.length === 0 || list.some((id) => !allowed.has(id))) throw notFound();
}

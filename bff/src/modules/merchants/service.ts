import { and, asc, eq, ilike, inArray, type SQL, type SQLWrapper } from 'drizzle-orm';
import {
  type ApplyMerchantBody,
  isOpenAt,
  type Merchant,
  type MerchantSummary,
  maskPhone,
  merchantFlow,
  PAGES,
  type UpdateMerchantBody,
} from 'shared';
import type { z } from 'zod';
import type { Actor } from '../../access/actor';
import { requireAccess } from '../../access/require-access';
import type { Db, DbOrTx } from '../../db/client';
import { compiledSelect } from '../../db/compiled';
import { advance } from '../../db/flow-update';
import { rowsFromJson, rowsJson } from '../../db/json-rows';
import { conflict, describeConstraint, invalidField, notFound } from '../../http/errors';
import { audit } from '../audit';
import { grantRole, peopleByIds } from '../identity';
import { notify } from '../notifications';
import { existingCommunities, staffCommunityIds, staffOf } from '../places';
import { merchantVerify } from './policies';
import { merchantCommunities, merchants } from './tables';

describeConstraint('merchants_owner_id_unique', 'MERCHANT_EXISTS', 'You already have a shop');

export type MerchantRow = typeof merchants.$inferSelect;

/** Residents see shops that are verified and not closed for good; paused ones show as 休息中. */
const LISTED = ['open', 'paused'] as const;

/** Whether the shop takes orders at this instant: verified, not paused, inside its hours. */
export const takesOrdersAt = (m: MerchantRow, at: Date) => m.status === 'open' && isOpenAt(m.hours, at);

function summary(m: MerchantRow, now: Date): MerchantSummary {
  return {
    id: m.id,
    name: m.name,
    category: m.category,
    description: m.description,
    logoUrl: m.logoUrl,
    status: m.status,
    openNow: takesOrdersAt(m, now),
    minOrderFen: m.minOrderFen,
    delivery: {
      shopPickup: m.offersShopPickup,
      home: m.homeRadiusM === null ? null : { radiusM: m.homeRadiusM, feeFen: m.homeFeeFen },
      locker: m.offersLocker,
    },
  };
}

async function communitiesOf(db: DbOrTx, ids: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return out;
  const rows = await db
    .select()
    .from(merchantCommunities)
    .where(inArray(merchantCommunities.merchantId, ids));
  for (const r of rows) out.get(r.merchantId)?.push(r.communityId);
  return out;
}

async function toMerchant(db: DbOrTx, m: MerchantRow, now: Date): Promise<Merchant> {
  const served = await communitiesOf(db, [m.id]);
  return {
    ...summary(m, now),
    contactPhone: m.contactPhone,
    address: m.address,
    hours: m.hours,
    communityIds: served.get(m.id) ?? [],
    refundsOverdue: m.refundsOverdue,
  };
}

/** The shop directory (周边商家): listed shops serving a community, by category or name. */
export async function listMerchants(
  db: Db,
  q: { communityId?: string; category?: MerchantRow['category']; q?: string },
  now: Date,
): Promise<{ items: MerchantSummary[] }> {
  const where: SQL[] = [inArray(merchants.status, LISTED)];
  if (q.communityId)
    where.push(
      inArray(
        merchants.id,
        db
          .select({ id: merchantCommunities.merchantId })
          .from(merchantCommunities)
          .where(eq(merchantCommunities.communityId, q.communityId)),
      ),
    );
  if (q.category) where.push(eq(merchants.category, q.category));
  if (q.q) where.push(ilike(merchants.name, `%${escapeLike(q.q)}%`));
  const rows = await db
    .select()
    .from(merchants)
    .where(and(...where))
    .orderBy(asc(merchants.name))
    .limit(200);
  // Open shops first: that is what a resident looking to buy now wants.
  return {
    items: rows.map((m) => summary(m, now)).sort((a, b) => Number(b.openNow) - Number(a.openNow)),
  };
}

export const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A listed shop for anyone; a pending or closed one only for its owner and the staff who verify it. */
export async function getMerchant(db: Db, actor: Actor, id: string, now: Date): Promise<Merchant> {
  const [m] = await db.select().from(merchants).where(eq(merchants.id, id));
  if (!m) throw notFound(); // the same answer as for a pending shop the actor may not see
  if (!(LISTED as readonly string[]).includes(m.status) && m.ownerId !== actor.actorId)
    await requireAccess(db, actor, merchantVerify, id);
  return toMerchant(db, m, now);
}

export async function merchantRow(db: DbOrTx, id: string): Promise<MerchantRow | undefined> {
  const [m] = await merchantById(db, { id });
  return m;
}

/**
 * The shop's row as a JSON value, for a caller that reads it within a statement of its own
 * (checkout reads the key, the shop and the products at once); `merchantFromJson` reads it back.
 */
export const merchantJson = (id: SQLWrapper): SQL => rowsJson(merchants, eq(merchants.id, id));

export const merchantFromJson = (json: unknown): MerchantRow | undefined => rowsFromJson(merchants, json)[0];

const merchantById = compiledSelect<{ id: string }, ReturnType<typeof selectMerchant>>((db, p) =>
  selectMerchant(db, p('id')),
);
const selectMerchant = (db: DbOrTx, id: SQLWrapper) =>
  db.select().from(merchants).where(eq(merchants.id, id));

/** Wrong pickup codes in a row at a shop's counter before code checks lock, and for how long. */
export const MAX_WRONG_PICKUP_CODES = 5;
export const PICKUP_CODE_LOCK_MS = 10 * 60_000;

/** The shop the signed-in merchant runs; 404 when they have none. */
/** The id of the caller's shop, as a subquery: the shop's own lists filter by it in their statement. */
export function shopIdOf(db: DbOrTx, actor: Actor) {
  return db.select({ id: merchants.id }).from(merchants).where(eq(merchants.ownerId, actor.actorId));
}

export async function shopOf(db: DbOrTx, actor: Actor): Promise<MerchantRow> {
  const [m] = await db.select().from(merchants).where(eq(merchants.ownerId, actor.actorId));
  if (!m) throw notFound('Shop');
  return m;
}

/**
 * The same, with its row locked for a pickup-code check at the counter: concurrent guesses queue
 * on the row, so each one sees the count (and the lock) the one before it left.
 */
export async function lockShopOf(tx: DbOrTx, actor: Actor): Promise<MerchantRow> {
  const [m] = await tx.select().from(merchants).where(eq(merchants.ownerId, actor.actorId)).for('update');
  if (!m) throw notFound('Shop');
  return m;
}

/** Until when the counter refuses pickup codes, or null while it takes them. */
export const pickupLockedUntil = (shop: MerchantRow, now: Date): Date | null =>
  shop.pickupCodeLockedUntil && shop.pickupCodeLockedUntil > now ? shop.pickupCodeLockedUntil : null;

/**
 * A wrong pickup code at the counter, on a row from `lockShopOf`. The last allowed one locks code
 * checks and tells the staff of every community the shop serves: someone at the counter may be
 * guessing residents' codes to walk off with their orders. The count starts again after a lock.
 */
export async function recordWrongPickupCode(
  tx: DbOrTx,
  actor: Actor,
  shop: MerchantRow,
  now: Date,
): Promise<{ left: number; lockedUntil: Date | null }> {
  const wrong = shop.pickupFailedAttempts + 1;
  if (wrong < MAX_WRONG_PICKUP_CODES) {
    await tx.update(merchants).set({ pickupFailedAttempts: wrong }).where(eq(merchants.id, shop.id));
    return { left: MAX_WRONG_PICKUP_CODES - wrong, lockedUntil: null };
  }
  const lockedUntil = new Date(now.getTime() + PICKUP_CODE_LOCK_MS);
  await tx
    .update(merchants)
    .set({ pickupFailedAttempts: 0, pickupCodeLockedUntil: lockedUntil })
    .where(eq(merchants.id, shop.id));
  await audit(
    tx,
    actor,
    'merchant.pickup_code_locked',
    { type: 'merchant', id: shop.id },
    { wrongCodes: wrong, lockedUntil: lockedUntil.toISOString() },
  );
  const staff = new Set<string>();
  for (const communityId of (await communitiesOf(tx, [shop.id])).get(shop.id) ?? [])
    for (const staffId of await staffOf(tx, communityId)) staff.add(staffId);
  for (const userId of staff)
    await notify(tx, {
      userId,
      kind: 'merchant.pickup_code_locked',
      title: '商家取货码核销已锁定',
      body: `「${shop.name}」连续 ${wrong} 次输错顾客取货码，柜台核销已暂停 ${PICKUP_CODE_LOCK_MS / 60_000} 分钟。如非店员误输，请留意是否有人冒领顾客的订单`,
      link: PAGES.staffMerchants,
      dedupeKey: `merchant.pickup_code_locked:${shop.id}:${lockedUntil.toISOString()}`,
    });
  return { left: 0, lockedUntil };
}

/** A hand-over at the counter: the wrong codes before it no longer count. */
export async function resetWrongPickupCodes(tx: DbOrTx, shop: MerchantRow): Promise<void> {
  if (shop.pickupFailedAttempts > 0)
    await tx.update(merchants).set({ pickupFailedAttempts: 0 }).where(eq(merchants.id, shop.id));
}

export async function myShop(db: Db, actor: Actor, now: Date): Promise<Merchant> {
  return toMerchant(db, await shopOf(db, actor), now);
}

async function requireCommunities(db: DbOrTx, ids: string[]) {
  const known = new Set(await existingCommunities(db, ids));
  const missing = ids.findIndex((id) => !known.has(id));
  if (missing >= 0) throw invalidField(`body.communityIds.${missing}`, 'no such community');
}

const columnsOf = (b: Partial<z.output<typeof ApplyMerchantBody>>) => ({
  ...(b.name !== undefined && { name: b.name }),
  ...(b.category !== undefined && { category: b.category }),
  ...(b.description !== undefined && { description: b.description }),
  ...(b.logoUrl !== undefined && { logoUrl: b.logoUrl }),
  ...(b.contactPhone !== undefined && { contactPhone: b.contactPhone }),
  ...(b.address !== undefined && { address: b.address }),
  ...(b.lat !== undefined && { lat: b.lat }),
  ...(b.lng !== undefined && { lng: b.lng }),
  ...(b.hours !== undefined && { hours: b.hours }),
  ...(b.minOrderFen !== undefined && { minOrderFen: b.minOrderFen }),
  ...(b.refundsOverdue !== undefined && { refundsOverdue: b.refundsOverdue }),
  ...(b.delivery !== undefined && {
    offersShopPickup: b.delivery.shopPickup,
    homeRadiusM: b.delivery.home?.radiusM ?? null,
    homeFeeFen: b.delivery.home?.feeFen ?? 0,
    offersLocker: b.delivery.locker,
  }),
});

/** Anyone may open a shop; it sells only after staff of a community it serves verify it. */
export async function applyMerchant(
  db: Db,
  actor: Actor,
  body: z.output<typeof ApplyMerchantBody>,
  now: Date,
): Promise<Merchant> {
  const communityIds = [...new Set(body.communityIds)];
  await requireCommunities(db, communityIds);
  return db.transaction(async (tx) => {
    const [m] = await tx
      .insert(merchants)
      .values({
        ownerId: actor.actorId,
        ...columnsOf(body),
        name: body.name,
        category: body.category,
        contactPhone: body.contactPhone,
        address: body.address,
        lat: body.lat,
        lng: body.lng,
        hours: body.hours,
      })
      .returning();
    await tx
      .insert(merchantCommunities)
      .values(communityIds.map((communityId) => ({ merchantId: m!.id, communityId })));
    await audit(tx, actor, 'merchant.applied', { type: 'merchant', id: m!.id }, { name: body.name });
    for (const communityId of communityIds)
      for (const staffId of await staffOf(tx, communityId))
        await notify(tx, {
          userId: staffId,
          kind: 'merchant.pending',
          title: '新的商家入驻申请',
          body: `「${body.name}」申请入驻，请核实资质后审核`,
          link: PAGES.staffMerchants,
          dedupeKey: `merchant.pending:${m!.id}`,
        });
    return toMerchant(tx, m!, now);
  });
}

/** The owner edits the profile, hours and delivery; pausing and resuming go through the flow. */
export async function updateMyShop(
  db: Db,
  actor: Actor,
  body: z.output<typeof UpdateMerchantBody>,
  now: Date,
): Promise<Merchant> {
  return db.transaction(async (tx) => {
    const shop = await shopOf(tx, actor);
    const { status, ...fields } = body;
    const set = columnsOf(fields);
    if (Object.keys(set).length > 0) await tx.update(merchants).set(set).where(eq(merchants.id, shop.id));
    if (status && status !== shop.status) {
      const event = status === 'paused' ? 'pause' : 'resume';
      const [moved] = await advance(
        tx,
        merchants,
        merchants.status,
        merchantFlow,
        event,
        eq(merchants.id, shop.id),
      );
      if (!moved)
        throw conflict(
          'MERCHANT_STATE',
          shop.status === 'pending'
            ? 'The shop has not been verified yet'
            : `A ${shop.status} shop cannot ${event}`,
        );
    }
    await audit(
      tx,
      actor,
      'merchant.updated',
      { type: 'merchant', id: shop.id },
      { fields: Object.keys(body) },
    );
    return toMerchant(tx, (await merchantRow(tx, shop.id))!, now);
  });
}

/** Staff of a community the shop serves verify it; the owner becomes a merchant. */
export async function verifyMerchant(db: Db, actor: Actor, id: string, now: Date): Promise<Merchant> {
  await requireAccess(db, actor, merchantVerify, id);
  return db.transaction(async (tx) => {
    const [m] = await advance(tx, merchants, merchants.status, merchantFlow, 'verify', eq(merchants.id, id), {
      verifiedBy: actor.actorId,
      verifiedAt: now,
    });
    if (!m) throw conflict('MERCHANT_ALREADY_VERIFIED', 'This shop has already been reviewed');
    await grantRole(tx, m.ownerId, 'merchant');
    await audit(tx, actor, 'merchant.verified', { type: 'merchant', id });
    await notify(tx, {
      userId: m.ownerId,
      kind: 'merchant.verified',
      title: '店铺审核已通过',
      body: `「${m.name}」已通过社区审核，可以上架商品开始营业了`,
      link: PAGES.merchantProducts,
      dedupeKey: `merchant.verified:${id}`,
    });
    return toMerchant(tx, m, now);
  });
}

/** Shops waiting for (or past) verification in the communities this staff member runs. */
export async function staffMerchants(db: Db, actor: Actor, status: MerchantRow['status'], now: Date) {
  const shops = await db
    .select()
    .from(merchants)
    .where(
      and(
        eq(merchants.status, status),
        inArray(
          merchants.id,
          db
            .select({ id: merchantCommunities.merchantId })
            .from(merchantCommunities)
            .where(inArray(merchantCommunities.communityId, staffCommunityIds(db, actor.actorId))),
        ),
      ),
    )
    .orderBy(asc(merchants.createdAt))
    .limit(200);
  const owners = await peopleByIds(
    db,
    shops.map((m) => m.ownerId),
  );
  const rows = shops.map((m) => ({
    m,
    ownerName: owners.get(m.ownerId)?.name ?? '',
    ownerPhone: owners.get(m.ownerId)?.phone ?? null,
  }));
  const items = [];
  for (const r of rows)
    items.push({
      ...(await toMerchant(db, r.m, now)),
      ownerName: r.ownerName,
      ownerPhoneMasked: maskPhone(r.ownerPhone) ?? '',
    });
  return { items };
}

export async function servesCommunity(db: DbOrTx, merchantId: string, communityId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: merchantCommunities.merchantId })
    .from(merchantCommunities)
    .where(
      and(eq(merchantCommunities.merchantId, merchantId), eq(merchantCommunities.communityId, communityId)),
    );
  return row !== undefined;
}

/** Ids of the shops a person owns (one at most), as a subquery for other modules' policies. */
export function shopsOwnedBy(db: DbOrTx, ownerId: string) {
  return db.select({ id: merchants.id }).from(merchants).where(eq(merchants.ownerId, ownerId));
}

/** Shops by id, for other modules' views (name, owner). */
export async function shopsByIds(db: DbOrTx, ids: string[]): Promise<Map<string, MerchantRow>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db.select().from(merchants).where(inArray(merchants.id, unique));
  return new Map(rows.map((m) => [m.id, m]));
}

/** Ids of the shops serving a community, as a subquery. */
export function shopsServing(db: DbOrTx, communityIds: string[] | ReturnType<typeof staffCommunityIds>) {
  return db
    .select({ id: merchantCommunities.merchantId })
    .from(merchantCommunities)
    .where(inArray(merchantCommunities.communityId, communityIds));
}

/** Ids of the shops listed in the catalog (open or paused), optionally only those serving a community. */
export function listedShops(db: DbOrTx, communityId?: string) {
  const listed = inArray(merchants.status, ['open', 'paused']);
  if (!communityId) return db.select({ id: merchants.id }).from(merchants).where(listed);
  return db
    .select({ id: merchants.id })
    .from(merchants)
    .innerJoin(merchantCommunities, eq(merchantCommunities.merchantId, merchants.id))
    .where(and(listed, eq(merchantCommunities.communityId, communityId)));
}

import { asc, eq, inArray, sql } from 'drizzle-orm';
import type {
  CareCatalog,
  CareCategory,
  CareItem,
  CareSettings,
  CreateCareItemBody,
  UpdateCareCategoryBody,
  UpdateCareItemBody,
  UpdateCareSettingsBody,
} from 'shared';
import type { z } from 'zod';
import type { Actor } from '../../access/actor';
import type { DbOrTx } from '../../db/client';
import type { AppDeps } from '../../deps';
import { AppError, describeConstraint, invalidField, notFound } from '../../http/errors';
import { audit } from '../audit';
import { staffCommunityIds } from '../places';
import { elderContext } from './elders';
import { careSettingsOf, meetsAge } from './settings';
import { careCategories, careItems, careSettings } from './tables';

describeConstraint('care_items_code_unique', 'CARE_ITEM_CODE_TAKEN', 'Another item already has this code');

type Deps = Pick<AppDeps, 'db' | 'clock'>;
type ItemRow = typeof careItems.$inferSelect;
type CategoryRow = typeof careCategories.$inferSelect;
type Eligibility = z.infer<typeof CareCatalog>['eligibility'];

/** A community id nobody has: careSettingsOf answers the programme's defaults for it. */
const NO_COMMUNITY = '00000000-0000-0000-0000-000000000000';

function itemView(r: ItemRow): CareItem {
  return {
    id: r.id,
    categoryId: r.categoryId,
    code: r.code,
    name: r.name,
    description: r.description,
    durationMin: r.durationMin,
    priceFen: r.priceFen,
    performer: r.performer,
    certification: r.certification,
    subsidised: r.subsidised,
    voucherPercent: r.voucherPercent,
    needsConfirmation: r.needsConfirmation,
    bufferBeforeMin: r.bufferBeforeMin,
    bufferAfterMin: r.bufferAfterMin,
    minNoticeMin: r.minNoticeMin,
    dailyCap: r.dailyCap,
    checklist: r.checklist,
    active: r.active,
  };
}

const categoryView = (c: CategoryRow) => ({ id: c.id, code: c.code, name: c.name, sort: c.sort });

/** Categories in their `sort` order, each with its items (only the active ones, unless staff ask). */
async function categoriesWithItems(db: DbOrTx, opts: { activeOnly: boolean }): Promise<CareCategory[]> {
  const [cats, items] = await Promise.all([
    db.select().from(careCategories).orderBy(asc(careCategories.sort), asc(careCategories.code)),
    db
      .select()
      .from(careItems)
      .where(opts.activeOnly ? eq(careItems.active, true) : undefined)
      .orderBy(asc(careItems.sort), asc(careItems.code)),
  ]);
  return cats.map((c) => ({
    ...categoryView(c),
    items: items.filter((i) => i.categoryId === c.id).map(itemView),
  }));
}

/**
 * Whether the subsidised list is open to an elder: their age (from the birth date) against the
 * minimum age of the community they live in. No birth date or no household: not eligible.
 */
export async function elderEligibility(db: DbOrTx, elderId: string, now: Date): Promise<Eligibility> {
  const ctx = await elderContext(db, elderId, now);
  if (!ctx) throw notFound();
  const { minAge } = await careSettingsOf(db, ctx.communityId ?? NO_COMMUNITY);
  return {
    eligible: ctx.communityId !== null && meetsAge(ctx.age, { minAge }),
    minAge,
    age: ctx.age,
  };
}

/**
 * The catalogue for the acting elder (a consented proxy sees the elder's): every active item,
 * subsidised ones too when the elder is under the age, marked not eligible (booking refuses them).
 */
export async function careCatalog(deps: Deps, actor: Actor): Promise<z.input<typeof CareCatalog>> {
  const [categories, eligibility] = await Promise.all([
    categoriesWithItems(deps.db, { activeOnly: true }),
    elderEligibility(deps.db, actor.userId, deps.clock.now()),
  ]);
  return { categories, eligibility };
}

/** The community a staff member's care settings apply to (the first they run, by id). */
async function staffCommunity(db: DbOrTx, actor: Actor): Promise<string> {
  const [first] = (await staffCommunityIds(db, actor.actorId)).map((r) => r.id).sort();
  if (!first) throw new AppError(404, 'STAFF_NO_COMMUNITY', 'You do not run a community');
  return first;
}

/** Staff see every item, inactive ones too; the eligibility is their community's rule, for no one. */
export async function staffCareCatalog(db: DbOrTx, actor: Actor): Promise<z.input<typeof CareCatalog>> {
  const [categories, communityId] = await Promise.all([
    categoriesWithItems(db, { activeOnly: false }),
    staffCommunity(db, actor).catch(() => NO_COMMUNITY),
  ]);
  const { minAge } = await careSettingsOf(db, communityId);
  return { categories, eligibility: { eligible: false, minAge, age: null } };
}

async function requireCategory(db: DbOrTx, id: string): Promise<void> {
  const [c] = await db
    .select({ id: careCategories.id })
    .from(careCategories)
    .where(eq(careCategories.id, id));
  if (!c) throw invalidField('body.categoryId', 'no such category');
}

/** Rules the schema cannot see: volunteers hold no certifications. */
function checkItem(item: { performer: ItemRow['performer']; certification: string | null }) {
  if (item.performer === 'volunteer' && item.certification !== null)
    throw invalidField('body.certification', 'a volunteer item needs no certification');
}

export async function createCareItem(
  deps: Deps,
  actor: Actor,
  body: z.output<typeof CreateCareItemBody>,
): Promise<CareItem> {
  await requireCategory(deps.db, body.categoryId);
  checkItem({ performer: body.performer, certification: body.certification ?? null });
  return deps.db.transaction(async (tx) => {
    const [last] = await tx
      .select({ sort: sql<number>`coalesce(max(${careItems.sort}), -1)::int` })
      .from(careItems)
      .where(eq(careItems.categoryId, body.categoryId));
    const [row] = await tx
      .insert(careItems)
      .values({ ...body, sort: (last?.sort ?? -1) + 1, updatedAt: deps.clock.now() })
      .returning();
    await audit(tx, actor, 'care.item.created', { type: 'care_item', id: row!.id }, { code: row!.code });
    return itemView(row!);
  });
}

/**
 * Edits an item. Bookings copy the item's name and price when they are made, so a new price
 * applies to the next booking and never to an existing one. The audit keeps what each field was.
 */
export async function updateCareItem(
  deps: Deps,
  actor: Actor,
  id: string,
  body: z.output<typeof UpdateCareItemBody>,
): Promise<CareItem> {
  if (body.categoryId !== undefined) await requireCategory(deps.db, body.categoryId);
  return deps.db.transaction(async (tx) => {
    const [before] = await tx.select().from(careItems).where(eq(careItems.id, id)).for('update');
    if (!before) throw notFound('Care item');
    checkItem({ performer: before.performer, certification: body.certification ?? before.certification });
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const [k, to] of Object.entries(body)) {
      const from = before[k as keyof ItemRow];
      if (JSON.stringify(from) !== JSON.stringify(to)) changes[k] = { from, to };
    }
    if (Object.keys(changes).length === 0) return itemView(before);
    const [row] = await tx
      .update(careItems)
      .set({ ...body, updatedAt: deps.clock.now() })
      .where(eq(careItems.id, id))
      .returning();
    await audit(tx, actor, 'care.item.updated', { type: 'care_item', id }, { changes });
    return itemView(row!);
  });
}

export async function updateCareCategory(
  deps: Deps,
  actor: Actor,
  id: string,
  body: z.output<typeof UpdateCareCategoryBody>,
) {
  return deps.db.transaction(async (tx) => {
    const [before] = await tx.select().from(careCategories).where(eq(careCategories.id, id)).for('update');
    if (!before) throw notFound('Care category');
    if (Object.keys(body).length === 0) return categoryView(before);
    const [row] = await tx.update(careCategories).set(body).where(eq(careCategories.id, id)).returning();
    await audit(
      tx,
      actor,
      'care.category.updated',
      { type: 'care_category', id },
      { from: { name: before.name, sort: before.sort }, to: body },
    );
    return categoryView(row!);
  });
}

const settingsView = (s: Awaited<ReturnType<typeof careSettingsOf>>): z.infer<typeof CareSettings> => ({
  communityId: s.communityId,
  minAge: s.minAge,
  monthlyVoucherFen: s.monthlyVoucherFen,
  voucherCapPercent: s.voucherCapPercent,
  freeCancelHours: s.freeCancelHours,
  confirmWithinMin: s.confirmWithinMin,
  payWithinMin: s.payWithinMin,
});

export async function staffCareSettings(db: DbOrTx, actor: Actor): Promise<z.infer<typeof CareSettings>> {
  return settingsView(await careSettingsOf(db, await staffCommunity(db, actor)));
}

/** The staff member's community's rules; a community never configured starts from the defaults. */
export async function updateCareSettings(
  deps: Deps,
  actor: Actor,
  body: z.output<typeof UpdateCareSettingsBody>,
): Promise<z.infer<typeof CareSettings>> {
  return deps.db.transaction(async (tx) => {
    const communityId = await staffCommunity(tx, actor);
    const before = await careSettingsOf(tx, communityId);
    const [row] = await tx
      .insert(careSettings)
      .values({ ...before, ...body, communityId })
      .onConflictDoUpdate({
        target: careSettings.communityId,
        set: Object.keys(body).length ? body : { communityId },
      })
      .returning();
    await audit(
      tx,
      actor,
      'care.settings.updated',
      { type: 'community', id: communityId },
      {
        from: settingsView(before),
        to: body,
      },
    );
    return settingsView(row!);
  });
}

/** Item rows by id, for the other care files (bookings copy name and price from them). */
export async function careItemsByIds(db: DbOrTx, ids: string[]): Promise<Map<string, ItemRow>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db.select().from(careItems).where(inArray(careItems.id, unique));
  return new Map(rows.map((r) => [r.id, r]));
}

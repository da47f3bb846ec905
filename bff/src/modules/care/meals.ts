import { and, asc, desc, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import {
  addDays,
  ageOn,
  localClock,
  MEAL_CUTOFF_LOCAL,
  MEAL_KIND_LABELS,
  MEAL_KINDS,
  MEAL_PRICE_FEN,
  MEAL_SKIP_MAX_DAYS,
  MEAL_UPCOMING_DAYS,
  type MealKind,
  type MealList,
  type MealPlan,
  type MealPlanView,
  mealCutoffAt,
  mealKey,
  mealVoucherShare,
  normalizeSchedule,
  planMakes,
  upcomingMeals,
} from 'shared';
import type { z } from 'zod';
import type { Actor } from '../../access/actor';
import type { Db, DbOrTx } from '../../db/client';
import type { AppDeps } from '../../deps';
import { badRequest, conflict, notFound } from '../../http/errors';
import { notDueYet } from '../../jobs/not-due-yet';
import { handles, type JobHandler } from '../../module';
import { audit } from '../audit';
import { compoundsByIds } from '../places';
import { elderContext, logElderRead } from './elders';
import { mealCutoffJob } from './meal-jobs';
import { careSettingsOf, meetsAge } from './settings';
import { careProviders, mealBookings, mealLists, mealPlans, mealSkips } from './tables';
import { spendVoucher } from './vouchers';

/**
 * 助餐: an elder's standing order with a meal provider (the elder canteen), skips until each
 * meal's cut-off, and the cut-off run that turns the plans into meal bookings (voucher applied)
 * and the canteen's list. Which meals a plan makes and when each closes is the pure logic in
 * shared/src/care/meals.ts.
 *
 * Skips, changes and stops race the cut-off run on the plan row: each of them locks it, and the
 * run locks every plan it reads, so either the skip lands before the run reads the plan or the
 * run's meal booking is there when the skip looks (and the skip is refused).
 */

type Deps = Pick<AppDeps, 'db' | 'clock' | 'config'>;
type PlanRow = typeof mealPlans.$inferSelect;
type View = z.input<typeof MealPlanView>;
type PlanView = z.input<typeof MealPlan>;

const elderLock = (tx: DbOrTx, elderId: string) =>
  tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`meal_plan:${elderId}`}))`);

/** The verified meal providers of a community: whom an elder there may subscribe with. */
async function mealProvidersOf(db: DbOrTx, communityId: string | null) {
  if (!communityId) return [];
  return db
    .select({ id: careProviders.id, name: careProviders.name })
    .from(careProviders)
    .where(
      and(
        eq(careProviders.communityId, communityId),
        eq(careProviders.servesMeals, true),
        eq(careProviders.status, 'verified'),
      ),
    )
    .orderBy(asc(careProviders.name));
}

async function activePlan(db: DbOrTx, elderId: string, lock = false): Promise<PlanRow | undefined> {
  const q = db
    .select()
    .from(mealPlans)
    .where(and(eq(mealPlans.elderId, elderId), eq(mealPlans.active, true)))
    .orderBy(desc(mealPlans.createdAt));
  const rows = lock ? await q.for('update') : await q;
  return rows[0];
}

/**
 * An elder's active plan with its next week of meals (the family dashboard shows it too), or
 * null when there is none.
 */
export async function mealPlanOf(
  db: DbOrTx,
  elderId: string,
  now: Date,
  tz: string,
): Promise<PlanView | null> {
  const plan = await activePlan(db, elderId);
  if (!plan) return null;
  const today = localClock(now, tz).date;
  const last = addDays(today, MEAL_UPCOMING_DAYS - 1);
  const [provider] = await db
    .select({ name: careProviders.name })
    .from(careProviders)
    .where(eq(careProviders.id, plan.providerId));
  const skips = await db
    .select({ date: mealSkips.date, meal: mealSkips.meal })
    .from(mealSkips)
    .where(and(eq(mealSkips.planId, plan.id), gte(mealSkips.date, today), lte(mealSkips.date, last)));
  const made = await db
    .select({ date: mealBookings.date, meal: mealBookings.meal })
    .from(mealBookings)
    .where(
      and(eq(mealBookings.planId, plan.id), gte(mealBookings.date, today), lte(mealBookings.date, last)),
    );
  const upcoming = upcomingMeals(plan, {
    today,
    now,
    tz,
    skipped: new Set(skips.map((s) => mealKey(s.date, s.meal))),
    made: new Set(made.map((m) => mealKey(m.date, m.meal))),
  });
  return {
    id: plan.id,
    providerId: plan.providerId,
    providerName: provider?.name ?? '',
    meals: plan.meals,
    mode: plan.mode,
    weekdays: plan.weekdays,
    dietaryNotes: plan.dietaryNotes,
    priceFen: plan.priceFen,
    active: plan.active,
    upcoming: upcoming.map((m) => ({ ...m, cutoffAt: m.cutoffAt.toISOString() })),
  };
}

async function viewOf(deps: Deps, db: DbOrTx, elderId: string): Promise<View> {
  const now = deps.clock.now();
  const ctx = await elderContext(db, elderId, now);
  if (!ctx) throw notFound();
  const providers = await mealProvidersOf(db, ctx.communityId);
  return {
    plan: await mealPlanOf(db, elderId, now, deps.config.TZ_DISPLAY),
    providers: providers.map((p) => ({ ...p, mealPriceFen: MEAL_PRICE_FEN })),
  };
}

/** The elder's plan and the canteens they may subscribe with (the elder = actor.userId). */
export async function mealPlanView(deps: Deps, actor: Actor): Promise<View> {
  return viewOf(deps, deps.db, actor.userId);
}

/**
 * Subscribes, or changes the plan. An elder eats from one canteen at a time: subscribing with
 * another provider stops the plan with the first (two lunches a day is never what was meant).
 * A change keeps the plan (and its skips) and takes effect from the next cut-off; meals already
 * made keep what they were made with.
 */
export async function saveMealPlan(
  deps: Deps,
  actor: Actor,
  body: {
    providerId: string;
    meals: MealKind[];
    mode: 'dine_in' | 'delivery';
    weekdays: number[];
    dietaryNotes: string;
  },
): Promise<View> {
  const elderId = actor.userId;
  const db: Db = deps.db;
  return db.transaction(async (tx) => {
    await elderLock(tx, elderId);
    const now = deps.clock.now();
    const ctx = await elderContext(tx, elderId, now);
    if (!ctx) throw notFound();
    if (!ctx.compoundId)
      throw badRequest('ELDER_HOUSEHOLD_MISSING', 'The elder has no verified household yet', [
        { path: 'body', message: 'meals are cooked for and delivered to a household; join one first' },
      ]);
    const providers = await mealProvidersOf(tx, ctx.communityId);
    if (!providers.some((p) => p.id === body.providerId))
      throw badRequest('VALIDATION_FAILED', 'Some fields are invalid', [
        { path: 'body.providerId', message: "not a verified meal provider of the elder's community" },
      ]);
    const schedule = normalizeSchedule(body);
    const current = await tx
      .select()
      .from(mealPlans)
      .where(and(eq(mealPlans.elderId, elderId), eq(mealPlans.active, true)))
      .for('update');
    for (const other of current.filter((p) => p.providerId !== body.providerId)) {
      await tx.update(mealPlans).set({ active: false }).where(eq(mealPlans.id, other.id));
      await audit(
        tx,
        actor,
        'care.meal_plan.stopped',
        { type: 'meal_plan', id: other.id },
        { reason: 'switched' },
      );
    }
    const same = current.find((p) => p.providerId === body.providerId);
    const values = {
      ...schedule,
      mode: body.mode,
      dietaryNotes: body.dietaryNotes,
      priceFen: MEAL_PRICE_FEN,
    };
    let planId: string;
    if (same) {
      await tx.update(mealPlans).set(values).where(eq(mealPlans.id, same.id));
      planId = same.id;
    } else {
      const [made] = await tx
        .insert(mealPlans)
        .values({ elderId, providerId: body.providerId, createdBy: actor.actorId, createdAt: now, ...values })
        .returning({ id: mealPlans.id });
      planId = made!.id;
    }
    await audit(
      tx,
      actor,
      same ? 'care.meal_plan.changed' : 'care.meal_plan.subscribed',
      { type: 'meal_plan', id: planId },
      { providerId: body.providerId, ...schedule, mode: body.mode },
    );
    return viewOf(deps, tx, elderId);
  });
}

/** Stops the plan from the next cut-off on; stopping when there is none changes nothing. */
export async function stopMealPlan(deps: Deps, actor: Actor): Promise<View> {
  const elderId = actor.userId;
  const db: Db = deps.db;
  return db.transaction(async (tx) => {
    await elderLock(tx, elderId);
    const stopped = await tx
      .update(mealPlans)
      .set({ active: false })
      .where(and(eq(mealPlans.elderId, elderId), eq(mealPlans.active, true)))
      .returning({ id: mealPlans.id });
    for (const p of stopped)
      await audit(tx, actor, 'care.meal_plan.stopped', { type: 'meal_plan', id: p.id });
    return viewOf(deps, tx, elderId);
  });
}

/**
 * Skips one meal of the plan, or takes the skip back, until that meal's cut-off. "Skip tomorrow"
 * is the client posting this for each of tomorrow's meals (`mealsOn`).
 */
export async function setMealSkip(
  deps: Deps,
  actor: Actor,
  body: { date: string; meal: MealKind },
  skip: boolean,
): Promise<View> {
  const elderId = actor.userId;
  const tz = deps.config.TZ_DISPLAY;
  const db: Db = deps.db;
  return db.transaction(async (tx) => {
    // The plan row is what the cut-off run locks: holding it, the run cannot slip in between.
    const plan = await activePlan(tx, elderId, true);
    if (!plan) throw notFound('Meal plan');
    if (!planMakes(plan, body.date, body.meal))
      throw badRequest('MEAL_NOT_PLANNED', 'The plan has no such meal on that day', [
        { path: 'body.date', message: `the plan makes no ${body.meal} on ${body.date}` },
      ]);
    const now = deps.clock.now();
    if (body.date > addDays(localClock(now, tz).date, MEAL_SKIP_MAX_DAYS))
      throw badRequest('MEAL_SKIP_TOO_FAR', 'Meals can be skipped up to 60 days ahead', [
        { path: 'body.date', message: `at most ${MEAL_SKIP_MAX_DAYS} days ahead` },
      ]);
    const [made] = await tx
      .select({ id: mealBookings.id })
      .from(mealBookings)
      .where(
        and(
          eq(mealBookings.planId, plan.id),
          eq(mealBookings.date, body.date),
          eq(mealBookings.meal, body.meal),
        ),
      );
    const cutoffAt = mealCutoffAt(body.date, body.meal, tz);
    if (made || now.getTime() >= cutoffAt.getTime())
      throw conflict(
        'MEAL_CUTOFF_PASSED',
        `The ${body.meal} of ${body.date} closed at ${MEAL_CUTOFF_LOCAL[body.meal]} and can no longer be changed`,
      );
    const changed = skip
      ? await tx
          .insert(mealSkips)
          .values({ planId: plan.id, date: body.date, meal: body.meal })
          .onConflictDoNothing()
          .returning({ planId: mealSkips.planId })
      : await tx
          .delete(mealSkips)
          .where(
            and(eq(mealSkips.planId, plan.id), eq(mealSkips.date, body.date), eq(mealSkips.meal, body.meal)),
          )
          .returning({ planId: mealSkips.planId });
    if (changed.length > 0)
      await audit(
        tx,
        actor,
        skip ? 'care.meal.skipped' : 'care.meal.unskipped',
        { type: 'meal_plan', id: plan.id },
        body,
      );
    return viewOf(deps, tx, elderId);
  });
}

/** The plans that make this meal of this provider: active, existing at the cut-off, not skipped. */
async function plansForMeal(
  tx: DbOrTx,
  providerId: string,
  date: string,
  meal: MealKind,
  cutoffAt: Date,
  lock: boolean,
) {
  const q = tx
    .select()
    .from(mealPlans)
    .where(
      and(
        eq(mealPlans.providerId, providerId),
        eq(mealPlans.active, true),
        lte(mealPlans.createdAt, cutoffAt),
      ),
    )
    .orderBy(asc(mealPlans.id));
  const rows = (lock ? await q.for('update') : await q).filter((p) => planMakes(p, date, meal));
  if (rows.length === 0) return [];
  const skipped = await tx
    .select({ planId: mealSkips.planId })
    .from(mealSkips)
    .where(
      and(
        inArray(
          mealSkips.planId,
          rows.map((p) => p.id),
        ),
        eq(mealSkips.date, date),
        eq(mealSkips.meal, meal),
      ),
    );
  const out = new Set(skipped.map((s) => s.planId));
  return rows.filter((p) => !out.has(p.id));
}

export interface MealCutoffResult {
  /** The cut-off has not come yet: nothing was made. */
  early: boolean;
  providers: number;
  /** Meal bookings this run made (a second run makes none). */
  made: number;
}

/**
 * One meal's cut-off: for every verified meal provider, in one transaction each, the meal
 * bookings of every plan that makes this meal (the voucher applied), then the provider's list.
 * Safe to run twice: a provider whose list is written is done, and a (plan, date, meal) has one
 * booking at most, so a concurrent second run waits for the first and adds nothing. It re-reads
 * the plans under lock, so a plan stopped or a meal skipped before the cut-off makes nothing.
 */
export async function runMealCutoff(
  deps: Pick<AppDeps, 'db' | 'clock' | 'config'>,
  date: string,
  meal: MealKind,
): Promise<MealCutoffResult> {
  const cutoffAt = mealCutoffAt(date, meal, deps.config.TZ_DISPLAY);
  if (deps.clock.now().getTime() < cutoffAt.getTime()) return { early: true, providers: 0, made: 0 };
  const db: Db = deps.db;
  const providers = await db
    .select({ id: careProviders.id, communityId: careProviders.communityId })
    .from(careProviders)
    .where(and(eq(careProviders.servesMeals, true), eq(careProviders.status, 'verified')));
  let made = 0;
  for (const provider of providers) {
    made += await db.transaction(async (tx) => {
      const plans = await plansForMeal(tx, provider.id, date, meal, cutoffAt, true);
      const [done] = await tx
        .select({ id: mealLists.id })
        .from(mealLists)
        .where(
          and(eq(mealLists.providerId, provider.id), eq(mealLists.date, date), eq(mealLists.meal, meal)),
        );
      if (done) return 0;
      let n = 0;
      for (const plan of plans) if (await makeMeal(tx, deps, plan, date, meal)) n += 1;
      const counts = await tx
        .select({ mode: mealBookings.mode, n: sql<number>`count(*)::int` })
        .from(mealBookings)
        .where(
          and(
            eq(mealBookings.providerId, provider.id),
            eq(mealBookings.date, date),
            eq(mealBookings.meal, meal),
          ),
        )
        .groupBy(mealBookings.mode);
      const count = (mode: string) => counts.find((c) => c.mode === mode)?.n ?? 0;
      await tx
        .insert(mealLists)
        .values({
          providerId: provider.id,
          date,
          meal,
          dineIn: count('dine_in'),
          delivered: count('delivery'),
        })
        .onConflictDoNothing();
      return n;
    });
  }
  return { early: false, providers: providers.length, made };
}

/**
 * One meal booking at the plan's price. An eligible elder's voucher pays the community's cap of
 * it when the balance holds that much; short of it, the meal is all self-pay.
 */
async function makeMeal(
  tx: DbOrTx,
  deps: Pick<AppDeps, 'clock'>,
  plan: PlanRow,
  date: string,
  meal: MealKind,
): Promise<boolean> {
  const ctx = await elderContext(tx, plan.elderId, deps.clock.now());
  // Moved out of every household since subscribing: there is nowhere to cook for.
  if (!ctx?.compoundId) return false;
  const [row] = await tx
    .insert(mealBookings)
    .values({
      planId: plan.id,
      elderId: plan.elderId,
      providerId: plan.providerId,
      date,
      meal,
      mode: plan.mode,
      compoundId: ctx.compoundId,
      priceFen: plan.priceFen,
      voucherFen: 0,
      selfPayFen: plan.priceFen,
    })
    .onConflictDoNothing()
    .returning({ id: mealBookings.id });
  if (!row) return false;
  if (ctx.communityId && ctx.birthDate) {
    const settings = await careSettingsOf(tx, ctx.communityId);
    const share = mealVoucherShare(plan.priceFen, {
      capPercent: settings.voucherCapPercent,
      eligible: meetsAge(ageOn(ctx.birthDate, date), settings),
    });
    if (
      share > 0 &&
      (await spendVoucher(tx, {
        elderId: plan.elderId,
        amountFen: share,
        month: date.slice(0, 7),
        mealBookingId: row.id,
      }))
    )
      await tx
        .update(mealBookings)
        .set({ voucherFen: share, selfPayFen: plan.priceFen - share })
        .where(eq(mealBookings.id, row.id));
  }
  return true;
}

/**
 * The canteen's list for one meal. Once the cut-off run has written it, the meals made; before
 * (or while the run is still due) what the plans would make, so the kitchen can plan ahead.
 * Delivery addresses are the elders' addresses read by the canteen: each is access-logged.
 */
export async function providerMealList(
  deps: Deps,
  actor: Actor,
  query: { date: string; meal: MealKind },
): Promise<z.input<typeof MealList>> {
  const db: Db = deps.db;
  const { date, meal } = query;
  const [provider] = await db
    .select({ id: careProviders.id })
    .from(careProviders)
    .where(eq(careProviders.ownerId, actor.actorId));
  if (!provider) throw notFound('Care provider');
  const now = deps.clock.now();
  const cutoffAt = mealCutoffAt(date, meal, deps.config.TZ_DISPLAY);
  return db.transaction(async (tx) => {
    const [list] = await tx
      .select()
      .from(mealLists)
      .where(and(eq(mealLists.providerId, provider.id), eq(mealLists.date, date), eq(mealLists.meal, meal)));
    const entries: { elderId: string; mode: string; compoundId: string | null; note: string }[] = list
      ? (
          await tx
            .select({
              elderId: mealBookings.elderId,
              mode: mealBookings.mode,
              compoundId: mealBookings.compoundId,
              note: mealPlans.dietaryNotes,
            })
            .from(mealBookings)
            .innerJoin(mealPlans, eq(mealPlans.id, mealBookings.planId))
            .where(
              and(
                eq(mealBookings.providerId, provider.id),
                eq(mealBookings.date, date),
                eq(mealBookings.meal, meal),
              ),
            )
        ).map((e) => ({ ...e }))
      : (await plansForMeal(tx, provider.id, date, meal, cutoffAt, false)).map((p) => ({
          elderId: p.elderId,
          mode: p.mode,
          compoundId: null,
          note: p.dietaryNotes,
        }));
    const people = [];
    for (const e of entries) {
      const ctx = await elderContext(tx, e.elderId, now);
      if (!ctx) continue;
      people.push({
        ...e,
        name: ctx.name,
        address: ctx.address,
        compoundId: e.compoundId ?? ctx.compoundId,
        note: e.note || ctx.profile?.dietaryNotes || '',
      });
    }
    const delivered = people.filter((p) => p.mode === 'delivery');
    const names = await compoundsByIds(
      tx,
      delivered.flatMap((p) => (p.compoundId ? [p.compoundId] : [])),
    );
    const groups = new Map<string, { elderName: string; address: string; dietaryNotes: string }[]>();
    for (const p of delivered) {
      const compoundName = (p.compoundId && names.get(p.compoundId)?.name) || '未登记小区';
      const items = groups.get(compoundName) ?? [];
      items.push({ elderName: p.name, address: p.address ?? '地址未登记', dietaryNotes: p.note });
      groups.set(compoundName, items);
    }
    for (const p of delivered)
      if (p.address)
        await logElderRead(tx, {
          elderId: p.elderId,
          readerId: actor.actorId,
          fields: ['address'],
          reason: `助餐配送 ${date} ${MEAL_KIND_LABELS[meal]}`,
        });
    const byAddress = (a: { address: string }, b: { address: string }) =>
      a.address.localeCompare(b.address, 'zh');
    return {
      date,
      meal,
      closed: now.getTime() >= cutoffAt.getTime(),
      dineIn: list?.dineIn ?? people.length - delivered.length,
      delivered: list?.delivered ?? delivered.length,
      byCompound: [...groups.entries()]
        .sort(([a], [b]) => a.localeCompare(b, 'zh'))
        .map(([compoundName, items]) => ({ compoundName, items: items.sort(byAddress) })),
      dietaryNotes: people
        .filter((p) => p.note.trim() !== '')
        .map((p) => ({ elderName: p.name, note: p.note }))
        .sort((a, b) => a.elderName.localeCompare(b.elderName, 'zh')),
    };
  });
}

/** Cron's day fields are all stars: plans choose their weekdays, the run skips the others. */
const cutoffCron = (meal: MealKind) => {
  const [hh, mm] = MEAL_CUTOFF_LOCAL[meal].split(':').map(Number);
  return `${mm} ${hh} * * *`;
};

export const mealSchedulerId = (meal: MealKind) => `meal-cutoff-${meal}`;

/**
 * Creates the meal cut-off schedulers (worker start-up): one per meal kind, with a fixed id, so
 * every boot upserts the same two.
 */
export async function startMealSchedulers(deps: Pick<AppDeps, 'queues' | 'config'>): Promise<void> {
  const q = deps.queues.get(mealCutoffJob.queue);
  for (const meal of MEAL_KINDS)
    await q.upsertJobScheduler(
      mealSchedulerId(meal),
      { pattern: cutoffCron(meal), tz: deps.config.TZ_DISPLAY },
      { name: mealCutoffJob.name, data: { meal } },
    );
}

export const mealJobs: JobHandler[] = [
  handles(mealCutoffJob, async (p, deps, job) => {
    const tz = deps.config.TZ_DISPLAY;
    // The local day the scheduler fired for (its run time), not the day the worker got to it:
    // a run delayed past midnight still makes the meals of the day it was due.
    const firedAt = job ? new Date(job.timestamp + (job.opts?.delay ?? 0)) : deps.clock.now();
    const date = p.date ?? localClock(firedAt, tz).date;
    const cutoffAt = mealCutoffAt(date, p.meal, tz);
    const early = await deps.db.transaction((tx) =>
      notDueYet(tx, deps, cutoffAt, { job: mealCutoffJob, payload: { meal: p.meal, date } }),
    );
    if (early) return { early: true, providers: 0, made: 0 };
    return runMealCutoff(deps, date, p.meal);
  }),
];

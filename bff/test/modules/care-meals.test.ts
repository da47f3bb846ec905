import { and, eq, inArray } from 'drizzle-orm';
import { addDays, localClock, type MealKind, mealsOn, zonedInstant } from 'shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  careProviders,
  careSettings,
  elderAccessLog,
  elderProfiles,
  mealBookings,
  mealLists,
  mealPlans,
  outbox,
  userRoles,
  users,
  voucherBalances,
  voucherLedger,
} from '../../src/db/schema';
import { careModule } from '../../src/modules/care';
import { elderContext } from '../../src/modules/care/elders';
import { runMealCutoff, startMealSchedulers } from '../../src/modules/care/meals';
import { grantMonthly } from '../../src/modules/care/vouchers';
import {
  auditRows,
  bearer,
  demoCommunityId,
  demoHouseholdTree,
  freshPhone,
  PHONES,
  TEST_ENV,
} from '../fixtures/people';
import { setupTestApp, type TestApp } from '../helper';

type Who = { authorization: string; userId: string };
const TZ = 'Asia/Shanghai';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let t: TestApp;
let communityId: string;
let homes: { id: string; address: string }[];
let elder: Who; // 刘奶奶, 1940, household 1
let proxy: Who; // 刘晓明, her consented family proxy
let staff: Who;

/** The Monday of test week n (2030-01-07 is a Monday): every test has a week of its own. */
const monday = (n: number) => addDays('2030-01-07', 7 * n);
const at = (date: string, hhmm: string) => zonedInstant(date, hhmm, TZ);

beforeAll(async () => {
  t = await setupTestApp(TEST_ENV);
  communityId = await demoCommunityId(t);
  staff = await t.login(PHONES.staff);
  elder = await t.login(PHONES.elder);
  proxy = await t.login(PHONES.familyProxy);
  homes = await demoHouseholdTree(t, staff);
  // Pin the programme's rules (the seed may have written its own).
  await t.deps.db
    .insert(careSettings)
    .values({ communityId, minAge: 80, voucherCapPercent: 50 })
    .onConflictDoUpdate({ target: careSettings.communityId, set: { minAge: 80, voucherCapPercent: 50 } });
});
afterAll(() => t?.close());

let providerCount = 0;
/** A meal provider of the demo community run by a new `provider` user. */
async function makeMealProvider(opts: { status?: 'verified' | 'pending'; servesMeals?: boolean } = {}) {
  const owner = await t.login(freshPhone());
  await t.deps.db.insert(userRoles).values({ userId: owner.userId, role: 'provider' });
  providerCount += 1;
  const [p] = await t.deps.db
    .insert(careProviders)
    .values({
      ownerId: owner.userId,
      communityId,
      name: `测试食堂${providerCount}`,
      licenseNo: `JY${1000 + providerCount}`,
      contactPhone: '02888880000',
      servesMeals: opts.servesMeals ?? true,
      status: opts.status ?? 'verified',
    })
    .returning();
  return { owner, id: p!.id, name: p!.name };
}

let elderCount = 0;
/** A new elder living in a demo household (`home` indexes the tree), born on `birthDate`. */
async function makeElder(opts: { home: number; birthDate?: string; dietaryNotes?: string; name?: string }) {
  const who = await t.login(freshPhone());
  elderCount += 1;
  await t.deps.db
    .update(users)
    .set({ birthDate: opts.birthDate ?? '1944-05-01', name: opts.name ?? `长者${elderCount}` })
    .where(eq(users.id, who.userId));
  await t.deps.db.insert(elderProfiles).values({
    userId: who.userId,
    householdId: homes[opts.home % homes.length]!.id,
    dietaryNotes: opts.dietaryNotes ?? '',
  });
  return who;
}

const plan = (who: Who, headers: Record<string, string> = bearer(who)) =>
  t.call({ method: 'GET', url: '/v1/care/meal-plan', headers });
const save = (
  headers: Record<string, string>,
  body: {
    providerId: string;
    meals: MealKind[];
    mode: 'dine_in' | 'delivery';
    weekdays: number[];
    dietaryNotes?: string;
  },
) => t.call({ method: 'PUT', url: '/v1/care/meal-plan', headers, payload: body });
const skip = (headers: Record<string, string>, date: string, meal: MealKind, undo = false) =>
  t.call({
    method: 'POST',
    url: `/v1/care/meal-plan/${undo ? 'unskips' : 'skips'}`,
    headers,
    payload: { date, meal },
  });
const stop = (headers: Record<string, string>) =>
  t.call({ method: 'DELETE', url: '/v1/care/meal-plan', headers });
const mealList = (owner: Who, date: string, meal: MealKind) =>
  t.call({ method: 'GET', url: `/v1/provider/meal-list?date=${date}&meal=${meal}`, headers: bearer(owner) });
const forElder = (who: Who, elderId = elder.userId) => ({ ...bearer(who), 'x-on-behalf-of': elderId });

async function subscribe(
  who: Who,
  providerId: string,
  meals: MealKind[],
  mode: 'dine_in' | 'delivery',
  weekdays: number[],
  dietaryNotes = '',
) {
  const res = await save(bearer(who), { providerId, meals, mode, weekdays, dietaryNotes });
  expect(res.status).toBe(200);
  return res.body.plan.id as string;
}

const bookingsOf = (providerId: string, date: string, meal?: MealKind) =>
  t.deps.db
    .select()
    .from(mealBookings)
    .where(
      and(
        eq(mealBookings.providerId, providerId),
        eq(mealBookings.date, date),
        meal ? eq(mealBookings.meal, meal) : undefined,
      ),
    );
const listsOf = (providerId: string, date: string) =>
  t.deps.db
    .select()
    .from(mealLists)
    .where(and(eq(mealLists.providerId, providerId), eq(mealLists.date, date)));
const balanceOf = async (elderId: string) =>
  (await t.deps.db.select().from(voucherBalances).where(eq(voucherBalances.elderId, elderId)))[0]
    ?.balanceFen ?? 0;
const ledgerOf = (elderId: string) =>
  t.deps.db.select().from(voucherLedger).where(eq(voucherLedger.elderId, elderId));

describe('subscribing', () => {
  it('lists the verified meal providers of the community; the consented proxy subscribes for the elder', async () => {
    const wk = monday(0);
    t.clock.set(at(wk, '08:00'));
    const canteen = await makeMealProvider();
    const pending = await makeMealProvider({ status: 'pending' });
    const noMeals = await makeMealProvider({ servesMeals: false });

    const before = await plan(elder);
    expect(before.status).toBe(200);
    expect(before.body.plan).toBeNull();
    expect(before.body.providers).toContainEqual({ id: canteen.id, name: canteen.name, mealPriceFen: 1200 });
    const ids = before.body.providers.map((p: { id: string }) => p.id);
    expect(ids).not.toContain(pending.id);
    expect(ids).not.toContain(noMeals.id);

    const made = await save(forElder(proxy), {
      providerId: canteen.id,
      meals: ['dinner', 'lunch'],
      mode: 'delivery',
      weekdays: [5, 1, 2, 1],
      dietaryNotes: '少盐，软烂',
    });
    expect(made.status).toBe(200);
    expect(made.body.plan).toMatchObject({
      providerId: canteen.id,
      providerName: canteen.name,
      meals: ['lunch', 'dinner'],
      mode: 'delivery',
      weekdays: [1, 2, 5],
      dietaryNotes: '少盐，软烂',
      priceFen: 1200,
      active: true,
    });
    // Monday 08:00: the next seven days are Mon, Tue and Fri, both meals, all still open.
    expect(made.body.plan.upcoming).toEqual([
      { date: wk, meal: 'lunch', cutoffAt: '2030-01-07T01:00:00.000Z', skipped: false, open: true },
      { date: wk, meal: 'dinner', cutoffAt: '2030-01-07T06:00:00.000Z', skipped: false, open: true },
      {
        date: addDays(wk, 1),
        meal: 'lunch',
        cutoffAt: '2030-01-08T01:00:00.000Z',
        skipped: false,
        open: true,
      },
      {
        date: addDays(wk, 1),
        meal: 'dinner',
        cutoffAt: '2030-01-08T06:00:00.000Z',
        skipped: false,
        open: true,
      },
      {
        date: addDays(wk, 4),
        meal: 'lunch',
        cutoffAt: '2030-01-11T01:00:00.000Z',
        skipped: false,
        open: true,
      },
      {
        date: addDays(wk, 4),
        meal: 'dinner',
        cutoffAt: '2030-01-11T06:00:00.000Z',
        skipped: false,
        open: true,
      },
    ]);
    const [row] = await t.deps.db.select().from(mealPlans).where(eq(mealPlans.id, made.body.plan.id));
    expect(row).toMatchObject({ elderId: elder.userId, createdBy: proxy.userId, active: true });
    expect(await auditRows(t, 'care.meal_plan.subscribed', made.body.plan.id)).toEqual([
      expect.objectContaining({ actorId: proxy.userId, onBehalfOf: elder.userId }),
    ]);
    // The elder sees the same plan; the proxy without the header has none of their own.
    expect((await plan(elder)).body.plan.id).toBe(made.body.plan.id);
    expect((await plan(proxy)).body.plan).toBeNull();

    // A change keeps the plan (and its id); one active plan per elder and provider.
    const changed = await save(forElder(proxy), {
      providerId: canteen.id,
      meals: ['lunch'],
      mode: 'dine_in',
      weekdays: [1, 2, 5],
      dietaryNotes: '少盐，软烂',
    });
    expect(changed.status).toBe(200);
    expect(changed.body.plan).toMatchObject({ id: made.body.plan.id, meals: ['lunch'], mode: 'dine_in' });
    expect(changed.body.plan.upcoming.map((m: { meal: string }) => m.meal)).toEqual([
      'lunch',
      'lunch',
      'lunch',
    ]);
    const active = await t.deps.db
      .select()
      .from(mealPlans)
      .where(and(eq(mealPlans.elderId, elder.userId), eq(mealPlans.active, true)));
    expect(active.map((p) => p.id)).toEqual([made.body.plan.id]);

    // Stopping ends it; stopping again changes nothing.
    const stopped = await stop(forElder(proxy));
    expect(stopped.status).toBe(200);
    expect(stopped.body.plan).toBeNull();
    expect((await stop(bearer(elder))).status).toBe(200);
    expect(await auditRows(t, 'care.meal_plan.stopped', made.body.plan.id)).toHaveLength(1);
    const [after] = await t.deps.db.select().from(mealPlans).where(eq(mealPlans.id, made.body.plan.id));
    expect(after!.active).toBe(false);
  });

  it('subscribing with another canteen stops the first plan', async () => {
    t.clock.set(at(monday(1), '08:00'));
    const [a, b] = [await makeMealProvider(), await makeMealProvider()];
    const e = await makeElder({ home: 7 });
    const first = await subscribe(e, a.id, ['lunch'], 'dine_in', [1, 2, 3]);
    const second = await save(bearer(e), {
      providerId: b.id,
      meals: ['dinner'],
      mode: 'delivery',
      weekdays: [4],
    });
    expect(second.status).toBe(200);
    expect(second.body.plan).toMatchObject({ providerId: b.id, meals: ['dinner'] });
    expect(second.body.plan.id).not.toBe(first);
    const rows = await t.deps.db.select().from(mealPlans).where(eq(mealPlans.elderId, e.userId));
    expect(rows.filter((r) => r.active).map((r) => r.providerId)).toEqual([b.id]);
  });

  it('refuses bad plans with field-level details', async () => {
    t.clock.set(at(monday(1), '08:00'));
    const canteen = await makeMealProvider();
    const pending = await makeMealProvider({ status: 'pending' });
    const e = await makeElder({ home: 8 });
    const bad = async (body: Record<string, unknown>, path: string, code = 'VALIDATION_FAILED') => {
      const res = await t.call({
        method: 'PUT',
        url: '/v1/care/meal-plan',
        headers: bearer(e),
        payload: { providerId: canteen.id, meals: ['lunch'], mode: 'dine_in', weekdays: [1], ...body },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe(code);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    };
    await bad({ weekdays: [0] }, 'body.weekdays.0');
    await bad({ weekdays: [8] }, 'body.weekdays.0');
    await bad({ weekdays: [] }, 'body.weekdays');
    await bad({ meals: [] }, 'body.meals');
    await bad({ meals: ['breakfast'] }, 'body.meals.0');
    await bad({ mode: 'takeaway' }, 'body.mode');
    await bad({ providerId: pending.id }, 'body.providerId');
    // An elder with no household has nowhere for meals to go.
    const homeless = await t.login(freshPhone());
    const res = await save(bearer(homeless), {
      providerId: canteen.id,
      meals: ['lunch'],
      mode: 'dine_in',
      weekdays: [1],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('ELDER_HOUSEHOLD_MISSING');
    expect(await t.deps.db.select().from(mealPlans).where(eq(mealPlans.elderId, e.userId))).toEqual([]);
  });
});

describe('skipping', () => {
  it('skip and un-skip until the cut-off, 409 MEAL_CUTOFF_PASSED from it on', async () => {
    const wk = monday(2);
    t.clock.set(at(wk, '08:00'));
    const canteen = await makeMealProvider();
    const e = await makeElder({ home: 9 });
    const planId = await subscribe(e, canteen.id, ['lunch', 'dinner'], 'delivery', [1, 2, 3, 4, 5]);

    const skipped = await skip(bearer(e), wk, 'lunch');
    expect(skipped.status).toBe(200);
    expect(skipped.body.plan.upcoming[0]).toEqual({
      date: wk,
      meal: 'lunch',
      cutoffAt: at(wk, '09:00').toISOString(),
      skipped: true,
      open: true,
    });
    // Skipping twice is the same skip.
    expect((await skip(bearer(e), wk, 'lunch')).status).toBe(200);
    expect(await auditRows(t, 'care.meal.skipped', planId)).toHaveLength(1);
    const undone = await skip(bearer(e), wk, 'lunch', true);
    expect(undone.status).toBe(200);
    expect(undone.body.plan.upcoming[0]).toMatchObject({ meal: 'lunch', skipped: false });
    expect((await skip(bearer(e), wk, 'lunch')).status).toBe(200);

    // Just before the cut-off it is still open (the test clock runs on, so a few seconds); at it, closed.
    t.clock.set(new Date(at(wk, '09:00').getTime() - 3000));
    expect((await skip(bearer(e), wk, 'lunch', true)).status).toBe(200);
    t.clock.set(at(wk, '09:00'));
    for (const undo of [false, true]) {
      const late = await skip(bearer(e), wk, 'lunch', undo);
      expect(late.status).toBe(409);
      expect(late.body.error.code).toBe('MEAL_CUTOFF_PASSED');
    }
    // Dinner of the same day closes at 14:00.
    expect((await skip(bearer(e), wk, 'dinner')).status).toBe(200);
    t.clock.set(at(wk, '14:00'));
    expect((await skip(bearer(e), wk, 'dinner', true)).body.error.code).toBe('MEAL_CUTOFF_PASSED');
    // Past days are closed as well.
    expect((await skip(bearer(e), addDays(wk, -3), 'lunch')).status).toBe(409);
  });

  it('a day or meal the plan does not make is a 400; no plan is a 404', async () => {
    const wk = monday(3);
    t.clock.set(at(wk, '08:00'));
    const canteen = await makeMealProvider();
    const e = await makeElder({ home: 10 });
    await subscribe(e, canteen.id, ['lunch'], 'dine_in', [1, 3]);
    for (const [date, meal] of [
      [addDays(wk, 1), 'lunch'], // Tuesday is not in the plan
      [wk, 'dinner'], // no dinners
      [addDays(wk, 5), 'lunch'], // Saturday
    ] as const) {
      const res = await skip(bearer(e), date, meal);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('MEAL_NOT_PLANNED');
      expect(res.body.error.details[0].path).toBe('body.date');
    }
    const far = await skip(bearer(e), addDays(wk, 63), 'lunch');
    expect(far.status).toBe(400);
    expect(far.body.error.code).toBe('MEAL_SKIP_TOO_FAR');
    const bad = await t.call({
      method: 'POST',
      url: '/v1/care/meal-plan/skips',
      headers: bearer(e),
      payload: { date: '2030-02-30', meal: 'lunch' },
    });
    expect(bad.status).toBe(400);
    const nobody = await t.login(freshPhone());
    const none = await skip(bearer(nobody), wk, 'lunch');
    expect(none.status).toBe(404);
  });

  it('one tap skips tomorrow: both meals at once, and the cut-offs then make neither', async () => {
    const wk = monday(4);
    t.clock.set(at(wk, '20:00'));
    const canteen = await makeMealProvider();
    const e = await makeElder({ home: 11 });
    const other = await makeElder({ home: 12 });
    await subscribe(e, canteen.id, ['lunch', 'dinner'], 'delivery', [1, 2, 3, 4, 5]);
    await subscribe(other, canteen.id, ['lunch', 'dinner'], 'delivery', [1, 2, 3, 4, 5]);

    const view = (await plan(e)).body.plan;
    const tomorrow = addDays(localClock(t.clock.now(), TZ).date, 1);
    const meals = mealsOn(view, tomorrow);
    expect(meals).toEqual(['lunch', 'dinner']);
    // The button posts both skips together.
    const taps = await Promise.all(meals.map((m) => skip(bearer(e), tomorrow, m)));
    expect(taps.map((r) => r.status)).toEqual([200, 200]);
    const after = (await plan(e)).body.plan.upcoming.filter((m: { date: string }) => m.date === tomorrow);
    expect(after).toEqual([
      expect.objectContaining({ meal: 'lunch', skipped: true, open: true }),
      expect.objectContaining({ meal: 'dinner', skipped: true, open: true }),
    ]);

    t.clock.set(at(tomorrow, '14:05'));
    await runMealCutoff(t.deps, tomorrow, 'lunch');
    await runMealCutoff(t.deps, tomorrow, 'dinner');
    const made = await bookingsOf(canteen.id, tomorrow);
    expect(made.map((b) => `${b.elderId}:${b.meal}`).sort()).toEqual(
      [`${other.userId}:dinner`, `${other.userId}:lunch`].sort(),
    );
  });
});

describe('the cut-off run', () => {
  it('makes exactly the right meal bookings and lists, with the voucher, once however often it runs', async () => {
    const wk = monday(5);
    const tue = addDays(wk, 1);
    t.clock.set(at(wk, '07:00'));
    const canteen = await makeMealProvider();
    const rival = await makeMealProvider();
    // Eligible (86), delivered lunch and dinner, 1000 fen of vouchers: lunch takes 600, dinner finds
    // 400 and is all self-pay.
    const e1 = await makeElder({ home: 13, birthDate: '1944-01-01', dietaryNotes: '' });
    await subscribe(e1, canteen.id, ['lunch', 'dinner'], 'delivery', [1, 2, 5], '少盐');
    await grantMonthly(t.deps.db, e1.userId, '2030-02', 1000);
    // 70 years old: not eligible, all self-pay although the balance is there.
    const e2 = await makeElder({ home: 14, birthDate: '1960-01-01', dietaryNotes: '糖尿病，少糖' });
    await subscribe(e2, canteen.id, ['lunch'], 'dine_in', [1]);
    await grantMonthly(t.deps.db, e2.userId, '2030-02', 5000);
    // Skipped Monday's lunch.
    const e3 = await makeElder({ home: 15 });
    await subscribe(e3, canteen.id, ['lunch'], 'delivery', [1, 2]);
    expect((await skip(bearer(e3), wk, 'lunch')).status).toBe(200);
    // Stopped before the cut-off.
    const e4 = await makeElder({ home: 16 });
    await subscribe(e4, canteen.id, ['lunch'], 'delivery', [1]);
    expect((await stop(bearer(e4))).status).toBe(200);
    // Tuesdays only.
    const e5 = await makeElder({ home: 17 });
    await subscribe(e5, canteen.id, ['lunch'], 'delivery', [2]);
    // Dinners only, dine-in.
    const e6 = await makeElder({ home: 18 });
    await subscribe(e6, canteen.id, ['dinner'], 'dine_in', [1]);
    // The other canteen's elder.
    const e7 = await makeElder({ home: 19 });
    await subscribe(e7, rival.id, ['lunch'], 'delivery', [1]);

    // Before the cut-off nothing is made.
    expect(await runMealCutoff(t.deps, wk, 'lunch')).toMatchObject({ early: true, made: 0 });
    expect(await bookingsOf(canteen.id, wk)).toEqual([]);

    t.clock.set(at(wk, '09:30'));
    // Subscribed after this lunch closed: not on the list, and not shown as coming.
    const e8 = await makeElder({ home: 20 });
    await subscribe(e8, canteen.id, ['lunch'], 'delivery', [1, 2]);
    expect((await plan(e8)).body.plan.upcoming[0]).toMatchObject({ date: tue, meal: 'lunch' });

    const first = await runMealCutoff(t.deps, wk, 'lunch');
    expect(first.early).toBe(false);
    const lunch = await bookingsOf(canteen.id, wk, 'lunch');
    expect(lunch.map((b) => b.elderId).sort()).toEqual([e1.userId, e2.userId].sort());
    const b1 = lunch.find((b) => b.elderId === e1.userId)!;
    const b2 = lunch.find((b) => b.elderId === e2.userId)!;
    expect(b1).toMatchObject({ mode: 'delivery', priceFen: 1200, voucherFen: 600, selfPayFen: 600 });
    expect(b2).toMatchObject({ mode: 'dine_in', priceFen: 1200, voucherFen: 0, selfPayFen: 1200 });
    expect(await listsOf(canteen.id, wk)).toEqual([
      expect.objectContaining({ meal: 'lunch', dineIn: 1, delivered: 1 }),
    ]);
    expect((await bookingsOf(rival.id, wk, 'lunch')).map((b) => b.elderId)).toEqual([e7.userId]);
    expect(await listsOf(rival.id, wk)).toEqual([expect.objectContaining({ dineIn: 0, delivered: 1 })]);
    // The voucher: one spend line for the meal, the balance left.
    expect(await balanceOf(e1.userId)).toBe(400);
    expect((await ledgerOf(e1.userId)).filter((l) => l.kind === 'spend')).toEqual([
      expect.objectContaining({ amountFen: -600, mealBookingId: b1.id, month: '2030-02' }),
    ]);
    expect(await balanceOf(e2.userId)).toBe(5000);
    // The plan view shows the lunch as made and closed.
    expect((await plan(e1)).body.plan.upcoming[0]).toMatchObject({ date: wk, meal: 'lunch', open: false });

    // Run it again, and twice at once: the same rows, no second spend.
    const again = await Promise.all([runMealCutoff(t.deps, wk, 'lunch'), runMealCutoff(t.deps, wk, 'lunch')]);
    expect(again.map((r) => r.made)).toEqual([0, 0]);
    expect((await bookingsOf(canteen.id, wk, 'lunch')).map((b) => b.id).sort()).toEqual(
      [b1.id, b2.id].sort(),
    );
    expect(await listsOf(canteen.id, wk)).toHaveLength(1);
    expect(await balanceOf(e1.userId)).toBe(400);
    expect((await ledgerOf(e1.userId)).filter((l) => l.kind === 'spend')).toHaveLength(1);

    // Dinner: e1 is short (400 < 600), so it is all self-pay.
    t.clock.set(at(wk, '14:00'));
    const dinners = await Promise.all([
      runMealCutoff(t.deps, wk, 'dinner'),
      runMealCutoff(t.deps, wk, 'dinner'),
    ]);
    expect(dinners.every((r) => !r.early)).toBe(true);
    const dinner = await bookingsOf(canteen.id, wk, 'dinner');
    expect(dinner.map((b) => b.elderId).sort()).toEqual([e1.userId, e6.userId].sort());
    expect(dinner.find((b) => b.elderId === e1.userId)).toMatchObject({ voucherFen: 0, selfPayFen: 1200 });
    expect(await balanceOf(e1.userId)).toBe(400);
    expect((await listsOf(canteen.id, wk)).find((l) => l.meal === 'dinner')).toMatchObject({
      dineIn: 1,
      delivered: 1,
    });
    for (const b of [...lunch, ...dinner]) expect(b.voucherFen + b.selfPayFen).toBe(b.priceFen);
  });

  it('two cut-offs at once never take the balance below zero', async () => {
    const wk = monday(6);
    t.clock.set(at(wk, '07:00'));
    const canteen = await makeMealProvider();
    const e = await makeElder({ home: 21, birthDate: '1938-06-01' });
    await subscribe(e, canteen.id, ['lunch', 'dinner'], 'delivery', [1]);
    await grantMonthly(t.deps.db, e.userId, '2030-02', 600);
    // The worker was down all day: both cut-offs run together in the evening.
    t.clock.set(at(wk, '19:00'));
    await Promise.all([runMealCutoff(t.deps, wk, 'lunch'), runMealCutoff(t.deps, wk, 'dinner')]);
    const made = await bookingsOf(canteen.id, wk);
    expect(made).toHaveLength(2);
    expect(made.map((b) => b.voucherFen).sort()).toEqual([0, 600]);
    expect(await balanceOf(e.userId)).toBe(0);
    const spends = (await ledgerOf(e.userId)).filter((l) => l.kind === 'spend');
    expect(spends).toHaveLength(1);
  });

  it('skips racing the run (a worker clock a little ahead): each meal is either skipped or made, never both', async () => {
    const wk = monday(10);
    t.clock.set(at(wk, '08:00'));
    const canteen = await makeMealProvider();
    const elders: Who[] = [];
    for (let i = 0; i < 16; i++) {
      const e = await makeElder({ home: 29 + i });
      await subscribe(e, canteen.id, ['lunch'], i % 2 ? 'dine_in' : 'delivery', [1]);
      elders.push(e);
    }
    // The HTTP side still sees 08:59:5x; the worker's clock has reached 09:00.
    t.clock.set(new Date(at(wk, '09:00').getTime() - 5000));
    const worker = { ...t.deps, clock: { now: () => new Date(at(wk, '09:00').getTime() + 1) } };
    const [run, ...skips] = await Promise.all([
      runMealCutoff(worker, wk, 'lunch'),
      // Spread over the run's time, so some land before it reaches this canteen and some after.
      ...elders.map((e, i) => sleep(i * 20).then(() => skip(bearer(e), wk, 'lunch'))),
    ]);
    expect(run.early).toBe(false);
    const made = new Set((await bookingsOf(canteen.id, wk, 'lunch')).map((b) => b.elderId));
    elders.forEach((e, i) => {
      const status = skips[i]!.status;
      expect([200, 409]).toContain(status);
      if (status === 200) expect(made.has(e.userId)).toBe(false);
      else {
        expect(skips[i]!.body.error.code).toBe('MEAL_CUTOFF_PASSED');
        expect(made.has(e.userId)).toBe(true);
      }
    });
    const [list] = await listsOf(canteen.id, wk);
    expect(list!.dineIn + list!.delivered).toBe(made.size);
  });

  it('the job: fires for the day it was due, and an early run queues itself again', async () => {
    const wk = monday(7);
    t.clock.set(at(wk, '07:00'));
    const canteen = await makeMealProvider();
    const e = await makeElder({ home: 22 });
    await subscribe(e, canteen.id, ['lunch'], 'dine_in', [1]);
    const handler = careModule.jobs!.find((j) => j.job.name === 'care.mealCutoff')!;
    expect(handler.job.queue).toBe('care');
    const fired = (when: Date) => ({ timestamp: when.getTime() - 5000, opts: { delay: 5000 } }) as never;

    // A minute early (two machines' clocks): nothing made, the job is queued again for the rest.
    t.clock.set(at(wk, '08:59'));
    expect(await handler.handle({ meal: 'lunch' }, t.deps, fired(at(wk, '09:00')))).toMatchObject({
      early: true,
    });
    expect(await bookingsOf(canteen.id, wk)).toEqual([]);
    const queued = (await t.deps.db.select().from(outbox).where(eq(outbox.jobName, 'care.mealCutoff'))).find(
      (r) => (r.payload as { date?: string }).date === wk,
    );
    expect(queued).toMatchObject({ queue: 'care', payload: { meal: 'lunch', date: wk } });
    expect(queued!.delayMs).toBeGreaterThan(55_000);
    expect(queued!.delayMs).toBeLessThanOrEqual(60_000);

    // Run late, after midnight: it still makes the meals of the day it was due.
    t.clock.set(at(addDays(wk, 1), '01:00'));
    const late = await handler.handle({ meal: 'lunch' }, t.deps, fired(at(wk, '09:00')));
    expect(late).toMatchObject({ early: false });
    expect((await bookingsOf(canteen.id, wk)).map((b) => b.elderId)).toEqual([e.userId]);
  });

  it('one job scheduler per meal kind however often the worker starts', async () => {
    const q = t.deps.queues.get('care');
    await startMealSchedulers(t.deps);
    await startMealSchedulers(t.deps);
    const list = await q.getJobSchedulers();
    const mine = list.filter((s) => s.key.startsWith('meal-cutoff-'));
    expect(mine.map((s) => s.key).sort()).toEqual(['meal-cutoff-dinner', 'meal-cutoff-lunch']);
    for (const [meal, minute] of [
      ['lunch', 9 * 60],
      ['dinner', 14 * 60],
    ] as const) {
      const js = mine.find((s) => s.key === `meal-cutoff-${meal}`)!;
      expect(js).toMatchObject({ name: 'care.mealCutoff', tz: TZ, template: { data: { meal } } });
      expect(localClock(new Date(js.next!), TZ).minute).toBe(minute);
    }
    // Nothing fires while the rest of the file runs.
    for (const s of mine) await q.removeJobScheduler(s.key);
  });
});

describe("the canteen's list", () => {
  it('counts, dietary notes and delivery addresses by compound, each address read logged', async () => {
    const wk = monday(8);
    t.clock.set(at(wk, '07:00'));
    const canteen = await makeMealProvider();
    const rival = await makeMealProvider();
    // 刘奶奶 (household 1), delivered, through her son.
    const mine = await save(forElder(proxy), {
      providerId: canteen.id,
      meals: ['lunch'],
      mode: 'delivery',
      weekdays: [1],
      dietaryNotes: '少盐',
    });
    expect(mine.status).toBe(200);
    const far = await makeElder({ home: 25, name: '王爷爷' });
    await subscribe(far, canteen.id, ['lunch'], 'delivery', [1]);
    const seat = await makeElder({ home: 26, name: '赵奶奶', dietaryNotes: '糖尿病，少糖' });
    await subscribe(seat, canteen.id, ['lunch'], 'dine_in', [1]);
    const theirs = await makeElder({ home: 27, name: '钱爷爷' });
    await subscribe(theirs, rival.id, ['lunch'], 'delivery', [1]);

    const logRows = (elderId: string) =>
      t.deps.db.select().from(elderAccessLog).where(eq(elderAccessLog.elderId, elderId));
    const byCanteen = async (elderId: string) =>
      (await logRows(elderId)).filter((r) => r.readerId === canteen.owner.userId);
    const her = (await elderContext(t.deps.db, elder.userId, t.clock.now()))!;

    // Before the cut-off: what the plans would make, still open.
    const preview = await mealList(canteen.owner, wk, 'lunch');
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ date: wk, meal: 'lunch', closed: false, dineIn: 1, delivered: 2 });

    t.clock.set(at(wk, '09:01'));
    await runMealCutoff(t.deps, wk, 'lunch');
    const res = await mealList(canteen.owner, wk, 'lunch');
    expect(res.status).toBe(200);
    const compound = (address: string) => address.split(' · ')[1]!;
    const expected = new Map<string, { elderName: string; address: string; dietaryNotes: string }[]>();
    for (const item of [
      { elderName: '刘奶奶', address: her.address!, dietaryNotes: '少盐' },
      { elderName: '王爷爷', address: homes[25]!.address, dietaryNotes: '' },
    ])
      expected.set(compound(item.address), [...(expected.get(compound(item.address)) ?? []), item]);
    expect(res.body).toMatchObject({ date: wk, meal: 'lunch', closed: true, dineIn: 1, delivered: 2 });
    expect(res.body.byCompound).toHaveLength(expected.size);
    for (const [compoundName, items] of expected)
      expect(res.body.byCompound).toContainEqual({ compoundName, items });
    expect(res.body.dietaryNotes).toEqual(
      expect.arrayContaining([
        { elderName: '刘奶奶', note: '少盐' },
        { elderName: '赵奶奶', note: '糖尿病，少糖' },
      ]),
    );
    expect(res.body.dietaryNotes).toHaveLength(2);
    expect(JSON.stringify(res.body)).not.toContain('钱爷爷');

    // One access-log row per delivery address read, naming the canteen's owner and the meal.
    const rows = await byCanteen(elder.userId);
    expect(rows).toHaveLength(2); // the preview and the list
    for (const row of rows)
      expect(row).toMatchObject({
        readerId: canteen.owner.userId,
        field: 'address',
        reason: `助餐配送 ${wk} 午餐`,
      });
    expect(await logRows(far.userId)).toHaveLength(2);
    // The dine-in elder's address was not shown, so not read.
    expect(await logRows(seat.userId)).toEqual([]);

    // The other canteen's owner sees only their own elder.
    const other = await mealList(rival.owner, wk, 'lunch');
    expect(other.status).toBe(200);
    expect(other.body).toMatchObject({ closed: true, dineIn: 0, delivered: 1 });
    expect(
      other.body.byCompound.flatMap((c: { items: { elderName: string }[] }) =>
        c.items.map((i) => i.elderName),
      ),
    ).toEqual(['钱爷爷']);
    expect(await byCanteen(elder.userId)).toHaveLength(2);
    const readers = await t.deps.db
      .select({ readerId: elderAccessLog.readerId })
      .from(elderAccessLog)
      .where(inArray(elderAccessLog.elderId, [elder.userId, far.userId, theirs.userId]));
    expect(new Set(readers.map((r) => r.readerId))).toEqual(
      new Set([canteen.owner.userId, rival.owner.userId]),
    );
  });

  it('only provider owners: a provider role without a provider is a 404, others are refused', async () => {
    const lonely = await t.login(freshPhone());
    await t.deps.db.insert(userRoles).values({ userId: lonely.userId, role: 'provider' });
    expect((await mealList(lonely, monday(8), 'lunch')).status).toBe(404);
    expect((await mealList(elder, monday(8), 'lunch')).status).toBe(403);
    expect((await mealList(staff, monday(8), 'lunch')).status).toBe(403);
    const bad = await t.call({
      method: 'GET',
      url: `/v1/provider/meal-list?date=${monday(8)}&meal=breakfast`,
      headers: bearer(lonely),
    });
    expect(bad.status).toBe(400);
  });
});

describe('whose plan', () => {
  it('a proxy without consent is refused; everyone else sees only their own plan', async () => {
    const wk = monday(9);
    t.clock.set(at(wk, '07:00'));
    const canteen = await makeMealProvider();
    const res = await save(forElder(proxy), {
      providerId: canteen.id,
      meals: ['lunch'],
      mode: 'dine_in',
      weekdays: [1, 3],
    });
    expect(res.status).toBe(200);
    const planId = res.body.plan.id;

    // A stranger, and a relative whose request the elder has not consented to.
    const stranger = await t.login(freshPhone());
    const asking = await t.login(freshPhone());
    const asked = await t.call({
      method: 'POST',
      url: '/v1/proxy-links',
      headers: bearer(asking),
      payload: { elderPhone: PHONES.elder, relationship: '侄子' },
    });
    expect(asked.status).toBe(201);
    for (const who of [stranger, asking]) {
      const headers = forElder(who);
      expect((await plan(who, headers)).status).toBe(404);
      expect(
        (await save(headers, { providerId: canteen.id, meals: ['dinner'], mode: 'delivery', weekdays: [2] }))
          .status,
      ).toBe(404);
      expect((await skip(headers, wk, 'lunch')).status).toBe(404);
      expect((await stop(headers)).status).toBe(404);
      // Without the header: their own, empty plan.
      const own = await plan(who);
      expect(own.status).toBe(200);
      expect(own.body.plan).toBeNull();
    }
    // Another elder sees their own plan, never hers.
    const neighbour = await makeElder({ home: 28 });
    const theirs = await subscribe(neighbour, canteen.id, ['dinner'], 'delivery', [2]);
    expect((await plan(neighbour)).body.plan.id).toBe(theirs);
    expect((await stop(bearer(neighbour))).body.plan).toBeNull();

    // Her plan is untouched by all of it.
    const [row] = await t.deps.db.select().from(mealPlans).where(eq(mealPlans.id, planId));
    expect(row).toMatchObject({ active: true, meals: ['lunch'], mode: 'dine_in', weekdays: [1, 3] });
    expect((await plan(elder)).body.plan.upcoming.every((m: { skipped: boolean }) => !m.skipped)).toBe(true);
  });
});

import type { Job } from 'bullmq';
import { and, eq, sql } from 'drizzle-orm';
import { localMonth } from 'shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildings,
  careBookings,
  careCategories,
  caregivers,
  careItems,
  careProviders,
  careSettings,
  careVisits,
  communities,
  compounds,
  elderProfiles,
  households,
  mealBookings,
  mealPlans,
  memberships,
  staffCommunities,
  users,
  voucherBalances,
  voucherLedger,
} from '../../src/db/schema';
import {
  careMonthlyVouchersJob,
  grantMonthlyVouchers,
  startVoucherScheduler,
  VOUCHER_SCHEDULER_ID,
} from '../../src/modules/care/statements';
import { grantMonthly, returnVoucher, spendVoucher, voucherBalance } from '../../src/modules/care/vouchers';
import { processorFor } from '../fixtures/jobs';
import { bearer, demoCommunityId, freshPhone, makeStaff, PHONES, TEST_ENV } from '../fixtures/people';
import { setupTestApp, type TestApp } from '../helper';

let t: TestApp;
type Who = { authorization: string; userId: string };
interface Place {
  communityId: string;
  compoundId: string;
  compoundName: string;
  householdIds: string[];
}
let demo: Place;
let other: Place;
let staffA: Who;
let staffB: Who;

/** "Now" for the whole file: 10 March 2031, 10:00 in Shanghai. */
const NOW = new Date('2031-03-10T10:00:00+08:00');
const local = (s: string) => new Date(`${s}+08:00`);
let seq = 0;
const uniq = () => `${process.pid}_${++seq}`;

async function placeOf(communityId: string): Promise<Place> {
  const rows = await t.deps.db
    .select({ householdId: households.id, compoundId: compounds.id, compoundName: compounds.name })
    .from(households)
    .innerJoin(buildings, eq(buildings.id, households.buildingId))
    .innerJoin(compounds, eq(compounds.id, buildings.compoundId))
    .where(eq(compounds.communityId, communityId));
  const first = rows[0]!;
  return {
    communityId,
    compoundId: first.compoundId,
    compoundName: first.compoundName,
    householdIds: rows.filter((r) => r.compoundId === first.compoundId).map((r) => r.householdId),
  };
}

/** A second community with one compound, building and household. */
async function makeCommunity(name: string): Promise<Place> {
  const db = t.deps.db;
  const [c] = await db.insert(communities).values({ name, city: '成都' }).returning();
  const [cp] = await db
    .insert(compounds)
    .values({ communityId: c!.id, name: `${name}一院` })
    .returning();
  const [b] = await db.insert(buildings).values({ compoundId: cp!.id, name: '1栋' }).returning();
  const [h] = await db.insert(households).values({ buildingId: b!.id, unit: '101' }).returning();
  return { communityId: c!.id, compoundId: cp!.id, compoundName: cp!.name, householdIds: [h!.id] };
}

/** A person with a name and birth date, a verified member of `member` or with a care profile in `profile`. */
async function makePerson(opts: { name: string; birthDate?: string; member?: string; profile?: string }) {
  const who = await t.login(freshPhone());
  await t.deps.db
    .update(users)
    .set({ name: opts.name, birthDate: opts.birthDate ?? null })
    .where(eq(users.id, who.userId));
  if (opts.member)
    await t.deps.db
      .insert(memberships)
      .values({ userId: who.userId, householdId: opts.member, status: 'approved' });
  if (opts.profile)
    await t.deps.db.insert(elderProfiles).values({ userId: who.userId, householdId: opts.profile });
  return who;
}

async function makeProvider(place: Place, name: string, caregiverName: string) {
  const owner = await t.login(freshPhone());
  const [p] = await t.deps.db
    .insert(careProviders)
    .values({
      ownerId: owner.userId,
      communityId: place.communityId,
      name,
      licenseNo: `LIC${uniq()}`,
      contactPhone: '13900000000',
      status: 'verified',
    })
    .returning();
  const cgUser = await t.login(freshPhone());
  const [cg] = await t.deps.db
    .insert(caregivers)
    .values({ userId: cgUser.userId, providerId: p!.id, name: caregiverName })
    .returning();
  return { id: p!.id, caregiverId: cg!.id };
}

let itemId: string;

async function booking(o: {
  elder: Who;
  provider: { id: string; caregiverId: string };
  place: Place;
  start: string;
  minutes?: number;
  status: 'completed' | 'cancelled' | 'no_show' | 'confirmed';
  priceFen?: number;
  voucherFen?: number;
  itemName?: string;
  lateCancel?: boolean;
  noShowBy?: 'elder' | 'caregiver';
}) {
  const startsAt = local(o.start);
  const endsAt = new Date(startsAt.getTime() + (o.minutes ?? 60) * 60_000);
  const price = o.priceFen ?? 8000;
  const voucher = o.voucherFen ?? price / 2;
  const [row] = await t.deps.db
    .insert(careBookings)
    .values({
      shortNo: `C${uniq()}`,
      elderId: o.elder.userId,
      bookedBy: o.elder.userId,
      itemId,
      itemName: o.itemName ?? '助浴上门',
      providerId: o.provider.id,
      caregiverId: o.provider.caregiverId,
      householdId: o.place.householdIds[0]!,
      compoundId: o.place.compoundId,
      startsAt,
      endsAt,
      blockStart: startsAt,
      blockEnd: endsAt,
      localDate: o.start.slice(0, 10),
      priceFen: price,
      voucherFen: voucher,
      selfPayFen: price - voucher,
      status: o.status,
      lateCancel: o.lateCancel ?? false,
      noShowBy: o.noShowBy ?? null,
    })
    .returning();
  return row!;
}

async function meal(o: {
  elder: Who;
  provider: { id: string };
  place: Place;
  date: string;
  meal: 'lunch' | 'dinner';
  mode?: 'dine_in' | 'delivery';
  priceFen?: number;
  voucherFen?: number;
}) {
  const db = t.deps.db;
  let [plan] = await db
    .select()
    .from(mealPlans)
    .where(and(eq(mealPlans.elderId, o.elder.userId), eq(mealPlans.providerId, o.provider.id)));
  if (!plan)
    [plan] = await db
      .insert(mealPlans)
      .values({
        elderId: o.elder.userId,
        providerId: o.provider.id,
        meals: ['lunch', 'dinner'],
        mode: o.mode ?? 'dine_in',
        weekdays: [1, 2, 3, 4, 5],
        priceFen: o.priceFen ?? 1500,
        createdBy: o.elder.userId,
      })
      .returning();
  const price = o.priceFen ?? 1500;
  const voucher = o.voucherFen ?? Math.floor(price / 2);
  const [row] = await db
    .insert(mealBookings)
    .values({
      planId: plan!.id,
      elderId: o.elder.userId,
      providerId: o.provider.id,
      date: o.date,
      meal: o.meal,
      mode: o.mode ?? 'dine_in',
      compoundId: o.place.compoundId,
      priceFen: price,
      voucherFen: voucher,
      selfPayFen: price - voucher,
    })
    .returning();
  return row!;
}

const grantsOf = (elderId: string, month?: string) =>
  t.deps.db
    .select()
    .from(voucherLedger)
    .where(
      and(
        eq(voucherLedger.elderId, elderId),
        eq(voucherLedger.kind, 'grant'),
        month ? eq(voucherLedger.month, month) : undefined,
      ),
    );

async function ledgerSum(elderId: string): Promise<number> {
  const [r] = await t.deps.db
    .select({ s: sql<number>`coalesce(sum(${voucherLedger.amountFen}), 0)`.mapWith(Number) })
    .from(voucherLedger)
    .where(eq(voucherLedger.elderId, elderId));
  return r!.s;
}

/** RFC 4180, enough to read our own export back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  if (cell || row.length) throw new Error('CSV does not end with CRLF');
  return rows;
}

beforeAll(async () => {
  t = await setupTestApp(TEST_ENV);
  t.clock.set(NOW);
  demo = await placeOf(await demoCommunityId(t));
  other = await makeCommunity(`测试社区${uniq()}`);
  staffA = await makeStaff(t, { runsDemo: true });
  staffB = await makeStaff(t, { runsDemo: false });
  await t.deps.db.insert(staffCommunities).values({ userId: staffB.userId, communityId: other.communityId });
  // The demo community's allotment is set by staff; the other one keeps the programme's defaults.
  await t.deps.db
    .insert(careSettings)
    .values({ communityId: demo.communityId, minAge: 80, monthlyVoucherFen: 30_000 })
    .onConflictDoUpdate({ target: careSettings.communityId, set: { minAge: 80, monthlyVoucherFen: 30_000 } });
  const [cat] = await t.deps.db
    .insert(careCategories)
    .values({ code: `test_${uniq()}`, name: '测试类别' })
    .returning();
  const [item] = await t.deps.db
    .insert(careItems)
    .values({
      categoryId: cat!.id,
      code: `test_item_${uniq()}`,
      name: '助浴上门',
      durationMin: 60,
      priceFen: 8000,
    })
    .returning();
  itemId = item!.id;
});
afterAll(() => t?.close());

describe('the monthly allotment', () => {
  let eligible: Record<string, Who>;
  let left: Record<string, Who>;

  beforeAll(async () => {
    eligible = {
      old: await makePerson({ name: '老甲', birthDate: '1945-01-01', member: demo.householdIds[0] }),
      // 80 today (10 March 2031): old enough on the local date.
      eighty: await makePerson({ name: '老乙', birthDate: '1951-03-10', member: demo.householdIds[1] }),
      // Lives in the other community through a care profile only (no membership).
      profiled: await makePerson({ name: '老丙', birthDate: '1942-06-01', profile: other.householdIds[0] }),
      // A verified resident of the other community.
      otherMember: await makePerson({ name: '老丁', birthDate: '1944-02-02', member: other.householdIds[0] }),
    };
    left = {
      // Turns 80 on 20 March: not yet.
      almost: await makePerson({ name: '差十天', birthDate: '1951-03-20', member: demo.householdIds[0] }),
      young: await makePerson({ name: '年轻人', birthDate: '1970-05-05', member: demo.householdIds[0] }),
      noBirthDate: await makePerson({ name: '无生日', member: demo.householdIds[0] }),
      // Old enough but lives nowhere in a community we know.
      homeless: await makePerson({ name: '无住址', birthDate: '1938-01-01' }),
      // Old enough, but only asked to join a household (not approved).
      pending: await makePerson({ name: '待审核', birthDate: '1939-01-01' }),
    };
    await t.deps.db
      .insert(memberships)
      .values({ userId: left.pending!.userId, householdId: demo.householdIds[0]!, status: 'pending' });
  });

  it('grants each eligible elder once per month even when two runs race, with the community amount', async () => {
    const runs = await Promise.all([
      grantMonthlyVouchers(t.deps, '2031-03'),
      grantMonthlyVouchers(t.deps, '2031-03'),
    ]);
    for (const [key, who] of Object.entries(eligible)) {
      const rows = await grantsOf(who.userId, '2031-03');
      expect(rows, key).toHaveLength(1);
      const amount = key === 'old' || key === 'eighty' ? 30_000 : 20_000;
      expect(rows[0]!.amountFen, key).toBe(amount);
      expect(await voucherBalance(t.deps.db, who.userId), key).toBe(amount);
    }
    for (const [key, who] of Object.entries(left)) {
      expect(await grantsOf(who.userId), key).toHaveLength(0);
      expect(await voucherBalance(t.deps.db, who.userId), key).toBe(0);
    }
    // Between them the two runs granted exactly the rows that exist: none twice.
    const [all] = await t.deps.db
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(voucherLedger)
      .where(and(eq(voucherLedger.kind, 'grant'), eq(voucherLedger.month, '2031-03')));
    expect(runs[0]!.granted + runs[1]!.granted).toBe(all!.n);
    expect(all!.n).toBeGreaterThanOrEqual(4);

    const again = await grantMonthlyVouchers(t.deps, '2031-03');
    expect(again.granted).toBe(0);
    expect(await voucherBalance(t.deps.db, eligible.old!.userId)).toBe(30_000);
    // A month after the clock's is never granted ahead.
    expect((await grantMonthlyVouchers(t.deps, '2031-04')).granted).toBe(0);
    expect(await grantsOf(eligible.old!.userId, '2031-04')).toHaveLength(0);
  });

  it('the job grants the month on its clock, once, and a job naming another month does nothing', async () => {
    const care = processorFor('care');
    const run = (data: object) => care.process({ name: careMonthlyVouchersJob.name, data } as Job, t.deps);
    try {
      t.clock.set(new Date('2031-04-01T00:00:05+08:00'));
      const [a, b] = (await Promise.all([run({}), run({})])) as { granted: number }[];
      for (const who of Object.values(eligible))
        expect(await grantsOf(who.userId, '2031-04')).toHaveLength(1);
      // 80 on 20 March, so April's allotment is theirs.
      expect(await grantsOf(left.almost!.userId, '2031-04')).toHaveLength(1);
      expect(await grantsOf(left.young!.userId)).toHaveLength(0);
      expect(a!.granted + b!.granted).toBeGreaterThanOrEqual(5);
      expect(((await run({})) as { granted: number }).granted).toBe(0);
      // A delayed job queued for March, run in April, grants neither month again.
      expect(await run({ month: '2031-03' })).toMatchObject({ granted: 0, stale: true });
      expect(await voucherBalance(t.deps.db, eligible.old!.userId)).toBe(60_000);
      expect(await voucherBalance(t.deps.db, left.almost!.userId)).toBe(30_000);
    } finally {
      t.clock.set(NOW);
    }
  });

  it('the scheduler fires at 00:00 on the 1st in the display zone, and boots never add a second', async () => {
    await startVoucherScheduler(t.deps);
    await startVoucherScheduler(t.deps);
    const schedulers = await t.deps.queues.get('care').getJobSchedulers();
    const ours = schedulers.filter((s) => s.key === VOUCHER_SCHEDULER_ID || s.id === VOUCHER_SCHEDULER_ID);
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatchObject({
      pattern: '0 0 1 * *',
      tz: 'Asia/Shanghai',
      name: careMonthlyVouchersJob.name,
    });
  });
});

describe('the voucher ledger', () => {
  it('shows the family this month: balance and entries newest first, in words', async () => {
    const elder = await makePerson({ name: '看账本', birthDate: '1940-01-01', member: demo.householdIds[0] });
    const provider = await makeProvider(demo, '康乐居家', '小张');
    const canteen = await makeProvider(demo, '长者食堂', '食堂阿姨');
    const db = t.deps.db;
    const b = await booking({
      elder,
      provider,
      place: demo,
      start: '2031-03-12T10:00:00',
      status: 'cancelled',
    });
    const m = await meal({ elder, provider: canteen, place: demo, date: '2031-03-13', meal: 'lunch' });
    await grantMonthly(db, elder.userId, '2031-02', 30_000);
    await grantMonthly(db, elder.userId, '2031-03', 30_000);
    expect(
      await db.transaction((tx) =>
        spendVoucher(tx, { elderId: elder.userId, amountFen: 4000, month: '2031-03', bookingId: b.id }),
      ),
    ).toBe(true);
    expect(
      await db.transaction((tx) =>
        spendVoucher(tx, { elderId: elder.userId, amountFen: 750, month: '2031-03', mealBookingId: m.id }),
      ),
    ).toBe(true);
    await db.transaction((tx) =>
      returnVoucher(tx, { elderId: elder.userId, amountFen: 4000, month: '2031-03', bookingId: b.id }),
    );

    const res = await t.call({ method: 'GET', url: '/v1/care/vouchers', headers: bearer(elder) });
    expect(res.status).toBe(200);
    expect(res.body.balanceFen).toBe(60_000 - 750);
    expect(res.body.month).toBe('2031-03');
    expect(
      res.body.entries.map((e: { kind: string; amountFen: number; label: string; month: string }) => [
        e.kind,
        e.amountFen,
        e.label,
        e.month,
      ]),
    ).toEqual([
      ['return', 4000, '取消助浴上门 退回', '2031-03'],
      ['spend', -750, '助餐（3月13日午餐）抵扣', '2031-03'],
      ['spend', -4000, '预约助浴上门 抵扣', '2031-03'],
      ['grant', 30_000, '每月发放', '2031-03'],
    ]);
    expect(await ledgerSum(elder.userId)).toBe(res.body.balanceFen);
  });

  it('also lists what moved the balance this month for a later month (a visit booked ahead)', async () => {
    const elder = await makePerson({ name: '提前约', birthDate: '1940-01-01' });
    // The ledger stamps rows with the database's time: put the clock there for this one.
    const realNow = new Date();
    const thisMonth = localMonth(realNow);
    const [y, m] = thisMonth.split('-').map(Number) as [number, number];
    const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
    try {
      t.clock.set(realNow);
      await grantMonthly(t.deps.db, elder.userId, thisMonth, 20_000);
      await t.deps.db.transaction((tx) =>
        spendVoucher(tx, { elderId: elder.userId, amountFen: 3000, month: next }),
      );
      // A line of another month written in that month: not this month's.
      await t.deps.db.insert(voucherLedger).values({
        elderId: elder.userId,
        kind: 'return',
        amountFen: 1,
        month: '2000-01',
        createdAt: new Date('2000-01-15T04:00:00Z'),
      });
      const res = await t.call({ method: 'GET', url: '/v1/care/vouchers', headers: bearer(elder) });
      expect(res.body.month).toBe(thisMonth);
      expect(
        res.body.entries.map((e: { amountFen: number; month: string }) => [e.amountFen, e.month]),
      ).toEqual([
        [-3000, next],
        [20_000, thisMonth],
      ]);
      expect(res.body.balanceFen).toBe(20_000 - 3000);
    } finally {
      t.clock.set(NOW);
    }
  });

  it('a consented family member sees the elder’s account, not their own', async () => {
    const elder = await t.login(PHONES.elder);
    const proxy = await t.login(PHONES.familyProxy);
    // A return always writes a line (a grant for March may exist already from the job above).
    await returnVoucher(t.deps.db, { elderId: elder.userId, amountFen: 12_345, month: '2031-03' });
    const own = await t.call({ method: 'GET', url: '/v1/care/vouchers', headers: bearer(elder) });
    const forElder = await t.call({
      method: 'GET',
      url: '/v1/care/vouchers',
      headers: { ...bearer(proxy), 'x-on-behalf-of': elder.userId },
    });
    expect(forElder.status).toBe(200);
    expect(forElder.body).toEqual(own.body);
    expect(forElder.body.balanceFen).toBe(await voucherBalance(t.deps.db, elder.userId));
    expect(forElder.body.entries.some((e: { amountFen: number }) => e.amountFen === 12_345)).toBe(true);
    const mine = await t.call({ method: 'GET', url: '/v1/care/vouchers', headers: bearer(proxy) });
    expect(mine.body.entries.some((e: { amountFen: number }) => e.amountFen === 12_345)).toBe(false);
  });

  it('20 concurrent spends never take a balance below zero, and the ledger sums to the balance', async () => {
    const elder = await makePerson({ name: '抢券', birthDate: '1940-01-01' });
    await grantMonthly(t.deps.db, elder.userId, '2031-03', 10_000);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        t.deps.db.transaction((tx) =>
          spendVoucher(tx, { elderId: elder.userId, amountFen: 700, month: '2031-03' }),
        ),
      ),
    );
    // Every attempt answered (none failed on the non-negative CHECK): 14 fit in 10 000, 6 were refused.
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    const ok = results.filter((r) => r.status === 'fulfilled' && r.value === true).length;
    expect(ok).toBe(14);
    const balance = await voucherBalance(t.deps.db, elder.userId);
    expect(balance).toBe(10_000 - 14 * 700);
    expect(await ledgerSum(elder.userId)).toBe(balance);
    const spends = await t.deps.db
      .select()
      .from(voucherLedger)
      .where(and(eq(voucherLedger.elderId, elder.userId), eq(voucherLedger.kind, 'spend')));
    expect(spends).toHaveLength(14);
  });

  it('refuses UPDATE and DELETE on the ledger', async () => {
    const elder = await makePerson({ name: '改账', birthDate: '1940-01-01' });
    await grantMonthly(t.deps.db, elder.userId, '2031-03', 5000);
    const [row] = await grantsOf(elder.userId);
    // drizzle wraps the driver's error; the trigger's words are in its cause.
    const refusal = (q: PromiseLike<unknown>) =>
      Promise.resolve(q).then(
        () => 'accepted',
        (e: Error & { cause?: Error }) => e.cause?.message ?? e.message,
      );
    expect(
      await refusal(
        t.deps.db.update(voucherLedger).set({ amountFen: 999_999 }).where(eq(voucherLedger.id, row!.id)),
      ),
    ).toBe('voucher_ledger is append-only');
    expect(await refusal(t.deps.db.delete(voucherLedger).where(eq(voucherLedger.id, row!.id)))).toBe(
      'voucher_ledger is append-only',
    );
    expect(await refusal(t.deps.sql`DELETE FROM voucher_ledger WHERE elder_id = ${elder.userId}`)).toBe(
      'voucher_ledger is append-only',
    );
    const [still] = await grantsOf(elder.userId);
    expect(still).toMatchObject({ amountFen: 5000, month: '2031-03' });
    // The balance row beside it is not the ledger: it still moves (by the conditional spend).
    const [bal] = await t.deps.db
      .select()
      .from(voucherBalances)
      .where(eq(voucherBalances.elderId, elder.userId));
    expect(bal!.balanceFen).toBe(5000);
  });
});

describe('staff statement, export and attendance', () => {
  let e1: Who;
  let e2: Who;
  let eb: Who;
  let careA: { id: string; caregiverId: string };
  let canteen: { id: string; caregiverId: string };
  let careB: { id: string; caregiverId: string };
  const PROVIDER_A = '康乐,"居家"养老';
  const CAREGIVER_A = '=HYPERLINK("http://x")';

  beforeAll(async () => {
    e1 = await makePerson({ name: '张大爷', birthDate: '1941-01-01', member: demo.householdIds[0] });
    e2 = await makePerson({ name: '+李奶奶', birthDate: '1942-01-01', member: demo.householdIds[1] });
    eb = await makePerson({ name: '外社区', birthDate: '1943-01-01', member: other.householdIds[0] });
    careA = await makeProvider(demo, PROVIDER_A, CAREGIVER_A);
    canteen = await makeProvider(demo, '黌门街长者食堂(测试)', '食堂');
    careB = await makeProvider(other, '外社区服务中心', '外护理员');

    const b1 = await booking({
      elder: e1,
      provider: careA,
      place: demo,
      start: '2031-02-03T10:00:00',
      status: 'completed',
      priceFen: 8000,
      voucherFen: 4000,
    });
    await t.deps.db.insert(careVisits).values({
      bookingId: b1.id,
      clockInAt: local('2031-02-03T09:58:00'),
      clockOutAt: local('2031-02-03T11:05:00'),
    });
    await booking({
      elder: e2,
      provider: careA,
      place: demo,
      start: '2031-02-20T14:00:00',
      status: 'completed',
      priceFen: 6000,
      voucherFen: 2500,
      itemName: '陪诊\n取药, 代办',
    });
    // 00:30 on 1 March local (still 28 Feb in UTC): March's, not February's.
    await booking({
      elder: e1,
      provider: careA,
      place: demo,
      start: '2031-03-01T00:30:00',
      status: 'completed',
      priceFen: 9999,
      voucherFen: 0,
    });
    // 23:30 on 31 January local: January's.
    await booking({
      elder: e1,
      provider: careA,
      place: demo,
      start: '2031-01-31T23:30:00',
      status: 'completed',
      priceFen: 7777,
      voucherFen: 0,
    });
    // Not completed: in no statement, but in attendance.
    await booking({
      elder: e1,
      provider: careA,
      place: demo,
      start: '2031-02-10T10:00:00',
      status: 'cancelled',
      lateCancel: true,
    });
    await booking({
      elder: e1,
      provider: careA,
      place: demo,
      start: '2031-02-11T10:00:00',
      status: 'no_show',
      noShowBy: 'elder',
    });
    await booking({
      elder: e2,
      provider: careA,
      place: demo,
      start: '2031-02-12T10:00:00',
      status: 'no_show',
      noShowBy: 'caregiver',
    });
    await booking({
      elder: e2,
      provider: careA,
      place: demo,
      start: '2031-02-13T10:00:00',
      status: 'cancelled',
    });
    await meal({
      elder: e1,
      provider: canteen,
      place: demo,
      date: '2031-02-04',
      meal: 'lunch',
      priceFen: 1500,
      voucherFen: 750,
    });
    await meal({
      elder: e2,
      provider: canteen,
      place: demo,
      date: '2031-02-04',
      meal: 'dinner',
      mode: 'delivery',
      priceFen: 1800,
      voucherFen: 900,
    });
    await meal({
      elder: e2,
      provider: canteen,
      place: demo,
      date: '2031-03-02',
      meal: 'lunch',
      priceFen: 1800,
      voucherFen: 900,
    });
    // The other community's month.
    await booking({
      elder: eb,
      provider: careB,
      place: other,
      start: '2031-02-05T09:00:00',
      status: 'completed',
      priceFen: 5000,
      voucherFen: 2500,
    });
    await booking({
      elder: eb,
      provider: careB,
      place: other,
      start: '2031-02-06T09:00:00',
      status: 'no_show',
      noShowBy: 'elder',
    });
  });

  it('sums the month per provider and per elder, completed visits and meals only, by local date', async () => {
    const res = await t.call({
      method: 'GET',
      url: '/v1/staff/care/statement?month=2031-02',
      headers: bearer(staffA),
    });
    expect(res.status).toBe(200);
    expect(res.body.month).toBe('2031-02');
    const providers = Object.fromEntries(
      res.body.providers.map((p: { providerId: string }) => [p.providerId, p]),
    );
    expect(Object.keys(providers).sort()).toEqual([careA.id, canteen.id].sort());
    expect(providers[careA.id]).toEqual({
      providerId: careA.id,
      name: PROVIDER_A,
      visits: 2,
      meals: 0,
      priceFen: 14_000,
      voucherFen: 6500,
      selfPayFen: 7500,
    });
    expect(providers[canteen.id]).toMatchObject({
      visits: 0,
      meals: 2,
      priceFen: 3300,
      voucherFen: 1650,
      selfPayFen: 1650,
    });
    const elders = Object.fromEntries(res.body.elders.map((e: { elderId: string }) => [e.elderId, e]));
    expect(Object.keys(elders).sort()).toEqual([e1.userId, e2.userId].sort());
    expect(elders[e1.userId]).toEqual({
      elderId: e1.userId,
      name: '张大爷',
      visits: 1,
      meals: 1,
      voucherFen: 4750,
      selfPayFen: 4750,
    });
    expect(elders[e2.userId]).toEqual({
      elderId: e2.userId,
      name: '+李奶奶',
      visits: 1,
      meals: 1,
      voucherFen: 3400,
      selfPayFen: 4400,
    });
    // Provider and elder sides of the statement add up to the same money.
    const sum = (rows: { voucherFen: number; selfPayFen: number }[]) =>
      rows.reduce((n, r) => n + r.voucherFen + r.selfPayFen, 0);
    expect(sum(res.body.providers)).toBe(sum(res.body.elders));

    const march = await t.call({
      method: 'GET',
      url: '/v1/staff/care/statement?month=2031-03',
      headers: bearer(staffA),
    });
    expect(march.body.providers.find((p: { providerId: string }) => p.providerId === careA.id)).toMatchObject(
      { visits: 1, priceFen: 9999 },
    );
    const bad = await t.call({
      method: 'GET',
      url: '/v1/staff/care/statement?month=2031-13',
      headers: bearer(staffA),
    });
    expect(bad.status).toBe(400);
  });

  it('exports the month as CSV: BOM, CRLF, one row per visit and meal, escaped and formula-safe', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/v1/staff/care/export?month=2031-02',
      headers: bearer(staffA),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="care-2031-02.csv"');
    const raw = res.rawPayload;
    // The file itself, not a JSON string of it: UTF-8 BOM bytes first.
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = raw.toString('utf8');
    expect(text.startsWith('\uFEFF月份,服务日期,')).toBe(true);
    expect(text.startsWith('"')).toBe(false);
    expect(text.endsWith('\r\n')).toBe(true);
    // Every line ends CRLF; the one bare LF is inside the quoted item name.
    expect(text.match(/(?<!\r)\n/g)).toHaveLength(1);
    const rows = parseCsv(text.slice(1));
    const [header, ...data] = rows;
    expect(header).toEqual([
      '月份',
      '服务日期',
      '类别',
      '长者姓名',
      '小区',
      '服务项目',
      '服务机构',
      '护理员',
      '开始时间',
      '结束时间',
      '签到时间',
      '签退时间',
      '服务价格(元)',
      '服务券(元)',
      '自付(元)',
      '单号',
    ]);
    expect(data.every((r) => r.length === header!.length)).toBe(true);
    expect(data.map((r) => [r[1], r[2], r[3], r[5]])).toEqual([
      ['2031-02-03', '上门服务', '张大爷', '助浴上门'],
      ['2031-02-04', '助餐', '张大爷', '午餐（堂食）'],
      ['2031-02-04', '助餐', "'+李奶奶", '晚餐（送餐上门）'],
      ['2031-02-20', '上门服务', "'+李奶奶", '陪诊\n取药, 代办'],
    ]);
    expect(data[0]).toEqual([
      '2031-02',
      '2031-02-03',
      '上门服务',
      '张大爷',
      demo.compoundName,
      '助浴上门',
      PROVIDER_A,
      `'${CAREGIVER_A}`,
      '10:00',
      '11:00',
      '09:58',
      '11:05',
      '80.00',
      '40.00',
      '40.00',
      expect.stringMatching(/^C/),
    ]);
    expect(data[3]!.slice(12, 15)).toEqual(['60.00', '25.00', '35.00']);
    expect(data[1]!.slice(7, 15)).toEqual(['', '', '', '', '', '15.00', '7.50', '7.50']);
    // The raw cells: quotes doubled, the formula cell neutralised inside its quotes.
    expect(text).toContain('"康乐,""居家""养老"');
    expect(text).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(text).toContain('"陪诊\n取药, 代办"');
    // Same money as the statement.
    const voucher = data.reduce((n, r) => n + Math.round(Number(r[13]) * 100), 0);
    expect(voucher).toBe(6500 + 1650);
  });

  it('lists late cancels and no-shows per elder and per caregiver of the staff member’s compounds', async () => {
    const res = await t.call({ method: 'GET', url: '/v1/staff/care/attendance', headers: bearer(staffA) });
    expect(res.status).toBe(200);
    const elder = (id: string) => res.body.elders.find((e: { elderId: string }) => e.elderId === id);
    expect(elder(e1.userId)).toEqual({ elderId: e1.userId, name: '张大爷', lateCancels: 1, noShows: 1 });
    // e2's only no-show was the caregiver's, and their cancel was in time: nothing against them.
    expect(elder(e2.userId)).toBeUndefined();
    expect(
      res.body.caregivers.find((c: { caregiverId: string }) => c.caregiverId === careA.caregiverId),
    ).toEqual({
      caregiverId: careA.caregiverId,
      name: CAREGIVER_A,
      lateCancels: 1,
      noShows: 1,
    });
    expect(elder(eb.userId)).toBeUndefined();
  });

  it('staff of another community see only theirs, and staff of none see nothing', async () => {
    const statement = await t.call({
      method: 'GET',
      url: '/v1/staff/care/statement?month=2031-02',
      headers: bearer(staffB),
    });
    expect(statement.body.providers).toEqual([
      {
        providerId: careB.id,
        name: '外社区服务中心',
        visits: 1,
        meals: 0,
        priceFen: 5000,
        voucherFen: 2500,
        selfPayFen: 2500,
      },
    ]);
    expect(statement.body.elders.map((e: { elderId: string }) => e.elderId)).toEqual([eb.userId]);
    const csv = await t.call({
      method: 'GET',
      url: '/v1/staff/care/export?month=2031-02',
      headers: bearer(staffB),
    });
    const rows = parseCsv((csv.body as string).slice(1));
    expect(rows).toHaveLength(2);
    expect(rows[1]![3]).toBe('外社区');
    expect(csv.body).not.toContain('张大爷');
    const attendance = await t.call({
      method: 'GET',
      url: '/v1/staff/care/attendance',
      headers: bearer(staffB),
    });
    expect(attendance.body).toEqual({
      elders: [{ elderId: eb.userId, name: '外社区', lateCancels: 0, noShows: 1 }],
      caregivers: [],
    });

    const nobody = await makeStaff(t, { runsDemo: false });
    const none = await t.call({
      method: 'GET',
      url: '/v1/staff/care/statement?month=2031-02',
      headers: bearer(nobody),
    });
    expect(none.body).toEqual({ month: '2031-02', providers: [], elders: [] });
    const empty = await t.call({
      method: 'GET',
      url: '/v1/staff/care/export?month=2031-02',
      headers: bearer(nobody),
    });
    expect(empty.body).toBe(`\uFEFF${rowsHeader(rows)}\r\n`);
  });

  it('a resident’s token on the staff routes gets 403', async () => {
    const resident = await t.login(PHONES.resident);
    for (const url of [
      '/v1/staff/care/statement?month=2031-02',
      '/v1/staff/care/export?month=2031-02',
      '/v1/staff/care/attendance',
    ]) {
      const res = await t.call({ method: 'GET', url, headers: bearer(resident) });
      expect(res.status, url).toBe(403);
      expect(JSON.stringify(res.body)).not.toContain('张大爷');
    }
    const elder = await t.login(PHONES.elder);
    const proxy = await t.login(PHONES.familyProxy);
    const asProxy = await t.call({
      method: 'GET',
      url: '/v1/staff/care/statement?month=2031-02',
      headers: { ...bearer(proxy), 'x-on-behalf-of': elder.userId },
    });
    expect(asProxy.status).toBe(403);
  });
});

const rowsHeader = (rows: string[][]) => rows[0]!.join(',');

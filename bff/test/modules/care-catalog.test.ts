import { and, eq, sql } from 'drizzle-orm';
import { ageOn, localClock, localMonth } from 'shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  careItems,
  careSettings,
  communities,
  elderProfiles,
  memberships,
  staffCommunities,
  users,
  voucherLedger,
} from '../../src/db/schema';
import { DEMO_CARE_CATALOG } from '../../src/demo';
import { seed } from '../../src/seed';
import {
  auditRows,
  bearer,
  demoCommunityId,
  freshPhone,
  makeStaff,
  PHONES,
  TEST_ENV,
} from '../fixtures/people';
import { setupTestApp, type TestApp } from '../helper';

type Who = { authorization: string; userId: string };
// biome-ignore lint/suspicious/noExplicitAny: response bodies are read structurally
type Body = any;

let t: TestApp;
let staff: Who;
let elder: Who;
let family: Who;
let demo: string;
beforeAll(async () => {
  t = await setupTestApp(TEST_ENV);
  staff = await t.login(PHONES.staff);
  elder = await t.login(PHONES.elder);
  family = await t.login(PHONES.familyProxy);
  demo = await demoCommunityId(t);
});
afterAll(() => t?.close());

const catalog = (who: Who, headers: Record<string, string> = {}) =>
  t.call({ method: 'GET', url: '/v1/care/catalog', headers: { ...bearer(who), ...headers } });
const staffCatalog = (who: Who = staff) =>
  t.call({ method: 'GET', url: '/v1/staff/care/catalog', headers: bearer(who) });
const patchItem = (id: string, payload: unknown, who: Who = staff) =>
  t.call({
    method: 'PATCH',
    url: `/v1/staff/care/items/${id}`,
    headers: bearer(who),
    payload: payload as object,
  });
const createItem = (payload: unknown, who: Who = staff) =>
  t.call({ method: 'POST', url: '/v1/staff/care/items', headers: bearer(who), payload: payload as object });

/** Items made by this file's tests carry this prefix; the seeded catalogue is everything else. */
const TEST_CODE = 'test_';
const seeded = (items: Body[]) => items.filter((i) => !i.code.startsWith(TEST_CODE));
let codeCounter = 0;
const testCode = () => `${TEST_CODE}${process.pid}_${++codeCounter}`;

async function categoryId(code: string): Promise<string> {
  const res = await staffCatalog();
  return res.body.categories.find((c: Body) => c.code === code).id;
}

async function itemByCode(code: string): Promise<Body> {
  const res = await staffCatalog();
  return res.body.categories.flatMap((c: Body) => c.items).find((i: Body) => i.code === code);
}

describe('the seeded catalogue', () => {
  it('has the 6 categories in order with the 20 items of the programme', async () => {
    const res = await catalog(elder);
    expect(res.status).toBe(200);
    const cats = res.body.categories as Body[];
    expect(cats.map((c) => c.name)).toEqual(['助餐', '生活照料', '助医', '陪同', '喘息服务', '跑腿代办']);
    expect(cats.map((c) => seeded(c.items).length)).toEqual([3, 5, 5, 3, 2, 2]);
    const items = cats.flatMap((c) => seeded(c.items));
    expect(items).toHaveLength(20);
    expect(items.map((i) => i.code)).toEqual(DEMO_CARE_CATALOG.flatMap((c) => c.items.map((i) => i.code)));
    expect(new Set(items.map((i) => i.code)).size).toBe(20);
    for (const i of items) {
      expect(i.name, i.code).toMatch(/[\u4e00-\u9fff]/);
      expect(i.checklist.length, i.code).toBeGreaterThanOrEqual(3);
      expect(i.checklist.length, i.code).toBeLessThanOrEqual(5);
      expect(i.active).toBe(true);
      expect(Number.isInteger(i.priceFen)).toBe(true);
      if (i.performer === 'caregiver') expect(i.priceFen, i.code).toBeGreaterThan(0);
    }
    const byCode = Object.fromEntries(items.map((i) => [i.code, i]));
    expect(byCode.home_bathing).toMatchObject({
      name: '上门助浴',
      performer: 'caregiver',
      certification: 'bathing',
      bufferBeforeMin: 15,
      bufferAfterMin: 15,
      subsidised: true,
      needsConfirmation: false,
    });
    for (const code of ['home_nursing', 'dressing_change']) expect(byCode[code].certification).toBe('nurse');
    expect(byCode.rehab_exercise.certification).toBe('rehab');
    const confirmed = items.filter((i) => i.needsConfirmation).map((i) => i.code);
    expect(confirmed.sort()).toEqual(
      [
        'hospital_escort',
        'home_nursing',
        'dressing_change',
        'rehab_exercise',
        'day_care',
        'temp_home_care',
      ].sort(),
    );
    const volunteer = items.filter((i) => i.performer === 'volunteer').map((i) => i.code);
    expect(volunteer.sort()).toEqual(
      ['companionship', 'escorted_walk', 'reading_aloud', 'shopping_bills', 'parcel_fetch'].sort(),
    );
    for (const code of ['home_bathing', 'home_cleaning', 'haircut', 'home_nursing', 'laundry'])
      expect(byCode[code].performer).toBe('caregiver');
  });

  it('刘奶奶 (born 1940, in 黌门街社区) is eligible, for herself and through her son', async () => {
    const age = ageOn('1940-03-15', localClock(t.clock.now()).date);
    expect(age).toBeGreaterThanOrEqual(80);
    const own = await catalog(elder);
    expect(own.body.eligibility).toEqual({ eligible: true, minAge: 80, age });
    const proxied = await catalog(family, { 'x-on-behalf-of': elder.userId });
    expect(proxied.status).toBe(200);
    expect(proxied.body.eligibility).toEqual({ eligible: true, minAge: 80, age });
    // The son himself has no birth date on file.
    expect((await catalog(family)).body.eligibility).toEqual({ eligible: false, minAge: 80, age: null });
  });

  it('a resident without a birth date sees the subsidised items too, but is not eligible', async () => {
    const resident = await t.login(PHONES.resident);
    const res = await catalog(resident);
    expect(res.status).toBe(200);
    expect(res.body.eligibility).toEqual({ eligible: false, minAge: 80, age: null });
    const items = res.body.categories.flatMap((c: Body) => seeded(c.items));
    expect(items).toHaveLength(20);
    expect(items.filter((i: Body) => i.subsidised).length).toBeGreaterThanOrEqual(15);
    // Nobody at all: a new user with no household.
    const stranger = await t.login(freshPhone());
    expect((await catalog(stranger)).body.eligibility).toEqual({ eligible: false, minAge: 80, age: null });
  });

  it("a resident under 80 is not eligible until the community's minimum age is lowered", async () => {
    const who = await t.login(PHONES.otherResident);
    await t.deps.db.update(users).set({ birthDate: '1955-06-01' }).where(eq(users.id, who.userId));
    const age = ageOn('1955-06-01', localClock(t.clock.now()).date);
    try {
      expect((await catalog(who)).body.eligibility).toEqual({ eligible: false, minAge: 80, age });
      const lowered = await t.call({
        method: 'PATCH',
        url: '/v1/staff/care/settings',
        headers: bearer(staff),
        payload: { minAge: 65 },
      });
      expect(lowered.status).toBe(200);
      expect((await catalog(who)).body.eligibility).toEqual({ eligible: true, minAge: 65, age });
    } finally {
      await t.deps.db.update(careSettings).set({ minAge: 80 }).where(eq(careSettings.communityId, demo));
      await t.deps.db.update(users).set({ birthDate: null }).where(eq(users.id, who.userId));
    }
  });

  it('seeding again changes nothing and keeps what staff changed', async () => {
    const count = async () => {
      const [row] = (await t.deps.db.execute(sql`SELECT
        (SELECT count(*)::int FROM care_categories) AS categories,
        (SELECT count(*)::int FROM care_items) AS items,
        (SELECT count(*)::int FROM care_providers) AS providers,
        (SELECT count(*)::int FROM caregivers) AS caregivers,
        (SELECT count(*)::int FROM caregiver_hours) AS hours,
        (SELECT count(*)::int FROM caregiver_compounds) AS compounds,
        (SELECT count(*)::int FROM elder_profiles) AS profiles,
        (SELECT count(*)::int FROM voucher_ledger) AS ledger,
        (SELECT coalesce(sum(balance_fen), 0)::int FROM voucher_balances) AS balances`)) as unknown as Body[];
      return row;
    };
    const item = await itemByCode('laundry');
    await t.deps.db.update(careItems).set({ priceFen: 3300 }).where(eq(careItems.id, item.id));
    try {
      const before = await count();
      await Promise.all([seed(t.deps.db), seed(t.deps.db)]);
      expect(await count()).toEqual(before);
      expect((await itemByCode('laundry')).priceFen).toBe(3300);
    } finally {
      await t.deps.db.update(careItems).set({ priceFen: item.priceFen }).where(eq(careItems.id, item.id));
    }
  });

  it("刘奶奶's care profile: her household, health notes, her son as emergency contact", async () => {
    const [profile] = await t.deps.db
      .select()
      .from(elderProfiles)
      .where(eq(elderProfiles.userId, elder.userId));
    const [home] = await t.deps.db
      .select({ householdId: memberships.householdId })
      .from(memberships)
      .where(and(eq(memberships.userId, elder.userId), eq(memberships.status, 'approved')));
    expect(profile).toMatchObject({
      householdId: home!.householdId,
      healthNotes: '高血压，需低盐饮食',
      emergencyContacts: [{ name: '刘晓明', phone: PHONES.familyProxy, relation: '儿子' }],
      livesAlone: true,
      dietaryNotes: '低盐',
      preferredCaregiverId: null,
    });
  });

  it("grants this month's voucher to the eligible elder only", async () => {
    const month = localMonth(t.clock.now());
    // The template may have been seeded in another month: seeding now grants this one, once.
    await seed(t.deps.db, t.clock.now());
    await seed(t.deps.db, t.clock.now());
    const grants = await t.deps.db
      .select({ elderId: voucherLedger.elderId, amountFen: voucherLedger.amountFen })
      .from(voucherLedger)
      .where(and(eq(voucherLedger.kind, 'grant'), eq(voucherLedger.month, month)));
    expect(grants).toEqual([{ elderId: elder.userId, amountFen: 20_000 }]);
  });
});

describe('staff edit the catalogue', () => {
  it('a price change is saved, shown to elders and audited with what it was', async () => {
    const created = await createItem({
      categoryId: await categoryId('daily_care'),
      code: testCode(),
      name: '测试修脚',
      durationMin: 45,
      priceFen: 4000,
      certification: null,
      checklist: ['泡脚', '修剪'],
      active: true,
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const res = await patchItem(id, { priceFen: 4500 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, priceFen: 4500, name: '测试修脚', durationMin: 45 });
    const shown = (await catalog(elder)).body.categories
      .flatMap((c: Body) => c.items)
      .find((i: Body) => i.id === id);
    expect(shown.priceFen).toBe(4500);
    const rows = await auditRows(t, 'care.item.updated', id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actorId: staff.userId,
      data: { changes: { priceFen: { from: 4000, to: 4500 } } },
    });
    // The same value again is no change and no audit row.
    expect((await patchItem(id, { priceFen: 4500 })).status).toBe(200);
    expect(await auditRows(t, 'care.item.updated', id)).toHaveLength(1);
    expect(await auditRows(t, 'care.item.created', id)).toHaveLength(1);
  });

  it('refuses bad edits field by field and changes nothing', async () => {
    const item = await itemByCode('home_cleaning');
    const cases: [unknown, string][] = [
      [{ priceFen: -1 }, 'body.priceFen'],
      [{ priceFen: 12.5 }, 'body.priceFen'],
      [{ durationMin: 5 }, 'body.durationMin'],
      [{ voucherPercent: 101 }, 'body.voucherPercent'],
      [{ dailyCap: 0 }, 'body.dailyCap'],
      [{ checklist: ['打扫', ''] }, 'body.checklist.1'],
      [{ certification: 'wizard' }, 'body.certification'],
      [{ name: '   ' }, 'body.name'],
      [{ categoryId: '0190a5c0-0000-7000-8000-000000000000' }, 'body.categoryId'],
      [{ code: 'renamed' }, 'body'],
    ];
    for (const [payload, path] of cases) {
      const res = await patchItem(item.id, payload);
      expect(res.status, JSON.stringify(payload)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(
        res.body.error.details.map((d: Body) => d.path),
        JSON.stringify(payload),
      ).toContain(path);
    }
    // A volunteer item takes no certification.
    const walk = await itemByCode('escorted_walk');
    const vol = await patchItem(walk.id, { certification: 'nurse' });
    expect(vol.status).toBe(400);
    expect(vol.body.error.details).toEqual([{ path: 'body.certification', message: expect.any(String) }]);
    expect(await itemByCode('home_cleaning')).toEqual(item);
    expect(await itemByCode('escorted_walk')).toEqual(walk);
    expect(await auditRows(t, 'care.item.updated', item.id)).toEqual([]);
  });

  it('an unknown item is 404, and only staff may edit', async () => {
    expect((await patchItem('0190a5c0-0000-7000-8000-000000000000', { priceFen: 1 })).status).toBe(404);
    const item = await itemByCode('haircut');
    const res = await patchItem(item.id, { priceFen: 1 }, elder);
    expect(res.status).toBe(403);
    expect((await staffCatalog(elder)).status).toBe(403);
    expect((await itemByCode('haircut')).priceFen).toBe(item.priceFen);
  });

  it('a new item goes to the end of its category; its code is unique', async () => {
    const cat = await categoryId('errands');
    const code = testCode();
    const body = {
      categoryId: cat,
      code,
      name: '代办证件',
      durationMin: 120,
      priceFen: 0,
      performer: 'volunteer',
      subsidised: false,
      checklist: ['确认所需材料', '陪同或代为办理', '交回证件'],
    };
    const res = await createItem(body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      code,
      performer: 'volunteer',
      certification: null,
      active: true,
      voucherPercent: 50,
    });
    const listed = (await staffCatalog()).body.categories.find((c: Body) => c.id === cat).items;
    expect(listed.at(-1).code).toBe(code);
    const again = await createItem({ ...body, name: '重复' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('CARE_ITEM_CODE_TAKEN');
    const badCat = await createItem({
      ...body,
      code: testCode(),
      categoryId: '0190a5c0-0000-7000-8000-000000000000',
    });
    expect(badCat.status).toBe(400);
    expect(badCat.body.error.details).toEqual([{ path: 'body.categoryId', message: 'no such category' }]);
    const badCode = await createItem({ ...body, code: 'Bad Code' });
    expect(badCode.status).toBe(400);
    expect(badCode.body.error.details.map((d: Body) => d.path)).toEqual(['body.code']);
  });

  it('an inactive item leaves the elders’ catalogue but stays in the staff one', async () => {
    const res = await createItem({
      categoryId: await categoryId('companionship'),
      code: testCode(),
      name: '下午茶陪伴',
      durationMin: 60,
      priceFen: 0,
      performer: 'volunteer',
      checklist: ['泡茶', '聊天', '收拾'],
    });
    const id = res.body.id;
    const ids = async (who: Who) =>
      (who === staff ? await staffCatalog() : await catalog(who)).body.categories.flatMap((c: Body) =>
        c.items.map((i: Body) => i.id),
      );
    expect(await ids(elder)).toContain(id);
    expect((await patchItem(id, { active: false })).body.active).toBe(false);
    expect(await ids(elder)).not.toContain(id);
    expect(await ids(staff)).toContain(id);
  });

  it('a category is renamed and reordered', async () => {
    const id = await categoryId('errands');
    const res = await t.call({
      method: 'PATCH',
      url: `/v1/staff/care/categories/${id}`,
      headers: bearer(staff),
      payload: { name: '跑腿代办服务', sort: 0 },
    });
    try {
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ id, code: 'errands', name: '跑腿代办服务', sort: 0 });
      const cats = (await catalog(elder)).body.categories;
      // Sort 0 ties with 助餐; the code breaks the tie.
      expect(cats.slice(0, 2).map((c: Body) => c.code)).toEqual(['errands', 'meals']);
      expect(await auditRows(t, 'care.category.updated', id)).toHaveLength(1);
      const bad = await t.call({
        method: 'PATCH',
        url: `/v1/staff/care/categories/${id}`,
        headers: bearer(staff),
        payload: { sort: -1 },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details.map((d: Body) => d.path)).toEqual(['body.sort']);
    } finally {
      await t.call({
        method: 'PATCH',
        url: `/v1/staff/care/categories/${id}`,
        headers: bearer(staff),
        payload: { name: '跑腿代办', sort: 5 },
      });
    }
  });
});

describe('care settings', () => {
  it("staff read and change their community's settings; the change is audited", async () => {
    const res = await t.call({ method: 'GET', url: '/v1/staff/care/settings', headers: bearer(staff) });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      communityId: demo,
      minAge: 80,
      monthlyVoucherFen: 20_000,
      voucherCapPercent: 50,
      freeCancelHours: 24,
      confirmWithinMin: 120,
      payWithinMin: 30,
    });
    const patched = await t.call({
      method: 'PATCH',
      url: '/v1/staff/care/settings',
      headers: bearer(staff),
      payload: { freeCancelHours: 12, voucherCapPercent: 40 },
    });
    try {
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ minAge: 80, freeCancelHours: 12, voucherCapPercent: 40 });
      const rows = await auditRows(t, 'care.settings.updated', demo);
      expect(rows.at(-1)).toMatchObject({
        actorId: staff.userId,
        data: { to: { freeCancelHours: 12, voucherCapPercent: 40 }, from: { freeCancelHours: 24 } },
      });
      const bad = await t.call({
        method: 'PATCH',
        url: '/v1/staff/care/settings',
        headers: bearer(staff),
        payload: { minAge: 30, confirmWithinMin: 5, payWithinMin: 1441 },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details.map((d: Body) => d.path).sort()).toEqual([
        'body.confirmWithinMin',
        'body.minAge',
        'body.payWithinMin',
      ]);
    } finally {
      await t.deps.db
        .update(careSettings)
        .set({ freeCancelHours: 24, voucherCapPercent: 50 })
        .where(eq(careSettings.communityId, demo));
    }
  });

  it('a community never configured starts from the defaults; staff of none get 404', async () => {
    const [other] = await t.deps.db
      .insert(communities)
      .values({ name: `测试社区${freshPhone()}`, city: '成都市' })
      .returning({ id: communities.id });
    const otherStaff = await makeStaff(t, { runsDemo: false });
    const none = await t.call({ method: 'GET', url: '/v1/staff/care/settings', headers: bearer(otherStaff) });
    expect(none.status).toBe(404);
    expect(none.body.error.code).toBe('STAFF_NO_COMMUNITY');
    await t.deps.db.insert(staffCommunities).values({ userId: otherStaff.userId, communityId: other!.id });
    const defaults = await t.call({
      method: 'GET',
      url: '/v1/staff/care/settings',
      headers: bearer(otherStaff),
    });
    expect(defaults.body).toMatchObject({ communityId: other!.id, minAge: 80, monthlyVoucherFen: 20_000 });
    const set = await t.call({
      method: 'PATCH',
      url: '/v1/staff/care/settings',
      headers: bearer(otherStaff),
      payload: { minAge: 70 },
    });
    expect(set.body).toMatchObject({ communityId: other!.id, minAge: 70, freeCancelHours: 24 });
    // The demo community's rules are untouched.
    const mine = await t.call({ method: 'GET', url: '/v1/staff/care/settings', headers: bearer(staff) });
    expect(mine.body.minAge).toBe(80);
  });
});

import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caregiverHours,
  caregivers,
  caregiverTimeOff,
  careProviders,
  communities,
  compounds,
  staffCommunities,
  userRoles,
  users,
} from '../../src/db/schema';
import {
  auditRows,
  bearer,
  demoCommunityId,
  freshPhone,
  inbox,
  makeStaff,
  PHONES,
  TEST_ENV,
} from '../fixtures/people';
import { setupTestApp, type TestApp } from '../helper';

type Who = { authorization: string; userId: string };
// biome-ignore lint/suspicious/noExplicitAny: response bodies are read structurally
type Body = any;

const CARE_CENTRE_OWNER = '13800000031';
const CANTEEN_OWNER = '13800000008';
const CHEN = '13800000005';
const NOBODY = '0190a5c0-0000-7000-8000-000000000000';

let t: TestApp;
let staff: Who;
let demo: string;
let demoCompounds: string[];
let otherCommunity: string;
let otherCompound: string;
beforeAll(async () => {
  t = await setupTestApp(TEST_ENV);
  staff = await t.login(PHONES.staff);
  demo = await demoCommunityId(t);
  demoCompounds = (
    await t.deps.db.select({ id: compounds.id }).from(compounds).where(eq(compounds.communityId, demo))
  ).map((c) => c.id);
  const [c] = await t.deps.db
    .insert(communities)
    .values({ name: '少城社区', city: '成都市' })
    .returning({ id: communities.id });
  otherCommunity = c!.id;
  const [cp] = await t.deps.db
    .insert(compounds)
    .values({ communityId: otherCommunity, name: '宽巷院', lat: 30.67, lng: 104.05 })
    .returning({ id: compounds.id });
  otherCompound = cp!.id;
});
afterAll(() => t?.close());

const call = (who: Who, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
  t.call({
    method,
    url,
    headers: bearer(who),
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

const applyBody = (over: Record<string, unknown> = {}) => ({
  communityId: demo,
  name: '锦城颐养护理站',
  licenseNo: '川民养证字510105-0099',
  contactPhone: '13912345678',
  description: '专业上门护理',
  ...over,
});

async function rolesOf(who: Who): Promise<string[]> {
  const me = await call(who, 'GET', '/v1/me');
  expect(me.status).toBe(200);
  return me.body.roles;
}

/** A new person with a verified provider in the demo community. */
async function verifiedProvider(): Promise<{ owner: Who; id: string }> {
  const owner = await t.login(freshPhone());
  const applied = await call(
    owner,
    'POST',
    '/v1/care/providers',
    applyBody({ name: `护理站${freshPhone()}` }),
  );
  expect(applied.status).toBe(201);
  const verified = await call(staff, 'POST', `/v1/staff/care/providers/${applied.body.id}/verify`, {});
  expect(verified.status).toBe(200);
  // Roles are read on every request: the same session now opens the console.
  return { owner, id: applied.body.id };
}

const HOURS = [
  { weekday: 1, start: '08:00', end: '12:00' },
  { weekday: 1, start: '13:30', end: '18:00' },
  { weekday: 3, start: '09:00', end: '17:00' },
];

describe('apply, verify, manage caregivers', () => {
  it('apply -> staff verify -> provider role -> caregiver by phone -> hours -> time off added and removed', async () => {
    const owner = await t.login(freshPhone());
    const applied = await call(owner, 'POST', '/v1/care/providers', applyBody());
    expect(applied.status).toBe(201);
    expect(applied.body).toMatchObject({
      status: 'pending',
      communityId: demo,
      name: '锦城颐养护理站',
      servesMeals: false,
      reviewNote: null,
    });
    const id = applied.body.id;
    expect(await auditRows(t, 'care.provider.applied', id)).toHaveLength(1);
    const staffNote = (await inbox(t, staff.userId)).filter(
      (n) => n.dedupeKey === `care.provider.pending:${id}`,
    );
    expect(staffNote).toHaveLength(1);
    expect(staffNote[0]!.body).toContain('锦城颐养护理站');

    // Pending: the owner reads the status but the console is not open yet.
    expect((await call(owner, 'GET', '/v1/provider/profile')).body).toMatchObject({ id, status: 'pending' });
    const early = await call(owner, 'GET', '/v1/provider/caregivers');
    expect(early.status).toBe(403);
    expect(await rolesOf(owner)).not.toContain('provider');

    const pending = await call(staff, 'GET', '/v1/staff/care/providers');
    expect(pending.body.items.map((p: Body) => p.id)).toContain(id);
    const verified = await call(staff, 'POST', `/v1/staff/care/providers/${id}/verify`, { note: '资质齐全' });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ id, status: 'verified', reviewNote: '资质齐全' });
    expect(await rolesOf(owner)).toContain('provider');
    expect(await auditRows(t, 'care.provider.verified', id)).toMatchObject([{ actorId: staff.userId }]);
    const told = (await inbox(t, owner.userId)).filter((n) => n.kind === 'care.provider.verified');
    expect(told).toHaveLength(1);
    expect(
      (await call(staff, 'GET', '/v1/staff/care/providers?status=verified')).body.items.map(
        (p: Body) => p.id,
      ),
    ).toContain(id);
    expect(
      (await call(staff, 'GET', '/v1/staff/care/providers')).body.items.map((p: Body) => p.id),
    ).not.toContain(id);

    // A caregiver by phone: a person nobody has seen yet.
    const phone = freshPhone();
    const added = await call(owner, 'POST', '/v1/provider/caregivers', {
      phone,
      name: '赵阿姨',
      certifications: ['caregiver', 'bathing'],
      compoundIds: demoCompounds,
      hours: HOURS,
    });
    expect(added.status).toBe(201);
    const cg = added.body;
    expect(cg).toMatchObject({
      providerId: id,
      name: '赵阿姨',
      certifications: ['caregiver', 'bathing'],
      compoundIds: [...demoCompounds].sort(),
      hours: HOURS,
      timeOff: [],
      active: true,
    });
    expect(cg.phoneMasked).toBe(`${phone.slice(0, 3)}****${phone.slice(7)}`);
    const stored = await t.deps.db
      .select({
        weekday: caregiverHours.weekday,
        startMin: caregiverHours.startMin,
        endMin: caregiverHours.endMin,
      })
      .from(caregiverHours)
      .where(eq(caregiverHours.caregiverId, cg.id));
    expect(stored.sort((a, b) => a.weekday - b.weekday || a.startMin - b.startMin)).toEqual([
      { weekday: 1, startMin: 480, endMin: 720 },
      { weekday: 1, startMin: 810, endMin: 1080 },
      { weekday: 3, startMin: 540, endMin: 1020 },
    ]);
    const person = await t.login(phone);
    expect(person.userId).toBe(cg.userId);
    expect(await rolesOf(person)).toContain('caregiver');
    const [named] = await t.deps.db.select({ name: users.name }).from(users).where(eq(users.id, cg.userId));
    expect(named!.name).toBe('赵阿姨');
    expect((await inbox(t, cg.userId)).map((n) => n.kind)).toEqual(['care.caregiver.added']);
    expect((await call(owner, 'GET', '/v1/provider/caregivers')).body.items).toEqual([cg]);

    // Hours replace the whole set.
    const updated = await call(owner, 'PATCH', `/v1/provider/caregivers/${cg.id}`, {
      hours: [{ weekday: 2, start: '09:00', end: '11:30' }],
      certifications: ['caregiver'],
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      hours: [{ weekday: 2, start: '09:00', end: '11:30' }],
      certifications: ['caregiver'],
      compoundIds: [...demoCompounds].sort(),
    });
    expect(
      await t.deps.db.select().from(caregiverHours).where(eq(caregiverHours.caregiverId, cg.id)),
    ).toMatchObject([{ weekday: 2, startMin: 540, endMin: 690 }]);
    expect(await auditRows(t, 'care.caregiver.updated', cg.id)).toHaveLength(1);

    // Time off.
    const start = new Date(t.clock.now().getTime() + 2 * 86_400_000);
    const end = new Date(start.getTime() + 8 * 3_600_000);
    const off = await call(owner, 'POST', `/v1/provider/caregivers/${cg.id}/time-off`, {
      startsAt: start.toISOString(),
      endsAt: end.toISOString(),
      reason: '体检',
    });
    expect(off.status).toBe(201);
    expect(off.body.timeOff).toEqual([
      { id: expect.any(String), startsAt: start.toISOString(), endsAt: end.toISOString(), reason: '体检' },
    ]);
    const offId = off.body.timeOff[0].id;
    const removed = await call(owner, 'DELETE', `/v1/provider/time-off/${offId}`);
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ ok: true });
    expect(await t.deps.db.select().from(caregiverTimeOff).where(eq(caregiverTimeOff.id, offId))).toEqual([]);
    expect((await call(owner, 'GET', '/v1/provider/caregivers')).body.items[0].timeOff).toEqual([]);
    expect(await auditRows(t, 'care.time_off.added', cg.id)).toHaveLength(1);
    expect(await auditRows(t, 'care.time_off.removed', cg.id)).toHaveLength(1);
    // Gone is gone.
    expect((await call(owner, 'DELETE', `/v1/provider/time-off/${offId}`)).status).toBe(404);
  });

  it('a second review is 409, and two staff verifying at once make one decision', async () => {
    const { id } = await verifiedProvider();
    const again = await call(staff, 'POST', `/v1/staff/care/providers/${id}/verify`, {});
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('CARE_PROVIDER_ALREADY_REVIEWED');
    const reject = await call(staff, 'POST', `/v1/staff/care/providers/${id}/reject`, { note: '晚了' });
    expect(reject.status).toBe(409);

    const owner = await t.login(freshPhone());
    const applied = await call(owner, 'POST', '/v1/care/providers', applyBody());
    const other = await makeStaff(t, { runsDemo: true });
    const results = await Promise.all([
      call(staff, 'POST', `/v1/staff/care/providers/${applied.body.id}/verify`, {}),
      call(other, 'POST', `/v1/staff/care/providers/${applied.body.id}/reject`, { note: '证照过期' }),
      call(staff, 'POST', `/v1/staff/care/providers/${applied.body.id}/verify`, {}),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    const decided = results.find((r) => r.status === 200)!.body.status;
    const reviews = [
      ...(await auditRows(t, 'care.provider.verified', applied.body.id)),
      ...(await auditRows(t, 'care.provider.rejected', applied.body.id)),
    ];
    expect(reviews).toHaveLength(1);
    expect((await rolesOf(owner)).includes('provider')).toBe(decided === 'verified');
    expect((await inbox(t, owner.userId)).filter((n) => n.kind.startsWith('care.provider.'))).toHaveLength(1);
  });

  it('rejection needs a reason, tells the owner and grants nothing', async () => {
    const owner = await t.login(freshPhone());
    const { body } = await call(owner, 'POST', '/v1/care/providers', applyBody());
    const noReason = await call(staff, 'POST', `/v1/staff/care/providers/${body.id}/reject`, {});
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.details.map((d: Body) => d.path)).toEqual(['body.note']);
    const res = await call(staff, 'POST', `/v1/staff/care/providers/${body.id}/reject`, {
      note: '执业许可证不清晰',
    });
    expect(res.body).toMatchObject({ status: 'rejected', reviewNote: '执业许可证不清晰' });
    expect(await rolesOf(owner)).not.toContain('provider');
    const [note] = (await inbox(t, owner.userId)).filter((n) => n.kind === 'care.provider.rejected');
    expect(note!.body).toContain('执业许可证不清晰');
  });

  it('staff of another community see none of it and get 404', async () => {
    const owner = await t.login(freshPhone());
    const { body } = await call(owner, 'POST', '/v1/care/providers', applyBody());
    const foreign = await makeStaff(t, { runsDemo: false });
    await t.deps.db.insert(staffCommunities).values({ userId: foreign.userId, communityId: otherCommunity });
    expect((await call(foreign, 'GET', '/v1/staff/care/providers')).body.items).toEqual([]);
    for (const verb of ['verify', 'reject']) {
      const res = await call(foreign, 'POST', `/v1/staff/care/providers/${body.id}/${verb}`, {
        note: '不行',
      });
      expect(res.status, verb).toBe(404);
    }
    expect((await call(owner, 'GET', '/v1/provider/profile')).body.status).toBe('pending');
    // A resident is not staff at all.
    expect((await call(owner, 'POST', `/v1/staff/care/providers/${body.id}/verify`, {})).status).toBe(403);
    // Their own community's applicant they do see.
    const local = await t.login(freshPhone());
    const mine = await call(local, 'POST', '/v1/care/providers', applyBody({ communityId: otherCommunity }));
    expect(
      (await call(foreign, 'GET', '/v1/staff/care/providers')).body.items.map((p: Body) => p.id),
    ).toEqual([mine.body.id]);
  });

  it('one provider per owner: applying twice (even at once) is 409', async () => {
    const owner = await t.login(freshPhone());
    const both = await Promise.all([
      call(owner, 'POST', '/v1/care/providers', applyBody()),
      call(owner, 'POST', '/v1/care/providers', applyBody({ name: '第二家' })),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(both.find((r) => r.status === 409)!.body.error.code).toBe('CARE_PROVIDER_EXISTS');
    const later = await call(owner, 'POST', '/v1/care/providers', applyBody({ name: '第三家' }));
    expect(later.status).toBe(409);
    expect(later.body.error.code).toBe('CARE_PROVIDER_EXISTS');
    expect(
      await t.deps.db.select().from(careProviders).where(eq(careProviders.ownerId, owner.userId)),
    ).toHaveLength(1);
  });

  it('refuses a bad application field by field', async () => {
    const owner = await t.login(freshPhone());
    const res = await call(owner, 'POST', '/v1/care/providers', applyBody({ communityId: NOBODY }));
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ path: 'body.communityId', message: 'no such community' }]);
    const bad = await call(
      owner,
      'POST',
      '/v1/care/providers',
      applyBody({ licenseNo: 'ab', contactPhone: '123' }),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: Body) => d.path).sort()).toEqual([
      'body.contactPhone',
      'body.licenseNo',
    ]);
    expect((await call(owner, 'GET', '/v1/provider/profile')).body.error.code).toBe(
      'CARE_PROVIDER_NOT_FOUND',
    );
  });
});

describe('the provider console guards', () => {
  it("another provider's owner touching your caregiver or time off gets 404 and changes nothing", async () => {
    const centre = await t.login(CARE_CENTRE_OWNER);
    const canteen = await t.login(CANTEEN_OWNER);
    const list = (await call(centre, 'GET', '/v1/provider/caregivers')).body.items as Body[];
    const chen = list.find((c) => c.name === '陈护理')!;
    const start = new Date(t.clock.now().getTime() + 5 * 86_400_000);
    const off = await call(centre, 'POST', `/v1/provider/caregivers/${chen.id}/time-off`, {
      startsAt: start.toISOString(),
      endsAt: new Date(start.getTime() + 3_600_000).toISOString(),
    });
    expect(off.status).toBe(201);
    const offId = off.body.timeOff.at(-1).id;

    const attempts = [
      call(canteen, 'PATCH', `/v1/provider/caregivers/${chen.id}`, { hours: [] }),
      call(canteen, 'POST', `/v1/provider/caregivers/${chen.id}/time-off`, {
        startsAt: start.toISOString(),
        endsAt: new Date(start.getTime() + 7_200_000).toISOString(),
      }),
      call(canteen, 'DELETE', `/v1/provider/time-off/${offId}`),
      call(canteen, 'PATCH', `/v1/provider/caregivers/${NOBODY}`, { active: false }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
    const after = (await call(centre, 'GET', '/v1/provider/caregivers')).body.items.find(
      (c: Body) => c.id === chen.id,
    );
    expect(after.hours).toEqual(chen.hours);
    expect(after.timeOff.map((o: Body) => o.id)).toEqual([...chen.timeOff.map((o: Body) => o.id), offId]);
    expect((await call(centre, 'DELETE', `/v1/provider/time-off/${offId}`)).status).toBe(200);
    // The canteen's own list has none of them.
    expect((await call(canteen, 'GET', '/v1/provider/caregivers')).body.items).toEqual([]);
  });

  it("someone else's caregiver is CAREGIVER_TAKEN; your own twice is CAREGIVER_EXISTS", async () => {
    const canteen = await t.login(CANTEEN_OWNER);
    const body = {
      phone: CHEN,
      name: '陈护理',
      certifications: ['caregiver'],
      compoundIds: demoCompounds,
      hours: [],
    };
    const taken = await call(canteen, 'POST', '/v1/provider/caregivers', body);
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('CAREGIVER_TAKEN');
    const centre = await t.login(CARE_CENTRE_OWNER);
    const own = await call(centre, 'POST', '/v1/provider/caregivers', body);
    expect(own.status).toBe(409);
    expect(own.body.error.code).toBe('CAREGIVER_EXISTS');

    // Two providers adding the same new person at once: one wins.
    const { owner } = await verifiedProvider();
    const phone = freshPhone();
    const race = await Promise.all(
      [canteen, owner].map((who) =>
        call(who, 'POST', '/v1/provider/caregivers', { ...body, phone, name: '新人' }),
      ),
    );
    expect(race.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(race.find((r) => r.status === 409)!.body.error.code).toBe('CAREGIVER_TAKEN');
    const person = await t.login(phone);
    expect(
      await t.deps.db.select().from(caregivers).where(eq(caregivers.userId, person.userId)),
    ).toHaveLength(1);
  });

  it("compounds outside the provider's community, overlapping or malformed hours: field-level 400", async () => {
    const { owner } = await verifiedProvider();
    const base = {
      phone: freshPhone(),
      name: '钱护理',
      certifications: ['nurse'],
      compoundIds: demoCompounds,
      hours: HOURS,
    };
    const cases: [Record<string, unknown>, string][] = [
      [{ compoundIds: [demoCompounds[0], otherCompound] }, 'body.compoundIds.1'],
      [{ compoundIds: [NOBODY] }, 'body.compoundIds.0'],
      [{ compoundIds: [] }, 'body.compoundIds'],
      [{ hours: [...HOURS, { weekday: 1, start: '11:00', end: '14:00' }] }, 'body.hours.3'],
      [{ hours: [{ weekday: 8, start: '08:00', end: '12:00' }] }, 'body.hours.0.weekday'],
      [{ hours: [{ weekday: 1, start: '8:00', end: '12:00' }] }, 'body.hours.0.start'],
      [{ hours: [{ weekday: 1, start: '12:00', end: '08:00' }] }, 'body.hours.0.end'],
      [{ certifications: ['astronaut'] }, 'body.certifications.0'],
    ];
    for (const [over, path] of cases) {
      const res = await call(owner, 'POST', '/v1/provider/caregivers', { ...base, ...over });
      expect(res.status, JSON.stringify(over)).toBe(400);
      expect(
        res.body.error.details.map((d: Body) => d.path),
        JSON.stringify(over),
      ).toContain(path);
    }
    expect((await call(owner, 'GET', '/v1/provider/caregivers')).body.items).toEqual([]);
    // Nobody was made a caregiver by the refused attempts.
    const [u] = await t.deps.db.select({ id: users.id }).from(users).where(eq(users.phone, base.phone));
    if (u) expect(await t.deps.db.select().from(userRoles).where(eq(userRoles.userId, u.id))).toEqual([]);

    const ok = await call(owner, 'POST', '/v1/provider/caregivers', base);
    expect(ok.status).toBe(201);
    const patch = await call(owner, 'PATCH', `/v1/provider/caregivers/${ok.body.id}`, {
      compoundIds: [otherCompound],
    });
    expect(patch.status).toBe(400);
    expect(patch.body.error.details).toEqual([
      { path: 'body.compoundIds.0', message: "not in the provider's community" },
    ]);
    const past = await call(owner, 'POST', `/v1/provider/caregivers/${ok.body.id}/time-off`, {
      startsAt: new Date(t.clock.now().getTime() - 7_200_000).toISOString(),
      endsAt: new Date(t.clock.now().getTime() - 3_600_000).toISOString(),
    });
    expect(past.status).toBe(400);
    expect(past.body.error.details.map((d: Body) => d.path)).toEqual(['body.endsAt']);
    const backwards = await call(owner, 'POST', `/v1/provider/caregivers/${ok.body.id}/time-off`, {
      startsAt: new Date(t.clock.now().getTime() + 7_200_000).toISOString(),
      endsAt: new Date(t.clock.now().getTime() + 3_600_000).toISOString(),
    });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.details.map((d: Body) => d.path)).toEqual(['body.endsAt']);
    expect((await call(owner, 'GET', '/v1/provider/caregivers')).body.items[0]).toMatchObject({
      compoundIds: [...demoCompounds].sort(),
      timeOff: [],
    });
  });

  it('the console is only for the owner of a verified provider', async () => {
    // The role without a provider.
    const roleOnly = await t.login(freshPhone());
    await t.deps.db.insert(userRoles).values({ userId: roleOnly.userId, role: 'provider' });
    const none = await call(roleOnly, 'GET', '/v1/provider/caregivers');
    expect(none.status).toBe(404);
    expect(none.body.error.code).toBe('CARE_PROVIDER_NOT_FOUND');
    // A suspended provider keeps the role but not the console.
    const { owner, id } = await verifiedProvider();
    await t.deps.db.update(careProviders).set({ status: 'suspended' }).where(eq(careProviders.id, id));
    for (const res of [
      await call(owner, 'GET', '/v1/provider/caregivers'),
      await call(owner, 'POST', '/v1/provider/caregivers', {
        phone: freshPhone(),
        name: '孙护理',
        certifications: [],
        compoundIds: demoCompounds,
        hours: [],
      }),
    ]) {
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('CARE_PROVIDER_NOT_VERIFIED');
    }
    expect((await call(owner, 'GET', '/v1/provider/profile')).body.status).toBe('suspended');
    // A plain resident has no provider role.
    const resident = await t.login(PHONES.resident);
    expect((await call(resident, 'GET', '/v1/provider/caregivers')).status).toBe(403);
  });
});

describe('the seeded providers', () => {
  it('黌门街居家养老服务中心 has its three caregivers on the demo week in all three compounds', async () => {
    const centre = await t.login(CARE_CENTRE_OWNER);
    const profile = await call(centre, 'GET', '/v1/provider/profile');
    expect(profile.body).toMatchObject({
      name: '黌门街居家养老服务中心',
      status: 'verified',
      communityId: demo,
    });
    const items = (await call(centre, 'GET', '/v1/provider/caregivers')).body.items as Body[];
    expect(items.map((c) => [c.name, c.certifications])).toEqual([
      ['陈护理', ['caregiver', 'bathing', 'nurse']],
      ['刘护理', ['caregiver', 'bathing']],
      ['王护士', ['nurse', 'rehab']],
    ]);
    const week = [1, 2, 3, 4, 5, 6].flatMap((weekday) => [
      { weekday, start: '08:00', end: '12:00' },
      { weekday, start: '13:30', end: '18:00' },
    ]);
    for (const c of items) {
      expect(c.hours).toEqual(week);
      expect(c.compoundIds).toEqual([...demoCompounds].sort());
      expect(c.active).toBe(true);
    }
    for (const phone of ['13800000032', '13800000033'])
      expect(await rolesOf(await t.login(phone))).toEqual(['caregiver']);
  });

  it('黌门街长者食堂 is a verified meal provider run by the canteen owner', async () => {
    const canteen = await t.login(CANTEEN_OWNER);
    expect((await rolesOf(canteen)).sort()).toEqual(['merchant', 'provider']);
    const profile = await call(canteen, 'GET', '/v1/provider/profile');
    expect(profile.body).toMatchObject({ name: '黌门街长者食堂', status: 'verified', servesMeals: true });
  });
});

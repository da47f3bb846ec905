import { randomBytes } from 'node:crypto';
import type { Job } from 'bullmq';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activitySignups,
  communities,
  compounds,
  emergencyTeamMembers,
  notifications,
  outbox,
  staffCommunities,
  teamActivations,
  timeBankAccounts,
  timeBankLedger,
  userRoles,
  volunteerActivities,
  volunteers,
  wechatDeliveries,
} from '../../src/db/schema';
import { DEMO_COMMUNITY } from '../../src/demo';
import { processorFor } from '../fixtures/jobs';
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

const volunteerJobs = processorFor('volunteers');
type Who = { authorization: string; userId: string };

let t: TestApp;
let staff: Who;
let communityId: string;
let compoundId: string;
/** Another community with its own compound, staff and volunteer (for foreign tokens). */
let other: { communityId: string; compoundId: string; staff: Who; volunteer: Who };

// Monday 7 December 2026, 10:00 in Shanghai.
const NOW = new Date('2026-12-07T10:00:00+08:00');
const H = 3600_000;
const at = (ms: number) => new Date(NOW.getTime() + ms);
const tag = () => randomBytes(3).toString('hex');

/** A fresh user with a verified volunteer profile (and the role) in a community. */
async function makeVolunteer(
  opts: { communityId?: string; compoundId?: string; name?: string; status?: 'verified' | 'pending' } = {},
): Promise<Who & { name: string }> {
  const who = await t.login(freshPhone());
  const name = opts.name ?? `测${tag()}`;
  await t.deps.db.insert(volunteers).values({
    userId: who.userId,
    communityId: opts.communityId ?? communityId,
    compoundId: opts.compoundId ?? compoundId,
    realName: name,
    idTail: '1234',
    skills: ['errands'],
    status: opts.status ?? 'verified',
  });
  if ((opts.status ?? 'verified') === 'verified')
    await t.deps.db.insert(userRoles).values({ userId: who.userId, role: 'volunteer' }).onConflictDoNothing();
  return { ...who, name };
}

async function newActivity(over: Record<string, unknown> = {}, as: Who = staff) {
  const startsAt = (over.startsAt as string | undefined) ?? at(48 * H).toISOString();
  const res = await t.call({
    method: 'POST',
    url: '/v1/staff/activities',
    headers: bearer(as),
    payload: {
      title: `社区清洁日${tag()}`,
      place: '小区中心广场',
      startsAt,
      endsAt: new Date(Date.parse(startsAt) + 2 * H).toISOString(),
      capacity: 3,
      creditMin: 90,
      ...over,
    },
  });
  return res;
}

async function created(over: Record<string, unknown> = {}) {
  const res = await newActivity(over);
  expect(res.status).toBe(201);
  return res.body as { id: string; checkinCode: string; startsAt: string; endsAt: string; creditMin: number };
}

const signUp = (who: Who, id: string) =>
  t.call({ method: 'POST', url: `/v1/volunteer/activities/${id}/signup`, headers: bearer(who), payload: {} });
const cancelSignup = (who: Who, id: string) =>
  t.call({ method: 'POST', url: `/v1/volunteer/activities/${id}/cancel`, headers: bearer(who), payload: {} });
const checkIn = (who: Who, id: string, code: string) =>
  t.call({
    method: 'POST',
    url: `/v1/volunteer/activities/${id}/check-in`,
    headers: bearer(who),
    payload: { code },
  });
const checkOut = (who: Who, id: string) =>
  t.call({
    method: 'POST',
    url: `/v1/volunteer/activities/${id}/check-out`,
    headers: bearer(who),
    payload: {},
  });
const roster = (who: Who, id: string) =>
  t.call({ method: 'GET', url: `/v1/staff/activities/${id}/roster`, headers: bearer(who) });

async function signupRows(activityId: string) {
  return t.deps.db.select().from(activitySignups).where(eq(activitySignups.activityId, activityId));
}

/** The activity's queued reminder jobs, as the outbox holds them. */
async function reminderJobs(activityId: string) {
  return (await t.deps.db.select().from(outbox)).filter(
    (r) =>
      r.jobName === 'volunteers.activityReminder' &&
      (r.payload as { activityId?: string }).activityId === activityId,
  );
}

const runJob = (name: string, data: unknown) =>
  volunteerJobs.process({ name, data } as unknown as Job, t.deps);

beforeAll(async () => {
  t = await setupTestApp(TEST_ENV);
  t.clock.set(NOW);
  staff = await t.login(PHONES.staff);
  communityId = await demoCommunityId(t);
  const [c] = await t.deps.db.select().from(compounds).where(eq(compounds.communityId, communityId)).limit(1);
  compoundId = c!.id;
  const [oc] = await t.deps.db
    .insert(communities)
    .values({ name: `别的社区${tag()}`, city: '成都' })
    .returning({ id: communities.id });
  const [ocp] = await t.deps.db
    .insert(compounds)
    .values({ communityId: oc!.id, name: '别的小区' })
    .returning({ id: compounds.id });
  const otherStaff = await makeStaff(t, { runsDemo: false });
  await t.deps.db.insert(staffCommunities).values({ userId: otherStaff.userId, communityId: oc!.id });
  other = {
    communityId: oc!.id,
    compoundId: ocp!.id,
    staff: otherStaff,
    volunteer: await makeVolunteer({ communityId: oc!.id, compoundId: ocp!.id }),
  };
}, 60_000);
afterAll(async () => {
  await t?.close();
});

describe('posting an activity', () => {
  it('names the community as organiser, shows the code to staff only, and queues both reminders', async () => {
    const a = await created();
    expect(a.checkinCode).toMatch(/^\d{6}$/);
    const row = (
      await t.deps.db.select().from(volunteerActivities).where(eq(volunteerActivities.id, a.id))
    )[0]!;
    expect(row.organiserName).toBe(DEMO_COMMUNITY);
    expect(row.communityId).toBe(communityId);

    const v = await makeVolunteer();
    const list = await t.call({ method: 'GET', url: '/v1/volunteer/activities', headers: bearer(v) });
    expect(list.status).toBe(200);
    const seen = list.body.items.find((i: { id: string }) => i.id === a.id);
    expect(seen).toMatchObject({ checkinCode: null, mine: null, signedUp: 0, capacity: 3 });

    const staffList = await t.call({ method: 'GET', url: '/v1/staff/activities', headers: bearer(staff) });
    expect(staffList.body.items.find((i: { id: string }) => i.id === a.id).checkinCode).toBe(a.checkinCode);

    const jobs = await reminderJobs(a.id);
    expect(jobs.map((j) => (j.payload as { kind: string }).kind).sort()).toEqual(['1h', '24h']);
    // Due a day before the start (the test clock ticks on from NOW while the test runs).
    expect(
      Math.abs(jobs.find((j) => (j.payload as { kind: string }).kind === '24h')!.delayMs - 24 * H),
    ).toBeLessThan(60_000);
    expect(await auditRows(t, 'activity.created', a.id)).toHaveLength(1);
  });

  it('takes a named organiser, skips reminders already past, and refuses a start in the past', async () => {
    const soon = await created({ organiserName: '红十字志愿服务队', startsAt: at(2 * H).toISOString() });
    const row = (
      await t.deps.db.select().from(volunteerActivities).where(eq(volunteerActivities.id, soon.id))
    )[0]!;
    expect(row.organiserName).toBe('红十字志愿服务队');
    expect((await reminderJobs(soon.id)).map((j) => (j.payload as { kind: string }).kind)).toEqual(['1h']);

    const past = await newActivity({ startsAt: at(-H).toISOString() });
    expect(past.status).toBe(400);
    expect(past.body.error.details[0].path).toBe('body.startsAt');
  });
});

describe('capacity and the waitlist', () => {
  it('8 volunteers at once for 3 places: exactly 3 signed up, the other 5 waitlisted in order', async () => {
    const a = await created({ capacity: 3 });
    const people = await Promise.all(Array.from({ length: 8 }, () => makeVolunteer()));
    const results = await Promise.all(people.map((p) => signUp(p, a.id)));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));

    const rows = await signupRows(a.id);
    expect(rows).toHaveLength(8);
    expect(rows.filter((r) => r.status === 'signed_up')).toHaveLength(3);
    expect(rows.filter((r) => r.status === 'waitlisted')).toHaveLength(5);
    // Numbered one at a time: 1..8, and the places went to the first three numbers.
    expect(rows.map((r) => r.seq).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const bySeq = [...rows].sort((x, y) => x.seq - y.seq);
    expect(bySeq.map((r) => r.status)).toEqual([
      ...Array(3).fill('signed_up'),
      ...Array(5).fill('waitlisted'),
    ]);

    // Each waitlisted volunteer sees their own place in the queue, matching the roster.
    for (const r of results) {
      const mine = r.body.mine;
      const row = rows.find((x) => x.volunteerId === people[results.indexOf(r)]!.userId)!;
      expect(mine.status).toBe(row.status);
      expect(mine.waitlistPosition).toBe(row.status === 'waitlisted' ? row.seq - 3 : null);
    }
    // Asked again once everyone is in: each sees their own place in this activity's queue.
    for (const p of people) {
      const seen = await t.call({ method: 'GET', url: '/v1/volunteer/activities', headers: bearer(p) });
      const row = rows.find((x) => x.volunteerId === p.userId)!;
      expect(seen.body.items.find((i: { id: string }) => i.id === a.id).mine.waitlistPosition).toBe(
        row.status === 'waitlisted' ? row.seq - 3 : null,
      );
    }
    const list = await roster(staff, a.id);
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: { waitlistPosition: number | null }) => i.waitlistPosition)).toEqual([
      null,
      null,
      null,
      1,
      2,
      3,
      4,
      5,
    ]);
    const after = await signUp(people[0]!, a.id);
    expect(after.body).toMatchObject({ signedUp: 3, waitlisted: 5 });
  });

  it('one volunteer tapping twice at once holds one sign-up', async () => {
    const a = await created({ capacity: 2 });
    const v = await makeVolunteer();
    const both = await Promise.all([signUp(v, a.id), signUp(v, a.id)]);
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    expect(await signupRows(a.id)).toHaveLength(1);
  });

  it('a place given up goes at once to the first waitlisted, who is told; leaving the waitlist just leaves it', async () => {
    const a = await created({ capacity: 1 });
    const [first, second, third] = [await makeVolunteer(), await makeVolunteer(), await makeVolunteer()];
    for (const v of [first, second, third]) expect((await signUp(v, a.id)).status).toBe(200);
    expect((await signUp(third, a.id)).body.mine).toEqual({ status: 'waitlisted', waitlistPosition: 2 });

    // The second leaves the waitlist: nobody is promoted, the third moves up.
    const left = await cancelSignup(second, a.id);
    expect(left.body.mine).toEqual({ status: 'cancelled', waitlistPosition: null });
    expect((await signUp(first, a.id)).body).toMatchObject({ signedUp: 1, waitlisted: 1 });
    const third1 = await t.call({ method: 'GET', url: '/v1/volunteer/activities', headers: bearer(third) });
    expect(third1.body.items.find((i: { id: string }) => i.id === a.id).mine.waitlistPosition).toBe(1);

    // The first gives up the place: the third has it now, and hears so.
    const before = (await inbox(t, third.userId)).length;
    const gone = await cancelSignup(first, a.id);
    expect(gone.status).toBe(200);
    const rows = await signupRows(a.id);
    expect(Object.fromEntries(rows.map((r) => [r.volunteerId, r.status]))).toEqual({
      [first.userId]: 'cancelled',
      [second.userId]: 'cancelled',
      [third.userId]: 'signed_up',
    });
    const told = (await inbox(t, third.userId)).filter((n) => n.kind === 'activity.promoted');
    expect(told).toHaveLength(1);
    expect((await inbox(t, third.userId)).length).toBe(before + 1);
    expect((await inbox(t, second.userId)).filter((n) => n.kind === 'activity.promoted')).toHaveLength(0);
    // A replayed cancel changes nothing and promotes nobody else.
    expect((await cancelSignup(first, a.id)).status).toBe(200);
    // Signing up again goes to the back of the queue.
    const again = await signUp(first, a.id);
    expect(again.body.mine).toEqual({ status: 'waitlisted', waitlistPosition: 1 });
  });

  it('two places given up at once promote exactly the first two waitlisted', async () => {
    const a = await created({ capacity: 2 });
    const people = [];
    for (let i = 0; i < 5; i++) {
      const v = await makeVolunteer();
      await signUp(v, a.id);
      people.push(v);
    }
    await Promise.all([cancelSignup(people[0]!, a.id), cancelSignup(people[1]!, a.id)]);
    const status = new Map((await signupRows(a.id)).map((r) => [r.volunteerId, r.status]));
    expect(people.map((p) => status.get(p.userId))).toEqual([
      'cancelled',
      'cancelled',
      'signed_up',
      'signed_up',
      'waitlisted',
    ]);
  });
});

describe('check-in and check-out', () => {
  it('refuses check-in before the window, with a wrong code, from the waitlist, and after the end', async () => {
    const a = await created({ capacity: 1, startsAt: at(2 * H).toISOString() });
    const v = await makeVolunteer();
    const waiting = await makeVolunteer();
    await signUp(v, a.id);
    await signUp(waiting, a.id);
    try {
      t.clock.set(new Date(Date.parse(a.startsAt) - 31 * 60_000));
      const early = await checkIn(v, a.id, a.checkinCode);
      expect(early.status).toBe(409);
      expect(early.body.error.code).toBe('ACTIVITY_CHECKIN_NOT_OPEN');

      t.clock.set(new Date(Date.parse(a.startsAt) - 30 * 60_000));
      const wrong = a.checkinCode === '000000' ? '000001' : '000000';
      const bad = await checkIn(v, a.id, wrong);
      expect(bad.status).toBe(422);
      expect(bad.body.error.code).toBe('ACTIVITY_CODE_INVALID');
      expect(bad.body.error.details[0].path).toBe('body.code');
      const fromWaitlist = await checkIn(waiting, a.id, a.checkinCode);
      expect(fromWaitlist.body.error.code).toBe('ACTIVITY_NOT_SIGNED_UP');
      expect((await signupRows(a.id)).every((r) => r.checkedInAt === null)).toBe(true);

      const ok = await checkIn(v, a.id, a.checkinCode);
      expect(ok.status).toBe(200);
      expect(ok.body.mine.status).toBe('checked_in');

      t.clock.set(new Date(a.endsAt));
      const other = await makeVolunteer();
      const late = await checkIn(other, a.id, a.checkinCode);
      expect(late.status).toBe(409);
      expect(late.body.error.code).toBe('ACTIVITY_CHECKIN_CLOSED');
    } finally {
      t.clock.set(NOW);
    }
  });

  it('locks code entry after five wrong codes, even for the right one', async () => {
    const a = await created({ startsAt: at(10 * 60_000).toISOString() });
    const v = await makeVolunteer();
    await signUp(v, a.id);
    const wrong = a.checkinCode === '111111' ? '222222' : '111111';
    // A burst at once gets no more tries than one after another.
    const burst = await Promise.all(Array.from({ length: 8 }, () => checkIn(v, a.id, wrong)));
    expect(burst.filter((r) => r.status === 422)).toHaveLength(5);
    expect(burst.filter((r) => r.status === 423)).toHaveLength(3);
    const right = await checkIn(v, a.id, a.checkinCode);
    expect(right.status).toBe(423);
    expect(right.body.error.code).toBe('CODE_ENTRY_LOCKED');
  });

  it('check-out after check-in credits the minutes once; a replay and a double tap credit nothing more', async () => {
    const a = await created({ startsAt: at(20 * 60_000).toISOString(), creditMin: 90 });
    const v = await makeVolunteer();
    await signUp(v, a.id);
    const before = await checkOut(v, a.id);
    expect(before.status).toBe(409);
    expect(before.body.error.code).toBe('ACTIVITY_NOT_CHECKED_IN');
    expect((await checkIn(v, a.id, a.checkinCode)).status).toBe(200);
    // Checked in early: checking out before the start would bank time for nothing.
    expect((await checkOut(v, a.id)).body.error.code).toBe('ACTIVITY_NOT_STARTED');
    try {
      t.clock.set(new Date(Date.parse(a.startsAt) + H));
      const both = await Promise.all([checkOut(v, a.id), checkOut(v, a.id)]);
      expect(both.map((r) => r.status)).toEqual([200, 200]);
      expect(both[0]!.body.mine.status).toBe('checked_out');
      const replay = await checkOut(v, a.id);
      expect(replay.status).toBe(200);
      const ledger = await t.deps.db.select().from(timeBankLedger).where(eq(timeBankLedger.userId, v.userId));
      expect(ledger).toHaveLength(1);
      expect(ledger[0]).toMatchObject({
        kind: 'credit',
        deltaMin: 90,
        activityId: a.id,
        dedupeKey: `activity:${a.id}:${v.userId}`,
      });
      const [acct] = await t.deps.db
        .select()
        .from(timeBankAccounts)
        .where(eq(timeBankAccounts.userId, v.userId));
      expect(acct).toMatchObject({ balanceMin: 90, earnedMin: 90 });
      const bank = await t.call({ method: 'GET', url: '/v1/volunteer/time-bank', headers: bearer(v) });
      expect(bank.body.balanceMin).toBe(90);
      // A checked-in volunteer cannot cancel out of it afterwards.
      expect((await cancelSignup(v, a.id)).body.error.code).toBe('ACTIVITY_ALREADY_CHECKED_IN');
    } finally {
      t.clock.set(NOW);
    }
  });
});

describe('reminders and cancelling', () => {
  it('reminders reach those holding a place once, wait when early, and do nothing for another time or after a cancel', async () => {
    const a = await created({ capacity: 1 });
    const holder = await makeVolunteer();
    const waiting = await makeVolunteer();
    await signUp(holder, a.id);
    await signUp(waiting, a.id);
    const jobs = await reminderJobs(a.id);
    const day = jobs.find((j) => (j.payload as { kind: string }).kind === '24h')!;
    const hour = jobs.find((j) => (j.payload as { kind: string }).kind === '1h')!;
    const start = Date.parse(a.startsAt);
    try {
      // Early: nothing now, and it queues itself again for the time left.
      expect(await runJob(day.jobName, day.payload)).toBe(0);
      expect(await reminderJobs(a.id)).toHaveLength(3);

      t.clock.set(new Date(start - 24 * H));
      expect(await runJob(day.jobName, day.payload)).toBe(1);
      expect(await runJob(day.jobName, day.payload)).toBe(0);
      const dayNotes = (await inbox(t, holder.userId)).filter((n) => n.kind === 'activity.reminder.24h');
      expect(dayNotes).toHaveLength(1);
      expect(
        (await inbox(t, waiting.userId)).filter((n) => n.kind.startsWith('activity.reminder')),
      ).toHaveLength(0);
      // A job for a start the activity never had sends nothing.
      expect(
        await runJob(hour.jobName, {
          ...(hour.payload as object),
          startsAt: new Date(start + H).toISOString(),
        }),
      ).toBe(0);

      const cancelled = await t.call({
        method: 'POST',
        url: `/v1/staff/activities/${a.id}/cancel`,
        headers: bearer(staff),
        payload: {},
      });
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.cancelled).toBe(true);

      t.clock.set(new Date(start - H));
      expect(await runJob(hour.jobName, hour.payload)).toBe(0);
      expect((await inbox(t, holder.userId)).filter((n) => n.kind === 'activity.reminder.1h')).toHaveLength(
        0,
      );
    } finally {
      t.clock.set(NOW);
    }
  });

  it('a cancelled activity tells everyone signed up or waitlisted, once, and takes no sign-ups', async () => {
    const a = await created({ capacity: 1 });
    const holder = await makeVolunteer();
    const waiting = await makeVolunteer();
    const leaver = await makeVolunteer();
    for (const v of [holder, waiting, leaver]) await signUp(v, a.id);
    await cancelSignup(leaver, a.id);

    const res = await t.call({
      method: 'POST',
      url: `/v1/staff/activities/${a.id}/cancel`,
      headers: bearer(staff),
      payload: {},
    });
    expect(res.status).toBe(200);
    const again = await t.call({
      method: 'POST',
      url: `/v1/staff/activities/${a.id}/cancel`,
      headers: bearer(staff),
      payload: {},
    });
    expect(again.status).toBe(200);

    const notes = await t.deps.db
      .select()
      .from(notifications)
      .where(
        and(
          eq(notifications.kind, 'activity.cancelled'),
          inArray(notifications.userId, [holder.userId, waiting.userId, leaver.userId]),
        ),
      );
    expect(notes.map((n) => n.userId).sort()).toEqual([holder.userId, waiting.userId].sort());
    // The one holding a place would come: they get a subscribe message as well.
    const pushes = await t.deps.db
      .select()
      .from(wechatDeliveries)
      .where(
        inArray(
          wechatDeliveries.notificationId,
          notes.map((n) => n.id),
        ),
      );
    expect(pushes).toHaveLength(1);
    expect(pushes[0]!.notificationId).toBe(notes.find((n) => n.userId === holder.userId)!.id);
    expect(await auditRows(t, 'activity.cancelled', a.id)).toHaveLength(1);

    const late = await signUp(await makeVolunteer(), a.id);
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('ACTIVITY_CANCELLED');
  });
});

describe('who may touch an activity', () => {
  it('a resident, a volunteer of no community and a volunteer of another community cannot sign up or see the roster', async () => {
    const a = await created();
    const resident = await t.login(PHONES.resident);
    expect((await signUp(resident, a.id)).status).toBe(403);
    expect((await roster(resident, a.id)).status).toBe(403);

    // The volunteer role but no profile (say, one removed): told to register.
    const bare = await t.login(freshPhone());
    await t.deps.db.insert(userRoles).values({ userId: bare.userId, role: 'volunteer' });
    expect((await signUp(bare, a.id)).status).toBe(403);

    const foreign = await signUp(other.volunteer, a.id);
    expect(foreign.status).toBe(404);
    const theirList = await t.call({
      method: 'GET',
      url: '/v1/volunteer/activities',
      headers: bearer(other.volunteer),
    });
    expect(theirList.body.items.some((i: { id: string }) => i.id === a.id)).toBe(false);
    expect((await checkIn(other.volunteer, a.id, a.checkinCode)).status).toBe(404);

    const v = await makeVolunteer();
    expect((await roster(v, a.id)).status).toBe(403);
    expect((await newActivity({}, v)).status).toBe(403);
    expect(await signupRows(a.id)).toHaveLength(0);
  });

  it('staff of another community get 404 on the roster and the cancel, and the activity stays as it was', async () => {
    const a = await created();
    expect((await roster(other.staff, a.id)).status).toBe(404);
    const res = await t.call({
      method: 'POST',
      url: `/v1/staff/activities/${a.id}/cancel`,
      headers: bearer(other.staff),
      payload: {},
    });
    expect(res.status).toBe(404);
    const [row] = await t.deps.db.select().from(volunteerActivities).where(eq(volunteerActivities.id, a.id));
    expect(row!.cancelledAt).toBeNull();
    const theirs = await t.call({ method: 'GET', url: '/v1/staff/activities', headers: bearer(other.staff) });
    expect(theirs.body.items.some((i: { id: string }) => i.id === a.id)).toBe(false);
    // Staff who run no community cannot post one.
    const nobody = await makeStaff(t, { runsDemo: false });
    expect((await newActivity({}, nobody)).status).toBe(403);
  });
});

describe('emergency teams', () => {
  async function team(volunteerIds: string[], name = '防汛应急队') {
    return t.call({
      method: 'POST',
      url: '/v1/staff/emergency-teams',
      headers: bearer(staff),
      payload: { name, volunteerIds },
    });
  }

  it('takes only verified volunteers of the community; edits name and members', async () => {
    const [a, b, c] = [
      await makeVolunteer({ name: '甲志愿' }),
      await makeVolunteer({ name: '乙志愿' }),
      await makeVolunteer(),
    ];
    const pending = await makeVolunteer({ status: 'pending' });
    for (const bad of [other.volunteer.userId, pending.userId]) {
      const res = await team([a.userId, bad]);
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('TEAM_MEMBER_NOT_VOLUNTEER');
    }
    const made = await team([a.userId, b.userId]);
    expect(made.status).toBe(201);
    expect(made.body.members.map((m: { name: string }) => m.name).sort()).toEqual(
      ['乙志愿', '甲志愿'].sort(),
    );

    const edited = await t.call({
      method: 'PATCH',
      url: `/v1/staff/emergency-teams/${made.body.id}`,
      headers: bearer(staff),
      payload: { name: '夜间应急队', volunteerIds: [b.userId, c.userId] },
    });
    expect(edited.status).toBe(200);
    expect(edited.body.name).toBe('夜间应急队');
    expect(edited.body.members.map((m: { volunteerId: string }) => m.volunteerId).sort()).toEqual(
      [b.userId, c.userId].sort(),
    );
    const list = await t.call({ method: 'GET', url: '/v1/staff/emergency-teams', headers: bearer(staff) });
    expect(list.body.items.find((x: { id: string }) => x.id === made.body.id).members).toHaveLength(2);
  });

  it('one activation tells every member once: one activation row, an inbox notice and a subscribe message each, audited', async () => {
    const members = [await makeVolunteer(), await makeVolunteer(), await makeVolunteer()];
    const made = await team(members.map((m) => m.userId));
    const id = made.body.id;
    const message = '小区东门积水严重，请应急队员 20 分钟内到物业集合，带好雨具和手电';
    const res = await t.call({
      method: 'POST',
      url: `/v1/staff/emergency-teams/${id}/activate`,
      headers: bearer(staff),
      payload: { message },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ told: 3 });
    const rows = await t.deps.db.select().from(teamActivations).where(eq(teamActivations.teamId, id));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ message, activatedBy: staff.userId });
    const notes = await t.deps.db
      .select()
      .from(notifications)
      .where(
        and(
          eq(notifications.kind, 'emergency_team.activated'),
          inArray(
            notifications.userId,
            members.map((m) => m.userId),
          ),
        ),
      );
    expect(notes.map((n) => n.userId).sort()).toEqual(members.map((m) => m.userId).sort());
    expect(notes.every((n) => n.body === message)).toBe(true);
    const pushes = await t.deps.db
      .select()
      .from(wechatDeliveries)
      .where(
        inArray(
          wechatDeliveries.notificationId,
          notes.map((n) => n.id),
        ),
      );
    expect(pushes).toHaveLength(3);
    expect((pushes[0]!.data as Record<string, string>).thing1!.length).toBeLessThanOrEqual(20);
    const logged = await auditRows(t, 'emergency_team.activated', id);
    expect(logged).toHaveLength(1);

    const tooLong = await t.call({
      method: 'POST',
      url: `/v1/staff/emergency-teams/${id}/activate`,
      headers: bearer(staff),
      payload: { message: '急'.repeat(111) },
    });
    expect(tooLong.status).toBe(400);
  });

  it('an empty team cannot be called out; staff of another community and volunteers get no access', async () => {
    const empty = await team([]);
    const res = await t.call({
      method: 'POST',
      url: `/v1/staff/emergency-teams/${empty.body.id}/activate`,
      headers: bearer(staff),
      payload: { message: '集合' },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('TEAM_EMPTY');

    const member = await makeVolunteer();
    const made = await team([member.userId]);
    const foreign = await t.call({
      method: 'POST',
      url: `/v1/staff/emergency-teams/${made.body.id}/activate`,
      headers: bearer(other.staff),
      payload: { message: '集合' },
    });
    expect(foreign.status).toBe(404);
    const rename = await t.call({
      method: 'PATCH',
      url: `/v1/staff/emergency-teams/${made.body.id}`,
      headers: bearer(other.staff),
      payload: { name: '改名', volunteerIds: [] },
    });
    expect(rename.status).toBe(404);
    expect(
      await t.deps.db
        .select()
        .from(emergencyTeamMembers)
        .where(eq(emergencyTeamMembers.teamId, made.body.id)),
    ).toHaveLength(1);
    const byVolunteer = await t.call({
      method: 'POST',
      url: `/v1/staff/emergency-teams/${made.body.id}/activate`,
      headers: bearer(member),
      payload: { message: '集合' },
    });
    expect(byVolunteer.status).toBe(403);
    expect(
      await t.deps.db.select().from(teamActivations).where(eq(teamActivations.teamId, made.body.id)),
    ).toHaveLength(0);
  });
});

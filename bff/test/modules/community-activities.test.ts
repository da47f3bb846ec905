import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { communitySignups, interestGroups, notifications } from '../../src/db/schema';
import {
  type CommunityWorld,
  communityWorld,
  outsider,
  runCommunityJob,
  takeCommunityJobs,
  type Who,
} from '../fixtures/community';
import { bearer, TEST_ENV } from '../fixtures/people';
import { setupTestApp, type TestApp } from '../helper';

let t: TestApp;
let w: CommunityWorld;
let other: CommunityWorld;
let people: Who[];
const H = 3_600_000;
const later = (ms: number) => new Date(t.clock.now().getTime() + ms).toISOString();

async function newActivity(over: Record<string, unknown> = {}) {
  const startsAt = (over.startsAt as string | undefined) ?? later(48 * H);
  const res = await t.call({
    method: 'POST',
    url: '/v1/staff/community/activities',
    headers: bearer(w.staff),
    payload: {
      title: '社区义诊',
      place: '社区服务中心',
      startsAt,
      endsAt: new Date(Date.parse(startsAt) + 2 * H).toISOString(),
      capacity: 5,
      ...over,
    },
  });
  expect(res.status).toBe(201);
  return res.body as { id: string; checkinCode: string };
}
const act = (who: Who, id: string, what: 'signup' | 'cancel', payload = {}) =>
  t.call({ method: 'POST', url: `/v1/community/activities/${id}/${what}`, headers: bearer(who), payload });
const checkIn = (who: Who, id: string, code: string) =>
  t.call({
    method: 'POST',
    url: `/v1/community/activities/${id}/check-in`,
    headers: bearer(who),
    payload: { code },
  });
const statuses = async (id: string) =>
  new Map(
    (await t.deps.db.select().from(communitySignups).where(eq(communitySignups.activityId, id))).map((s) => [
      s.userId,
      s.status,
    ]),
  );

beforeAll(async () => {
  t = await setupTestApp(TEST_ENV);
  [w, other] = await Promise.all([
    communityWorld(t, { households: 14, tokens: true }),
    communityWorld(t, { households: 1, tokens: true }),
  ]);
  people = w.members.map((m) => m[0]!);
}, 30_000);
afterAll(() => t?.close());

describe('community activities', () => {
  it('8 sign-ups at once for 5 places: 5 in, 3 waiting in order; 5 cancels at once promote exactly 5, in order', async () => {
    const a = await newActivity({ capacity: 5 });
    const first = people.slice(0, 8);
    const res = await Promise.all(first.map((p) => act(p, a.id, 'signup')));
    expect(res.every((r) => r.status === 200)).toBe(true);
    let s = await statuses(a.id);
    expect([...s.values()].filter((x) => x === 'signed_up')).toHaveLength(5);
    // Four more join the queue one after another, so the queue order is known.
    for (const p of people.slice(8, 12))
      expect((await act(p, a.id, 'signup')).body.mine.status).toBe('waitlisted');
    const roster = await t.call({
      method: 'GET',
      url: `/v1/staff/community/activities/${a.id}/roster`,
      headers: bearer(w.staff),
    });
    const waiting = roster.body.items.filter((r: { status: string }) => r.status === 'waitlisted');
    expect(waiting.map((r: { waitlistPosition: number }) => r.waitlistPosition)).toEqual([
      1, 2, 3, 4, 5, 6, 7,
    ]);
    const holders = roster.body.items.filter((r: { status: string }) => r.status === 'signed_up');
    const queue = waiting.map((r: { userId: string }) => r.userId) as string[];

    // Five holders leave at once.
    const leavers = holders.map((h: { userId: string }) => people.find((p) => p.userId === h.userId)!);
    const left = await Promise.all(leavers.map((p: Who) => act(p, a.id, 'cancel')));
    expect(left.every((r) => r.status === 200)).toBe(true);
    s = await statuses(a.id);
    expect(queue.slice(0, 5).map((u) => s.get(u))).toEqual(Array(5).fill('signed_up'));
    expect(queue.slice(5).map((u) => s.get(u))).toEqual(['waitlisted', 'waitlisted']);
    expect([...s.values()].filter((x) => x === 'signed_up')).toHaveLength(5);
    // Each promoted person was told.
    const told = await t.deps.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, queue[0]!), eq(notifications.kind, 'community.activity.promoted')));
    expect(told).toHaveLength(1);
    const view = await t.call({
      method: 'GET',
      url: `/v1/community/activities/${a.id}`,
      headers: bearer(people.find((p) => p.userId === queue[5])!),
    });
    expect(view.body.mine).toEqual({ status: 'waitlisted', waitlistPosition: 1 });
    expect(view.body).toMatchObject({ signedUp: 5, waitlisted: 2, checkinCode: null });
  });

  it('checks in with the code inside the window; wrong codes count and lock', async () => {
    const a = await newActivity({ startsAt: later(2 * H), capacity: 1 });
    const [p, q] = [people[0]!, people[1]!];
    await act(p, a.id, 'signup');
    await act(q, a.id, 'signup');
    const early = await checkIn(p, a.id, a.checkinCode);
    expect(early.body.error.code).toBe('ACTIVITY_CHECKIN_NOT_OPEN');
    t.clock.advance(2 * H - 10 * 60_000);
    try {
      expect((await checkIn(q, a.id, a.checkinCode)).body.error.code).toBe('ACTIVITY_NOT_SIGNED_UP');
      const wrong = a.checkinCode === '000000' ? '111111' : '000000';
      const bad = await checkIn(p, a.id, wrong);
      expect(bad.status).toBe(422);
      expect(bad.body.error.details[0].path).toBe('body.code');
      const ok = await checkIn(p, a.id, a.checkinCode);
      expect(ok.status).toBe(200);
      expect(ok.body.mine.status).toBe('checked_in');
      expect((await act(p, a.id, 'cancel')).body.error.code).toBe('ACTIVITY_ALREADY_CHECKED_IN');
      // Someone guessing: five wrong at once, then even the right code is locked.
      const b = await newActivity({ startsAt: later(10 * 60_000), capacity: 3 });
      await act(q, b.id, 'signup');
      const guesses = await Promise.all(
        ['100000', '200000', '300000', '400000', '500000', '600000']
          .filter((c) => c !== b.checkinCode)
          .slice(0, 5)
          .map((c) => checkIn(q, b.id, c)),
      );
      expect(guesses.every((g) => g.status === 422)).toBe(true);
      expect((await checkIn(q, b.id, b.checkinCode)).status).toBe(423);
      expect((await checkIn(q, b.id, '12ab56')).status).toBe(400);
    } finally {
      t.clock.advance(-(2 * H - 10 * 60_000));
    }
  });

  it('reminds the day before and an hour before, re-checking the activity first', async () => {
    await takeCommunityJobs(t);
    const a = await newActivity({ startsAt: later(30 * H) });
    const jobs = (await takeCommunityJobs(t, 'community.activityReminder')).filter(
      (j) => (j.data as { activityId: string }).activityId === a.id,
    );
    expect(jobs.map((j) => (j.data as { kind: string }).kind).sort()).toEqual(['1h', '24h']);
    await act(people[2]!, a.id, 'signup');
    const day = jobs.find((j) => (j.data as { kind: string }).kind === '24h')!;
    // Early: it does nothing but queue itself again.
    expect(await runCommunityJob(t, day.name, day.data)).toBe(0);
    expect(await takeCommunityJobs(t, 'community.activityReminder')).toHaveLength(1);
    t.clock.advance(6 * H + 1000);
    try {
      expect(await runCommunityJob(t, day.name, day.data)).toBe(1);
      expect(await runCommunityJob(t, day.name, day.data)).toBe(0);
      // A forged start, or a cancelled activity: nothing.
      expect(await runCommunityJob(t, day.name, { ...day.data, startsAt: later(H) })).toBe(0);
      const cancel = await t.call({
        method: 'POST',
        url: `/v1/staff/community/activities/${a.id}/cancel`,
        headers: bearer(w.staff),
        payload: {},
      });
      expect(cancel.body.cancelled).toBe(true);
      t.clock.advance(23 * H);
      const hour = jobs.find((j) => (j.data as { kind: string }).kind === '1h')!;
      expect(await runCommunityJob(t, hour.name, hour.data)).toBe(0);
      t.clock.advance(-23 * H);
    } finally {
      t.clock.advance(-(6 * H + 1000));
    }
    // This activity's messages only: the sign-up race above may have promoted this person too.
    const lines = (
      await t.deps.db.select().from(notifications).where(eq(notifications.userId, people[2]!.userId))
    ).filter((l) => l.dedupeKey.includes(a.id));
    expect(lines.map((l) => l.kind).sort()).toEqual([
      'community.activity.cancelled',
      'community.activity.reminder.24h',
    ]);
  });

  it('refuses bad activities and other communities', async () => {
    for (const over of [
      { capacity: 0 },
      { startsAt: later(-H) },
      { title: '' },
      { groupId: other.communityId },
      { endsAt: later(-2 * H) },
    ]) {
      const res = await t.call({
        method: 'POST',
        url: '/v1/staff/community/activities',
        headers: bearer(w.staff),
        payload: { title: '活动', place: '广场', startsAt: later(H), endsAt: later(2 * H), ...over },
      });
      expect(res.status, JSON.stringify(over)).toBe(400);
    }
    const a = await newActivity();
    const nobody = await outsider(t);
    for (const who of [nobody, other.members[0]![0]!]) {
      expect((await act(who, a.id, 'signup')).status).toBe(404);
      expect(
        (await t.call({ method: 'GET', url: `/v1/community/activities/${a.id}`, headers: bearer(who) }))
          .status,
      ).toBe(404);
    }
    const foreign = await t.call({
      method: 'GET',
      url: `/v1/staff/community/activities/${a.id}/roster`,
      headers: bearer(other.staff),
    });
    expect(foreign.status).toBe(404);
  });
});

describe('interest groups', () => {
  it('joins and leaves idempotently under concurrency; the count never drifts', async () => {
    const created = await t.call({
      method: 'POST',
      url: '/v1/staff/community/groups',
      headers: bearer(w.staff),
      payload: { name: '太极拳队', description: '早上六点半' },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const ten = people.slice(0, 10);
    // Everyone taps twice at once.
    const tapped = await Promise.all(
      [...ten, ...ten].map((p) =>
        t.call({ method: 'POST', url: `/v1/community/groups/${id}/join`, headers: bearer(p), payload: {} }),
      ),
    );
    expect(tapped.every((r) => r.status === 200)).toBe(true);
    const [g] = await t.deps.db.select().from(interestGroups).where(eq(interestGroups.id, id));
    expect(g!.memberCount).toBe(10);
    const leaves = await Promise.all(
      [...ten.slice(0, 4), ...ten.slice(0, 4)].map((p) =>
        t.call({ method: 'POST', url: `/v1/community/groups/${id}/leave`, headers: bearer(p), payload: {} }),
      ),
    );
    expect(leaves.every((r) => r.status === 200)).toBe(true);
    const view = await t.call({ method: 'GET', url: `/v1/community/groups/${id}`, headers: bearer(ten[5]!) });
    expect(view.body).toMatchObject({ memberCount: 6, joined: true });
    const mine = await t.call({
      method: 'GET',
      url: '/v1/community/groups?mine=true',
      headers: bearer(ten[0]!),
    });
    expect(mine.body.items.map((x: { id: string }) => x.id)).not.toContain(id);
    const mine5 = await t.call({
      method: 'GET',
      url: '/v1/community/groups?mine=true',
      headers: bearer(ten[5]!),
    });
    expect(mine5.body.items.map((x: { id: string }) => x.id)).toEqual([id]);

    // A group hosts activities; the list filters by it.
    const hosted = await newActivity({ groupId: id, title: '太极拳公开课' });
    const list = await t.call({
      method: 'GET',
      url: `/v1/community/activities?groupId=${id}`,
      headers: bearer(ten[5]!),
    });
    expect(list.body.items.map((x: { id: string; groupName: string }) => [x.id, x.groupName])).toEqual([
      [hosted.id, '太极拳队'],
    ]);

    // Archived: nobody new joins; same name twice is refused.
    await t.call({
      method: 'PATCH',
      url: `/v1/staff/community/groups/${id}`,
      headers: bearer(w.staff),
      payload: { archived: true },
    });
    const late = await t.call({
      method: 'POST',
      url: `/v1/community/groups/${id}/join`,
      headers: bearer(people[12]!),
      payload: {},
    });
    expect(late.body.error.code).toBe('GROUP_ARCHIVED');
    const dup = await t.call({
      method: 'POST',
      url: '/v1/staff/community/groups',
      headers: bearer(w.staff),
      payload: { name: '太极拳队' },
    });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('GROUP_NAME_TAKEN');
    const foreign = await t.call({
      method: 'POST',
      url: `/v1/community/groups/${id}/join`,
      headers: bearer(other.members[0]![0]!),
      payload: {},
    });
    expect(foreign.status).toBe(404);
  });
});

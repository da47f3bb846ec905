import type { Job } from 'bullmq';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkinAlerts, checkins, elderProfiles, helpTasks, users } from '../../src/db/schema';
import {
  CHECKIN_SWEEP_SCHEDULER_ID,
  startCheckinScheduler,
  sweepCheckins,
} from '../../src/modules/volunteers/checkins';
import { processorFor } from '../fixtures/jobs';
import { demoHouseholds, freshPhone, inbox, makeStaff, PHONES, TEST_ENV } from '../fixtures/people';
import { setupTestApp, type TestApp } from '../helper';

type Who = { authorization: string; userId: string };

const volunteerJobs = processorFor('volunteers');
let t: TestApp;
let elder: Who;
let family: Who;
let staff: Who;

/** Local (Shanghai) wall time on a December 2026 day: Monday is the 7th. */
const local = (day: number, hhmm: string) =>
  new Date(`2026-12-${String(day).padStart(2, '0')}T${hhmm}:00+08:00`);
const date = (day: number) => `2026-12-${String(day).padStart(2, '0')}`;
const asFamily = () => ({ authorization: family.authorization, 'x-on-behalf-of': elder.userId });
const h = (who: Who) => ({ authorization: who.authorization });

const alertsOf = (elderId: string, day: number) =>
  t.deps.db
    .select()
    .from(checkinAlerts)
    .where(and(eq(checkinAlerts.elderId, elderId), eq(checkinAlerts.date, date(day))))
    .orderBy(checkinAlerts.at);
const kinds = async (userId: string, kind: string) => (await inbox(t, userId)).filter((n) => n.kind === kind);
const tap = (headers: Record<string, string>) =>
  t.call({ method: 'POST', url: '/v1/help/checkin', headers, payload: {} });
const board = async () => {
  const res = await t.call({ method: 'GET', url: '/v1/staff/checkins', headers: h(staff) });
  expect(res.status).toBe(200);
  return res.body;
};
const stateOf = async (elderId: string) =>
  (await board()).items.find((i: { elderId: string }) => i.elderId === elderId)?.state;

beforeAll(async () => {
  t = await setupTestApp(TEST_ENV);
  elder = await t.login(PHONES.elder);
  family = await t.login(PHONES.familyProxy);
  staff = await t.login(PHONES.staff);
}, 60_000);
afterAll(async () => {
  await t?.close();
});

describe('the plan', () => {
  it('family set a daily 我很好 by 10:00 with an hour of grace', async () => {
    t.clock.set(local(7, '07:00'));
    const res = await t.call({
      method: 'PUT',
      url: '/v1/help/checkin/plan',
      headers: asFamily(),
      payload: { mode: 'daily_tap', dueMin: 600, graceMin: 60 },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      plan: { elderId: elder.userId, mode: 'daily_tap', dueMin: 600, graceMin: 60, active: true },
      date: date(7),
      checkedInAt: null,
      streak: 0,
    });
    expect(new Date(res.body.dueAt).getTime()).toBe(local(7, '10:00').getTime());
    expect(await stateOf(elder.userId)).toBe('waiting');
  });
});

describe('a tap before the due time', () => {
  it('is recorded once, and no alert follows even long after the grace', async () => {
    t.clock.set(local(7, '09:00'));
    const first = await tap(h(elder));
    expect(first.status).toBe(200);
    expect(first.body.checkedInAt).not.toBeNull();
    expect(first.body.streak).toBe(1);
    t.clock.set(local(7, '09:30'));
    const second = await tap(asFamily());
    expect(second.body.checkedInAt).toBe(first.body.checkedInAt);
    const rows = await t.deps.db.select().from(checkins).where(eq(checkins.elderId, elder.userId));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.by).toBe(elder.userId);

    t.clock.set(local(7, '13:00'));
    const swept = await sweepCheckins(t.deps);
    expect(swept).toMatchObject({ familyAlerts: 0, staffAlerts: 0 });
    expect(await alertsOf(elder.userId, 7)).toEqual([]);
    expect(await stateOf(elder.userId)).toBe('ok');
  });
});

describe('a missed check-in', () => {
  it('alerts the family after the grace, then staff after twice the grace, once each', async () => {
    t.clock.set(local(8, '09:59'));
    expect(await stateOf(elder.userId)).toBe('waiting');
    t.clock.set(local(8, '10:30'));
    expect(await sweepCheckins(t.deps)).toMatchObject({ familyAlerts: 0, staffAlerts: 0 });
    expect(await stateOf(elder.userId)).toBe('late');

    t.clock.set(local(8, '11:01'));
    // Through the job, as the scheduler fires it.
    const swept = await volunteerJobs.process(
      { name: 'volunteers.checkinSweep', data: {} } as unknown as Job,
      t.deps,
    );
    expect(swept).toMatchObject({ familyAlerts: 1, staffAlerts: 0 });
    expect((await alertsOf(elder.userId, 8)).map((a) => a.stage)).toEqual(['family']);
    expect(await kinds(family.userId, 'checkin.missed')).toHaveLength(1);
    expect((await kinds(family.userId, 'checkin.missed'))[0]!.title).toBe('刘奶奶今天还没有报平安');
    expect(await kinds(elder.userId, 'checkin.missed')).toHaveLength(1);
    expect(await kinds(staff.userId, 'checkin.missed_staff')).toHaveLength(0);
    expect(await stateOf(elder.userId)).toBe('alerted_family');

    t.clock.set(local(8, '11:06'));
    expect(await sweepCheckins(t.deps)).toMatchObject({ familyAlerts: 0, staffAlerts: 0 });

    t.clock.set(local(8, '12:01'));
    expect(await sweepCheckins(t.deps)).toMatchObject({ familyAlerts: 0, staffAlerts: 1 });
    expect(await sweepCheckins(t.deps)).toMatchObject({ familyAlerts: 0, staffAlerts: 0 });
    const alerts = await alertsOf(elder.userId, 8);
    expect(alerts.map((a) => a.stage)).toEqual(['family', 'staff']);
    expect(alerts[0]!.at.getTime()).toBeLessThan(alerts[1]!.at.getTime());
    expect(await kinds(family.userId, 'checkin.missed')).toHaveLength(1);
    const staffNotes = await kinds(staff.userId, 'checkin.missed_staff');
    expect(staffNotes).toHaveLength(1);
    expect(staffNotes[0]!.title).toBe('独居老人刘奶奶未报平安');
    expect(await stateOf(elder.userId)).toBe('alerted_staff');

    // A late tap: the family hear all is well, and the board turns ok.
    t.clock.set(local(8, '12:10'));
    await tap(h(elder));
    expect(await kinds(family.userId, 'checkin.late_ok')).toHaveLength(1);
    expect(await stateOf(elder.userId)).toBe('ok');
  });

  it('the first sweep long after both thresholds sends both, family first', async () => {
    t.clock.set(local(9, '15:00'));
    expect(await sweepCheckins(t.deps)).toMatchObject({ familyAlerts: 1, staffAlerts: 1 });
    expect((await alertsOf(elder.userId, 9)).map((a) => a.stage)).toEqual(['family', 'staff']);
  });
});

describe('the streak', () => {
  it('counts consecutive local days, and restarts after a missed day', async () => {
    // Mon 7 and Tue 8 tapped, Wed 9 missed.
    t.clock.set(local(10, '08:00'));
    const before = await t.call({ method: 'GET', url: '/v1/help/checkin', headers: asFamily() });
    expect(before.body).toMatchObject({ date: date(10), checkedInAt: null, streak: 0 });
    expect((await tap(h(elder))).body.streak).toBe(1);
    t.clock.set(local(11, '23:59'));
    expect((await tap(h(elder))).body.streak).toBe(2);
    t.clock.set(local(12, '00:01'));
    const next = await t.call({ method: 'GET', url: '/v1/help/checkin', headers: h(elder) });
    // Today's is still open: the run up to yesterday counts.
    expect(next.body).toMatchObject({ date: date(12), streak: 2, checkedInAt: null });
    expect((await tap(h(elder))).body.streak).toBe(3);
  });
});

describe('a weekly visit plan', () => {
  it('gets its visit task on the visit day, once, however often the sweep runs', async () => {
    const households = await demoHouseholds(t, family);
    const [u] = await t.deps.db
      .insert(users)
      .values({ phone: freshPhone(), name: '独居张爷爷', birthDate: '1938-05-01' })
      .returning();
    await t.deps.db
      .insert(elderProfiles)
      .values({ userId: u!.id, householdId: households[13]!, livesAlone: true });
    const grandpa = await t.login(u!.phone!);
    t.clock.set(local(14, '20:00')); // Monday evening
    const saved = await t.call({
      method: 'PUT',
      url: '/v1/help/checkin/plan',
      headers: h(grandpa),
      payload: { mode: 'weekly_visit', visitWeekday: 3 },
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ plan: { mode: 'weekly_visit', visitWeekday: 3 }, dueAt: null });
    const visits = () =>
      t.deps.db
        .select()
        .from(helpTasks)
        .where(and(eq(helpTasks.elderId, u!.id), eq(helpTasks.source, 'checkin_visit')));

    t.clock.set(local(15, '08:00')); // Tuesday
    await sweepCheckins(t.deps);
    expect(await visits()).toHaveLength(0);

    t.clock.set(local(16, '07:00')); // Wednesday
    const runs = await Promise.all([sweepCheckins(t.deps), sweepCheckins(t.deps), sweepCheckins(t.deps)]);
    expect(runs.reduce((n, r) => n + r.visitTasks, 0)).toBe(1);
    t.clock.set(local(16, '11:00'));
    expect((await sweepCheckins(t.deps)).visitTasks).toBe(0);
    const [task] = await visits();
    expect(await visits()).toHaveLength(1);
    expect(task).toMatchObject({ skill: 'visit', raisedBy: u!.id, durationMin: 60 });
    expect(task!.windowStart.getTime()).toBe(local(16, '09:00').getTime());
    expect(task!.windowEnd.getTime()).toBe(local(16, '18:00').getTime());
    expect(task!.deadline.getTime()).toBeLessThan(task!.windowEnd.getTime());
    expect(await stateOf(u!.id)).toBe('waiting');

    // The next Wednesday: that week's task.
    t.clock.set(local(23, '08:00'));
    expect((await sweepCheckins(t.deps)).visitTasks).toBe(1);
    expect(await visits()).toHaveLength(2);
  });
});

describe('foreign tokens', () => {
  it('someone not a proxy of the elder cannot check in or change the plan for her (404)', async () => {
    const stranger = await t.login(freshPhone());
    t.clock.set(local(24, '08:00'));
    const as = { authorization: stranger.authorization, 'x-on-behalf-of': elder.userId };
    expect((await tap(as)).status).toBe(404);
    expect((await t.call({ method: 'GET', url: '/v1/help/checkin', headers: as })).status).toBe(404);
    const plan = await t.call({
      method: 'PUT',
      url: '/v1/help/checkin/plan',
      headers: as,
      payload: { active: false },
    });
    expect(plan.status).toBe(404);
    const rows = await t.deps.db
      .select()
      .from(checkins)
      .where(and(eq(checkins.elderId, elder.userId), eq(checkins.date, date(24))));
    expect(rows).toEqual([]);
    const mine = await t.call({ method: 'GET', url: '/v1/help/checkin', headers: h(elder) });
    expect(mine.body.plan.active).toBe(true);
    // The stranger's own tap is their own, not hers.
    expect((await tap(h(stranger))).status).toBe(200);
    expect(
      await t.deps.db
        .select()
        .from(checkins)
        .where(and(eq(checkins.elderId, elder.userId), eq(checkins.date, date(24)))),
    ).toEqual([]);
  });

  it('staff of another community do not see her on their board; a resident may not open it', async () => {
    const other = await makeStaff(t, { runsDemo: false });
    const res = await t.call({ method: 'GET', url: '/v1/staff/checkins', headers: h(other) });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([]);
    const resident = await t.login(PHONES.resident);
    expect((await t.call({ method: 'GET', url: '/v1/staff/checkins', headers: h(resident) })).status).toBe(
      403,
    );
  });
});

describe('the scheduler', () => {
  it('is one job scheduler with a fixed id, however often a worker starts', async () => {
    await startCheckinScheduler(t.deps);
    await startCheckinScheduler(t.deps);
    const schedulers = await t.deps.queues.get('volunteers').getJobSchedulers();
    const ours = schedulers.filter(
      (s) => s.key === CHECKIN_SWEEP_SCHEDULER_ID || s.id === CHECKIN_SWEEP_SCHEDULER_ID,
    );
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatchObject({ name: 'volunteers.checkinSweep', every: 5 * 60_000 });
  });
});

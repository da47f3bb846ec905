import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  careItems,
  checkins,
  compounds,
  elderAccessLog,
  helpTasks,
  notifications,
  taskOffers,
  timeBankAccounts,
  timeBankLedger,
  volunteers,
} from '../../src/db/schema';
import { acceptTask, createTask } from '../../src/modules/volunteers/tasks';
import { PHONES, TEST_ENV } from '../fixtures/people';
import { actorOf, makeVolunteers, queuedJobs, runJob } from '../fixtures/volunteers';
import { setupTestApp, type TestApp } from '../helper';

let t: TestApp;
let elder: { authorization: string; userId: string };
let family: { authorization: string; userId: string };
let staff: { authorization: string; userId: string };
let zhao: { authorization: string; userId: string };
let zhou: { authorization: string; userId: string };
let sun: { authorization: string; userId: string };

// Wednesday 9 December 2026, 10:00 in Shanghai.
const NOW = new Date('2026-12-09T10:00:00+08:00');
const at = (hhmm: string) => `2026-12-09T${hhmm}:00+08:00`;
const asFamily = () => ({ authorization: family.authorization, 'x-on-behalf-of': elder.userId });

async function raise(payload: Record<string, unknown> = {}) {
  const res = await t.call({
    method: 'POST',
    url: '/v1/help/tasks',
    headers: asFamily(),
    payload: {
      skill: 'errands',
      title: '帮忙买菜送上门',
      windowStart: at('14:00'),
      windowEnd: at('17:00'),
      durationMin: 60,
      ...payload,
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** Sends the next queued wave of a task (the outbox row the last step left). */
async function nextWave(taskId: string) {
  const rows = await queuedJobs(t, 'volunteers.offerWave', { taskId });
  const row = rows.at(-1)!;
  return { wave: (row.payload as { wave: number }).wave, sent: await runJob(t, row) };
}

const offersOf = async (taskId: string) =>
  (await t.deps.db.select().from(taskOffers).where(eq(taskOffers.taskId, taskId))).sort(
    (a, b) => a.wave - b.wave || b.score - a.score,
  );

beforeAll(async () => {
  t = await setupTestApp(TEST_ENV);
  t.clock.set(NOW);
  [elder, family, staff, zhao, zhou, sun] = await Promise.all([
    t.login(PHONES.elder),
    t.login(PHONES.familyProxy),
    t.login(PHONES.staff),
    t.login('13800000004'),
    t.login('13800000042'),
    t.login('13800000041'),
  ]);
}, 60_000);
afterAll(async () => {
  await t?.close();
});

describe('a help task offered in waves', () => {
  it('goes to the best 3, then 5 more, then everyone qualified on duty, then staff; then it expires', async () => {
    // Nine more errand volunteers in the elder's own compound, one of them off duty.
    const extra = await makeVolunteers(t, 9, { name: '波次' });
    await t.deps.db.update(volunteers).set({ onDuty: false }).where(eq(volunteers.userId, extra[8]!));
    const task = await raise({ title: '帮忙取快递' });
    expect(task.status).toBe('open');
    expect(task.checkinCode).toMatch(/^\d{6}$/);
    expect(task.contact).toBeNull();

    expect(await nextWave(task.id)).toEqual({ wave: 1, sent: 3 });
    let offers = await offersOf(task.id);
    expect(offers).toHaveLength(3);
    // Those at home in the elder's compound rank first (distance), all else equal.
    expect(offers.every((o) => extra.includes(o.volunteerId))).toBe(true);
    const [row] = await t.deps.db.select().from(helpTasks).where(eq(helpTasks.id, task.id));
    expect(row!.status).toBe('offered');
    // A replayed wave 1 sends nothing more.
    const wave1 = (await queuedJobs(t, 'volunteers.offerWave', { taskId: task.id, wave: 1 }))[0]!;
    expect(await runJob(t, wave1)).toBe(0);

    expect(await nextWave(task.id)).toEqual({ wave: 2, sent: 5 });
    // Everyone qualified and on duty who is left: 赵, 钱, 周 (孙 has no errands skill; one extra is off duty).
    expect(await nextWave(task.id)).toEqual({ wave: 3, sent: 3 });
    offers = await offersOf(task.id);
    expect(offers).toHaveLength(11);
    expect(
      offers
        .filter((o) => o.wave === 3)
        .map((o) => o.volunteerId)
        .sort(),
    ).toEqual([zhao.userId, zhou.userId, await idOf('13800000040')].sort());
    expect(offers.map((o) => o.volunteerId)).not.toContain(extra[8]);
    expect(offers.map((o) => o.volunteerId)).not.toContain(sun.userId);
    expect(await queuedJobs(t, 'volunteers.offerWave', { taskId: task.id, wave: 4 })).toHaveLength(0);
    const inbox = await t.deps.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, zhao.userId), eq(notifications.kind, 'help_task.offer')));
    expect(inbox).toHaveLength(1);

    // Staff are told 30 minutes before the deadline (16:00, the latest start that fits the window).
    const [alert] = await queuedJobs(t, 'volunteers.staffAlert', { taskId: task.id });
    // (The test clock runs on from NOW, so a few ms have passed.)
    expect(new Date(at('15:30')).getTime() - NOW.getTime() - alert!.delayMs).toBeLessThan(5000);
    expect(await runJob(t, alert!)).toBe(true);
    expect(await runJob(t, alert!)).toBe(false);
    const told = await t.deps.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, staff.userId), eq(notifications.kind, 'help_task.escalated')));
    expect(told).toHaveLength(1);
    const escalated = await t.call({
      method: 'GET',
      url: '/v1/staff/help-tasks?status=escalated',
      headers: staff,
    });
    expect(escalated.body.items.map((i: { id: string }) => i.id)).toContain(task.id);

    // The deadline job fired early re-queues itself; at the deadline the task expires.
    const [deadline] = await queuedJobs(t, 'volunteers.deadline', { taskId: task.id });
    expect(await runJob(t, deadline!)).toBe(false);
    t.clock.set(new Date(at('16:00')));
    expect(await runJob(t, deadline!)).toBe(true);
    const seen = await t.call({ method: 'GET', url: `/v1/help/tasks/${task.id}`, headers: asFamily() });
    expect(seen.body.status).toBe('expired');
    expect(seen.body.checkinCode).toBeNull();
    t.clock.set(NOW);
    // Tidy: these volunteers would take every later test's first wave.
    await t.deps.db.update(volunteers).set({ onDuty: false }).where(sql`${volunteers.userId} IN ${extra}`);
  });

  it('a whole wave declining sends the next wave at once; the decline counts, never blocks', async () => {
    const task = await raise({ title: '陪我去菜场' });
    await nextWave(task.id);
    const first = await offersOf(task.id);
    expect(first.map((o) => o.volunteerId).sort()).toEqual(
      [zhao.userId, zhou.userId, await idOf('13800000040')].sort(),
    );
    const before = (await queuedJobs(t, 'volunteers.offerWave', { taskId: task.id })).length;
    for (const who of [zhao, zhou, await t.login('13800000040')]) {
      const res = await t.call({
        method: 'POST',
        url: `/v1/volunteer/tasks/${task.id}/decline`,
        headers: { authorization: who.authorization },
        payload: { reason: '今天有事' },
      });
      expect(res.status).toBe(200);
      expect(res.body.declined).toBe(true);
      expect(res.body.can.accept).toBe(false);
    }
    const after = await queuedJobs(t, 'volunteers.offerWave', { taskId: task.id });
    // The queued wave 2 plus the early one the last decline sent.
    expect(after.length).toBe(before + 1);
    expect(after.at(-1)!.delayMs).toBe(0);
    // A decliner may still take it from the board if they change their mind? No: declined is final for them.
    const board = await t.call({ method: 'GET', url: '/v1/volunteer/tasks?scope=board', headers: zhao });
    const onBoard = board.body.items.find((i: { id: string }) => i.id === task.id);
    expect(onBoard.can.accept).toBe(false);
    await t.call({
      method: 'POST',
      url: `/v1/help/tasks/${task.id}/cancel`,
      headers: asFamily(),
      payload: { reason: '不需要了' },
    });
  });
});

async function idOf(phone: string) {
  return (await t.login(phone)).userId;
}

describe('the first accept wins', () => {
  it('50 volunteers accepting one task at once: exactly one holds it, the rest hear 已被接单', async () => {
    const racers = await makeVolunteers(t, 50, { name: '抢单', compound: '玉兰院' });
    await t.deps.db.update(volunteers).set({ onDuty: false }).where(sql`${volunteers.userId} IN ${racers}`);
    const task = await raise({ title: '抢单测试' });
    const results = await Promise.allSettled(racers.map((id) => acceptTask(t.deps, actorOf(id), task.id)));
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(lost).toHaveLength(49);
    expect(new Set(lost.map((r) => (r.reason as { code: string }).code))).toEqual(new Set(['TASK_TAKEN']));
    const [row] = await t.deps.db.select().from(helpTasks).where(eq(helpTasks.id, task.id));
    expect(row!.status).toBe('accepted');
    expect(racers).toContain(row!.volunteerId);
    // Over HTTP, a late tap is a 409 with the code the app shows as 已被接单.
    const late = await t.call({
      method: 'POST',
      url: `/v1/volunteer/tasks/${task.id}/accept`,
      headers: zhao,
      payload: {},
    });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('TASK_TAKEN');
    const view = await t.call({ method: 'GET', url: `/v1/volunteer/tasks/${task.id}`, headers: zhao });
    expect(view.body.status).toBe('accepted');
    expect(view.body.can.accept).toBe(false);
    expect(view.body.contact).toBeNull();
    await t.call({
      method: 'POST',
      url: `/v1/help/tasks/${task.id}/cancel`,
      headers: asFamily(),
      payload: { reason: '测试结束' },
    });
  });
});

describe('from the door to the time bank', () => {
  it('address only to the holder while active, logged; the door code starts it; both sides confirm; hours credited once', async () => {
    const task = await raise({ title: '教我用手机挂号', skill: 'phone_teaching' });
    const before = await t.call({ method: 'GET', url: `/v1/volunteer/tasks/${task.id}`, headers: zhao });
    expect(before.status).toBe(200);
    expect(before.body.contact).toBeNull();
    expect(before.body.elderLabel).toBe('刘家');
    expect(before.body.checkinCode).toBeNull();

    const accepted = await t.call({
      method: 'POST',
      url: `/v1/volunteer/tasks/${task.id}/accept`,
      headers: zhao,
      payload: {},
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body.contact.address).toContain('银杏院');
    expect(accepted.body.contact.phone).toBe(PHONES.elder);
    const logged = await t.deps.db
      .select()
      .from(elderAccessLog)
      .where(and(eq(elderAccessLog.elderId, elder.userId), eq(elderAccessLog.readerId, zhao.userId)));
    expect(logged.map((l) => l.field).sort()).toEqual(['address', 'phone']);
    // Another volunteer sees no address.
    const other = await t.call({ method: 'GET', url: `/v1/volunteer/tasks/${task.id}`, headers: sun });
    expect(other.body.contact).toBeNull();
    // The family was told who is coming; the elder's view has the door code.
    const fam = await t.call({ method: 'GET', url: `/v1/help/tasks/${task.id}`, headers: asFamily() });
    expect(fam.body.volunteerName).toBe('赵志愿');
    const code = fam.body.checkinCode as string;

    const wrong = await t.call({
      method: 'POST',
      url: `/v1/volunteer/tasks/${task.id}/start`,
      headers: zhao,
      payload: { code: code === '000000' ? '111111' : '000000' },
    });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.code).toBe('CHECKIN_CODE_INVALID');
    expect(wrong.body.error.details[0].path).toBe('body.code');
    const started = await t.call({
      method: 'POST',
      url: `/v1/volunteer/tasks/${task.id}/start`,
      headers: zhao,
      payload: { code },
    });
    expect(started.status).toBe(200);
    expect(started.body.status).toBe('in_progress');

    t.clock.set(new Date(NOW.getTime() + 50 * 60_000));
    const greedy = await t.call({
      method: 'POST',
      url: `/v1/volunteer/tasks/${task.id}/finish`,
      headers: zhao,
      payload: { minutes: 300 },
    });
    expect(greedy.status).toBe(400);
    const done = await t.call({
      method: 'POST',
      url: `/v1/volunteer/tasks/${task.id}/finish`,
      headers: zhao,
      payload: { minutes: 55, note: '已教会' },
    });
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('done');
    expect(done.body.hoursStatus).toBe('pending');
    // Done: the address is no longer shown.
    expect(done.body.contact).toBeNull();

    const confirmed = await t.call({
      method: 'POST',
      url: `/v1/help/tasks/${task.id}/confirm`,
      headers: asFamily(),
      payload: { rating: 5 },
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.hoursStatus).toBe('confirmed');
    const again = await t.call({
      method: 'POST',
      url: `/v1/help/tasks/${task.id}/confirm`,
      headers: asFamily(),
      payload: {},
    });
    expect(again.status).toBe(409);
    // The auto-confirm job finds nothing left to do.
    const [auto] = await queuedJobs(t, 'volunteers.hoursAutoConfirm', { taskId: task.id });
    t.clock.set(new Date(NOW.getTime() + 49 * 3600_000));
    expect(await runJob(t, auto!)).toBe(false);
    t.clock.set(NOW);

    const bank = await t.call({ method: 'GET', url: '/v1/volunteer/time-bank', headers: zhao });
    expect(bank.body.entries.filter((e: { taskId: string }) => e.taskId === task.id)).toHaveLength(1);
    const [sum] = await t.deps.db
      .select({ n: sql<number>`coalesce(sum(${timeBankLedger.deltaMin}), 0)::int` })
      .from(timeBankLedger)
      .where(eq(timeBankLedger.userId, zhao.userId));
    expect(bank.body.balanceMin).toBe(sum!.n);
    const [v] = await t.deps.db.select().from(volunteers).where(eq(volunteers.userId, zhao.userId));
    expect(v!.ratingCount).toBe(1);
  });

  it('unconfirmed hours confirm themselves after 48 h; a dispute goes to staff, whose minutes count', async () => {
    const auto = await raise({ title: '陪聊天', skill: 'company' });
    const dispute = await raise({ title: '陪散步', skill: 'company', windowStart: at('15:00') });
    for (const task of [auto, dispute]) {
      await t.call({
        method: 'POST',
        url: `/v1/volunteer/tasks/${task.id}/accept`,
        headers: zhao,
        payload: {},
      });
      await t.call({
        method: 'POST',
        url: `/v1/volunteer/tasks/${task.id}/start`,
        headers: zhao,
        payload: { code: task.checkinCode },
      });
      const f = await t.call({
        method: 'POST',
        url: `/v1/volunteer/tasks/${task.id}/finish`,
        headers: zhao,
        payload: { minutes: 20 },
      });
      expect(f.status, JSON.stringify(f.body)).toBe(200);
    }
    const disputed = await t.call({
      method: 'POST',
      url: `/v1/help/tasks/${dispute.id}/dispute`,
      headers: asFamily(),
      payload: { note: '只来了十分钟' },
    });
    expect(disputed.body.hoursStatus).toBe('disputed');
    const balance = async () =>
      (await t.deps.db.select().from(timeBankAccounts).where(eq(timeBankAccounts.userId, zhao.userId)))[0]!
        .balanceMin;
    const start = await balance();
    for (const task of [auto, dispute]) {
      const [job] = await queuedJobs(t, 'volunteers.hoursAutoConfirm', { taskId: task.id });
      t.clock.set(new Date(NOW.getTime() + 47 * 3600_000));
      expect(await runJob(t, job!)).toBe(false); // early: queued again, nothing credited
      t.clock.set(new Date(NOW.getTime() + 48 * 3600_000 + 60_000));
      expect(await runJob(t, job!)).toBe(task === auto);
    }
    t.clock.set(NOW);
    expect(await balance()).toBe(start + 20);
    const queue = await t.call({
      method: 'GET',
      url: '/v1/staff/help-tasks?status=disputed',
      headers: staff,
    });
    expect(queue.body.items.map((i: { id: string }) => i.id)).toContain(dispute.id);
    const resolved = await t.call({
      method: 'POST',
      url: `/v1/staff/help-tasks/${dispute.id}/resolve`,
      headers: staff,
      payload: { minutes: 10, note: '按实际到场时间' },
    });
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
    expect(resolved.body.hoursStatus).toBe('resolved');
    expect(resolved.body.minutes).toBe(10);
    expect(await balance()).toBe(start + 30);
  });

  it('a family member pays in banked hours: held at once, returned when nobody does it', async () => {
    // The son has banked time of his own.
    await t.deps.db
      .insert(timeBankAccounts)
      .values({ userId: family.userId, balanceMin: 90, earnedMin: 90 })
      .onConflictDoNothing();
    const tooLong = await t.call({
      method: 'POST',
      url: '/v1/help/tasks',
      headers: asFamily(),
      payload: {
        skill: 'cleaning',
        title: '大扫除',
        windowStart: at('14:00'),
        windowEnd: at('18:00'),
        durationMin: 120,
        payInHours: true,
      },
    });
    expect(tooLong.status).toBe(409);
    expect(tooLong.body.error.code).toBe('TIME_BANK_INSUFFICIENT');
    const paid = await raise({ skill: 'cleaning', title: '擦窗户', payInHours: true });
    expect(paid.paidMinutes).toBe(60);
    const bal = async () =>
      (await t.deps.db.select().from(timeBankAccounts).where(eq(timeBankAccounts.userId, family.userId)))[0]!
        .balanceMin;
    expect(await bal()).toBe(30);
    const cancelled = await t.call({
      method: 'POST',
      url: `/v1/help/tasks/${paid.id}/cancel`,
      headers: asFamily(),
      payload: { reason: '改天' },
    });
    expect(cancelled.body.status).toBe('cancelled');
    expect(await bal()).toBe(90);
  });
});

describe('a task made from a care item', () => {
  it('takes the volunteer item’s name, length and skill; a caregiver item is refused', async () => {
    const items = await t.deps.db.select().from(careItems);
    const chat = items.find((i) => i.code === 'companionship')!;
    const bathing = items.find((i) => i.code === 'home_bathing')!;
    const made = await raise({ careItemId: chat.id, title: '随便写的', durationMin: 30 });
    expect(made).toMatchObject({
      source: 'care_item',
      skill: 'company',
      title: chat.name,
      durationMin: chat.durationMin,
    });
    const refused = await t.call({
      method: 'POST',
      url: '/v1/help/tasks',
      headers: asFamily(),
      payload: {
        skill: 'errands',
        title: 'x',
        windowStart: at('14:00'),
        windowEnd: at('17:00'),
        durationMin: 60,
        careItemId: bathing.id,
      },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({
      code: 'CARE_ITEM_NOT_FOR_VOLUNTEERS',
      details: [{ path: 'body.careItemId' }],
    });
    await t.call({
      method: 'POST',
      url: `/v1/help/tasks/${made.id}/cancel`,
      headers: asFamily(),
      payload: { reason: '测试结束' },
    });
  });
});

describe('a well-being visit', () => {
  it('that took place counts as the day’s check-in', async () => {
    const task = await t.deps.db.transaction((tx) =>
      createTask(tx, t.deps, {
        elderId: elder.userId,
        raisedBy: elder.userId,
        source: 'checkin_visit',
        skill: 'visit',
        title: '每周探访',
        windowStart: new Date(at('11:00')),
        windowEnd: new Date(at('18:00')),
        durationMin: 60,
      }),
    );
    const accepted = await t.call({
      method: 'POST',
      url: `/v1/volunteer/tasks/${task.id}/accept`,
      headers: zhao,
      payload: {},
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    await t.call({
      method: 'POST',
      url: `/v1/volunteer/tasks/${task.id}/start`,
      headers: zhao,
      payload: { code: task.checkinCode },
    });
    const before = await t.deps.db.select().from(checkins).where(eq(checkins.elderId, elder.userId));
    expect(before.filter((c) => c.date === '2026-12-09')).toEqual([]);
    const done = await t.call({
      method: 'POST',
      url: `/v1/volunteer/tasks/${task.id}/finish`,
      headers: zhao,
      payload: { minutes: 30 },
    });
    expect(done.status).toBe(200);
    const after = await t.deps.db.select().from(checkins).where(eq(checkins.elderId, elder.userId));
    expect(after.filter((c) => c.date === '2026-12-09').map((c) => c.by)).toEqual([zhao.userId]);
  });
});

describe('volunteers: registration and review', () => {
  it('a verified resident applies, staff verify once, the volunteer role is granted; suspension stops accepting', async () => {
    const resident = await t.login(PHONES.otherResident);
    const bad = await t.call({
      method: 'POST',
      url: '/v1/volunteer/apply',
      headers: resident,
      payload: { realName: '', idTail: '12', compoundId: 'x', skills: [], availability: [] },
    });
    expect(bad.status).toBe(400);
    const paths = bad.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(
      expect.arrayContaining(['body.realName', 'body.idTail', 'body.compoundId', 'body.skills']),
    );

    const all = await t.deps.db.select().from(compounds);
    const home = all.find((c) => c.name === '银杏院')!;
    const elsewhere = all.find((c) => c.name === '玉兰院')!;
    const form = {
      realName: '杨帆',
      idTail: '123x',
      skills: ['company', 'phone_teaching'],
      availability: [{ weekday: 6, startMin: 540, endMin: 720 }],
      weeklyCapMin: 300,
    };
    const notHome = await t.call({
      method: 'POST',
      url: '/v1/volunteer/apply',
      headers: resident,
      payload: { ...form, compoundId: elsewhere.id },
    });
    expect(notHome.status).toBe(422);
    expect(notHome.body.error.code).toBe('VOLUNTEER_HOME_NOT_VERIFIED');
    const applied = await t.call({
      method: 'POST',
      url: '/v1/volunteer/apply',
      headers: resident,
      payload: { ...form, compoundId: home.id },
    });
    expect(applied.status, JSON.stringify(applied.body)).toBe(201);
    expect(applied.body).toMatchObject({ status: 'pending', idTail: '123X', compoundName: '银杏院' });
    const twice = await t.call({
      method: 'POST',
      url: '/v1/volunteer/apply',
      headers: resident,
      payload: { ...form, compoundId: home.id },
    });
    expect(twice.body.error.code).toBe('VOLUNTEER_EXISTS');
    // Not verified yet: no volunteer role, so the volunteer routes refuse.
    expect((await t.call({ method: 'GET', url: '/v1/volunteer/tasks', headers: resident })).status).toBe(403);

    const queue = await t.call({ method: 'GET', url: '/v1/staff/volunteers?status=pending', headers: staff });
    expect(queue.body.items.map((v: { userId: string }) => v.userId)).toContain(resident.userId);
    const [a, b] = await Promise.all(
      [0, 1].map(() =>
        t.call({
          method: 'POST',
          url: `/v1/staff/volunteers/${resident.userId}/verify`,
          headers: staff,
          payload: {},
        }),
      ),
    );
    expect([a!.status, b!.status].sort()).toEqual([200, 409]);
    expect(
      (await t.call({ method: 'GET', url: '/v1/volunteer/tasks?scope=board', headers: resident })).status,
    ).toBe(200);
    const inbox = await t.deps.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, resident.userId), eq(notifications.kind, 'volunteer.verify')));
    expect(inbox).toHaveLength(1);

    const task = await raise({ title: '陪我聊聊天', skill: 'company' });
    const suspended = await t.call({
      method: 'POST',
      url: `/v1/staff/volunteers/${resident.userId}/suspend`,
      headers: staff,
      payload: { reason: '多次爽约' },
    });
    expect(suspended.body).toMatchObject({ status: 'suspended', suspendReason: '多次爽约' });
    const refused = await t.call({
      method: 'POST',
      url: `/v1/volunteer/tasks/${task.id}/accept`,
      headers: resident,
      payload: {},
    });
    expect(refused.status).toBe(404);
    const me = await t.call({ method: 'GET', url: '/v1/volunteer/me', headers: resident });
    expect(me.body.volunteer.status).toBe('suspended');
    await t.call({
      method: 'POST',
      url: `/v1/help/tasks/${task.id}/cancel`,
      headers: asFamily(),
      payload: { reason: '测试结束' },
    });
  });
});

import type { Job } from 'bullmq';
import { and, eq, inArray, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compounds,
  elderAccessLog,
  elderProfiles,
  emergencyCalls,
  emergencyEvents,
  notifications,
  outbox,
  staffCommunities,
  subscribeQuotas,
  userRoles,
  users,
  volunteers,
  wechatDeliveries,
} from '../../src/db/schema';
import { DEMO_COMPOUNDS } from '../../src/demo';
import { processorFor } from '../fixtures/jobs';
import { demoCommunityId, demoHouseholds, freshPhone, makeStaff, PHONES, TEST_ENV } from '../fixtures/people';
import { setupTestApp, type TestApp } from '../helper';

type Who = { authorization: string; userId: string };

const volunteerJobs = processorFor('volunteers');
const notificationJobs = processorFor('notifications');
let t: TestApp;
let communityId: string;
let elder: Who;
let family: Who;
let staff: Who;
let staffIds: string[];
/** Seeded: 孙 at home in the elder's own compound, 赵 and 周 in 梧桐院 (~400 m), 钱 in 玉兰院 (~480 m). */
const V: Record<string, Who> = {};

// Monday 7 December 2026, 10:00 in Shanghai.
const NOW = new Date('2026-12-07T10:00:00+08:00');
const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);
/** `seconds` after the call was made (the test clock runs on between steps). */
const after = async (callId: string, seconds: number) =>
  t.clock.set(new Date((await callRow(callId)).createdAt.getTime() + seconds * 1000));
const asFamily = () => ({ authorization: family.authorization, 'x-on-behalf-of': elder.userId });
const h = (who: Who) => ({ authorization: who.authorization });

/** A verified volunteer at home in `compoundId`, holding the volunteer role. */
async function makeVolunteer(name: string, compoundId: string, onDuty = true): Promise<Who> {
  const who = await t.login(freshPhone());
  await t.deps.db.insert(userRoles).values({ userId: who.userId, role: 'volunteer' });
  await t.deps.db.insert(volunteers).values({
    userId: who.userId,
    communityId,
    compoundId,
    realName: name,
    idTail: '1230',
    skills: ['visit'],
    status: 'verified',
    onDuty,
  });
  return who;
}

async function newCompound(name: string, lat: number | null, lng: number | null) {
  const [c] = await t.deps.db.insert(compounds).values({ communityId, name, lat, lng }).returning();
  return c!.id;
}

async function compoundId(name: string) {
  const [c] = await t.deps.db
    .select({ id: compounds.id })
    .from(compounds)
    .where(and(eq(compounds.communityId, communityId), eq(compounds.name, name)));
  return c!.id;
}

const told = async (callId: string, round?: number) =>
  (
    await t.deps.db
      .select()
      .from(emergencyEvents)
      .where(
        and(
          eq(emergencyEvents.callId, callId),
          eq(emergencyEvents.kind, 'told'),
          round === undefined ? undefined : eq(emergencyEvents.round, round),
        ),
      )
  ).map((e) => e.userId!);

const escalate = (callId: string, round: number) =>
  volunteerJobs.process(
    { name: 'volunteers.emergencyEscalate', data: { callId, round } } as unknown as Job,
    t.deps,
  );

const noticesOf = (callId: string) =>
  t.deps.db
    .select()
    .from(notifications)
    .where(like(notifications.link, `%id=${callId}`));

async function callRow(id: string) {
  const [c] = await t.deps.db.select().from(emergencyCalls).where(eq(emergencyCalls.id, id));
  return c!;
}

beforeAll(async () => {
  t = await setupTestApp(TEST_ENV);
  t.clock.set(NOW);
  communityId = await demoCommunityId(t);
  elder = await t.login(PHONES.elder);
  family = await t.login(PHONES.familyProxy);
  staff = await t.login(PHONES.staff);
  for (const [k, phone] of Object.entries({
    zhao: '13800000004',
    qian: '13800000040',
    sun: '13800000041',
    zhou: '13800000042',
  }))
    V[k] = await t.login(phone);
  // Beyond the demo compounds: ~1 km and ~2 km north of 银杏院, and one with no known position.
  const [ginkgo] = DEMO_COMPOUNDS;
  V.far1 = await makeVolunteer('吴一公里', await newCompound('北苑', ginkgo.lat + 0.0088, ginkgo.lng));
  V.far2 = await makeVolunteer('郑两公里', await newCompound('远郊苑', ginkgo.lat + 0.0188, ginkgo.lng));
  V.nowhere = await makeVolunteer('冯无位置', await newCompound('未定位苑', null, null));
  // The nearest of all, but off duty: never told.
  V.offDuty = await makeVolunteer('陈休息', await compoundId('银杏院'), false);
  staffIds = (
    await t.deps.db
      .select({ id: staffCommunities.userId })
      .from(staffCommunities)
      .where(eq(staffCommunities.communityId, communityId))
  ).map((r) => r.id);
  expect(staffIds).toContain(staff.userId);
}, 60_000);
afterAll(async () => {
  await t?.close();
});

let first: string;

describe('raising a call', () => {
  it('tells the family, staff and exactly the 3 nearest volunteers on duty, at once, and queues round 1', async () => {
    const res = await t.call({ method: 'POST', url: '/v1/help/emergency', headers: asFamily(), payload: {} });
    expect(res.status).toBe(200);
    first = res.body.id;
    expect(res.body).toMatchObject({
      status: 'raised',
      testMode: false,
      round: 0,
      elderName: '刘奶奶',
      headline: '已通知家人、社区和 3 位附近志愿者，正在等待响应',
      can: { cancel: true, answer: false, acknowledge: false },
    });
    expect(res.body.address).toContain('银杏院');
    const row = await callRow(first);
    expect(row.elderId).toBe(elder.userId);
    expect(row.raisedBy).toBe(family.userId);

    const round0 = await told(first, 0);
    expect(new Set(round0)).toEqual(
      new Set([elder.userId, family.userId, ...staffIds, V.sun!.userId, V.zhao!.userId, V.zhou!.userId]),
    );
    expect(round0).toHaveLength(new Set(round0).size);
    expect(round0).not.toContain(V.offDuty!.userId);
    expect(round0).not.toContain(V.qian!.userId);
    // Everyone told has an inbox row, and (not a drill) a subscribe message was queued.
    const notes = await noticesOf(first);
    expect(new Set(notes.map((n) => n.userId))).toEqual(new Set(round0));
    const deliveries = await t.deps.db
      .select()
      .from(wechatDeliveries)
      .where(
        inArray(
          wechatDeliveries.notificationId,
          notes.map((n) => n.id),
        ),
      );
    expect(deliveries).toHaveLength(notes.length);
    expect(notes.every((n) => !n.title.startsWith('【演练】'))).toBe(true);
    // The timeline says who was told, how, in which round.
    const sunEvent = res.body.timeline.find((e: { who: string }) => e.who === '孙志愿');
    expect(sunEvent).toMatchObject({ kind: 'told', channel: 'inbox', round: 0 });
    expect(sunEvent.detail).toContain('微信');
    expect(res.body.timeline[0]).toMatchObject({ kind: 'raised', who: '刘晓明' });

    const [job] = (
      await t.deps.db.select().from(outbox).where(eq(outbox.jobName, 'volunteers.emergencyEscalate'))
    ).filter((o) => (o.payload as { callId: string }).callId === first);
    expect(job).toMatchObject({ payload: { callId: first, round: 1 }, delayMs: 60_000 });
  });

  it('a second press while the call is live returns the same call and tells nobody again', async () => {
    const before = (await t.deps.db.select().from(emergencyEvents).where(eq(emergencyEvents.callId, first)))
      .length;
    const again = await t.call({ method: 'POST', url: '/v1/help/emergency', headers: h(elder), payload: {} });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first);
    const calls = await t.deps.db
      .select()
      .from(emergencyCalls)
      .where(eq(emergencyCalls.elderId, elder.userId));
    expect(calls).toHaveLength(1);
    expect(
      (await t.deps.db.select().from(emergencyEvents).where(eq(emergencyEvents.callId, first))).length,
    ).toBe(before);
  });
});

describe('escalation rounds', () => {
  it('an early round job changes nothing (and queues itself for the time left)', async () => {
    await after(first, 30);
    expect(await escalate(first, 1)).toBe(false);
    expect(await told(first, 1)).toEqual([]);
    expect((await callRow(first)).round).toBe(0);
  });

  it('round 1 after 60 s tells the next 3 nearest not yet told, and all staff again', async () => {
    await after(first, 60);
    await escalate(first, 1);
    expect(new Set(await told(first, 1))).toEqual(
      new Set([V.qian!.userId, V.far1!.userId, V.far2!.userId, ...staffIds]),
    );
    expect((await callRow(first)).round).toBe(1);
    const staffNote = (await noticesOf(first)).find(
      (n) => n.userId === staff.userId && n.title.includes('第1次提醒'),
    );
    expect(staffNote).toBeDefined();
  });

  it('a replayed or forged round job changes nothing', async () => {
    const before = (await t.deps.db.select().from(emergencyEvents).where(eq(emergencyEvents.callId, first)))
      .length;
    expect(await escalate(first, 1)).toBe(false);
    expect(await escalate(first, 5)).toBe(false);
    expect(
      (await t.deps.db.select().from(emergencyEvents).where(eq(emergencyEvents.callId, first))).length,
    ).toBe(before);
    expect((await callRow(first)).round).toBe(1);
  });

  it('round 2 after another 60 s tells the rest (unknown places last) and staff again', async () => {
    await after(first, 120);
    await escalate(first, 2);
    expect(new Set(await told(first, 2))).toEqual(new Set([V.nowhere!.userId, ...staffIds]));
    expect(await told(first)).not.toContain(V.offDuty!.userId);
  });

  it('after staff acknowledge, the next round job does nothing', async () => {
    const ack = await t.call({
      method: 'POST',
      url: `/v1/staff/emergencies/${first}/acknowledge`,
      headers: h(staff),
      payload: {},
    });
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({
      status: 'acknowledged',
      acknowledgedByName: '王社工',
      can: { resolve: true },
    });
    await after(first, 180);
    expect(await escalate(first, 3)).toBe(false);
    expect(await told(first, 3)).toEqual([]);
    expect((await callRow(first)).round).toBe(2);
    const mine = await t.call({ method: 'GET', url: `/v1/help/emergencies/${first}`, headers: asFamily() });
    expect(mine.body.headline).toBe('社区工作人员王社工已接手，正在处置');

    const done = await t.call({
      method: 'POST',
      url: `/v1/staff/emergencies/${first}/resolve`,
      headers: h(staff),
      payload: { note: '电话联系上，老人摔倒已扶起' },
    });
    expect(done.status).toBe(200);
    const seen = await t.call({ method: 'GET', url: `/v1/help/emergencies/${first}`, headers: h(elder) });
    expect(seen.body).toMatchObject({ status: 'resolved', headline: '社区工作人员王社工已处理' });
    expect(seen.body.timeline.at(-1)).toMatchObject({
      kind: 'resolved',
      detail: '电话联系上，老人摔倒已扶起',
    });
  });

  it('the timeline is append-only in the database', async () => {
    await expect(
      t.deps.db.update(emergencyEvents).set({ detail: 'x' }).where(eq(emergencyEvents.callId, first)),
    ).rejects.toThrow();
  });
});

let second: string;
let responder: Who;

describe('answering', () => {
  it('five volunteers answer at once: exactly one responder, the others 409 EMERGENCY_ANSWERED', async () => {
    t.clock.set(at(600));
    const raised = await t.call({
      method: 'POST',
      url: '/v1/help/emergency',
      headers: h(elder),
      payload: {},
    });
    expect(raised.status).toBe(200);
    second = raised.body.id;
    expect(second).not.toBe(first);
    await after(second, 60);
    await escalate(second, 1);
    const racers = [V.sun!, V.zhao!, V.zhou!, V.qian!, V.far1!];
    const results = await Promise.all(
      racers.map((v) =>
        t.call({
          method: 'POST',
          url: `/v1/volunteer/emergencies/${second}/answer`,
          headers: h(v),
          payload: {},
        }),
      ),
    );
    const won = results.filter((r) => r.status === 200);
    const lost = results.filter((r) => r.status !== 200);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(4);
    for (const r of lost) expect(r.body.error.code).toBe('EMERGENCY_ANSWERED');
    const winner = racers[results.findIndex((r) => r.status === 200)]!;
    responder = winner;
    const row = await callRow(second);
    expect(row.status).toBe('answered');
    expect(row.responderId).toBe(winner.userId);
    const answered = (
      await t.deps.db.select().from(emergencyEvents).where(eq(emergencyEvents.callId, second))
    ).filter((e) => e.kind === 'answered');
    expect(answered).toHaveLength(1);

    // The responder sees the address and phone; the read is in the elder's access log.
    const [w] = won;
    expect(w!.body.address).toContain('银杏院');
    expect(w!.body.phone).toBe(PHONES.elder);
    const logged = await t.deps.db
      .select()
      .from(elderAccessLog)
      .where(and(eq(elderAccessLog.elderId, elder.userId), eq(elderAccessLog.readerId, winner.userId)));
    expect(logged.map((l) => l.field).sort()).toEqual(['address', 'phone']);
    expect(logged.every((l) => l.reason === '一键求助响应')).toBe(true);

    // A volunteer told but not answering sees neither, and no read of theirs is logged.
    const far2 = await t.call({ method: 'GET', url: '/v1/volunteer/emergencies', headers: h(V.far2!) });
    expect(far2.status, JSON.stringify(far2.body)).toBe(200);
    const item = far2.body.items.find((c: { id: string }) => c.id === second);
    expect(item).toMatchObject({
      address: null,
      phone: null,
      elderName: '银杏院刘家',
      can: { answer: false },
    });
    expect(
      item.timeline.some((e: { kind: string; who: string }) => e.kind === 'told' && e.who === '刘晓明'),
    ).toBe(false);
    const far2Log = await t.deps.db
      .select()
      .from(elderAccessLog)
      .where(eq(elderAccessLog.readerId, V.far2!.userId));
    expect(far2Log).toEqual([]);

    // The family and staff are told who is coming.
    const winnerName = (
      await t.deps.db.select().from(volunteers).where(eq(volunteers.userId, winner.userId))
    )[0]!.realName;
    const mine = await t.call({ method: 'GET', url: `/v1/help/emergencies/${second}`, headers: asFamily() });
    expect(mine.body).toMatchObject({ headline: `志愿者${winnerName}正在赶来`, responderName: winnerName });
    for (const userId of [family.userId, staff.userId]) {
      const notes = (await noticesOf(second)).filter(
        (n) => n.userId === userId && n.kind === 'emergency.answered',
      );
      expect(notes.map((n) => n.title)).toEqual([`志愿者${winnerName}正在赶来`]);
    }
  });

  it('a volunteer who was not told cannot answer (404), and the call is unchanged', async () => {
    const res = await t.call({
      method: 'POST',
      url: `/v1/volunteer/emergencies/${second}/answer`,
      headers: h(V.nowhere!),
      payload: {},
    });
    expect(res.status).toBe(404);
    expect((await callRow(second)).status).toBe('answered');
  });

  it('the family cancels a false alarm; it leaves everyone’s banner', async () => {
    const banner = await t.call({ method: 'GET', url: '/v1/emergency-banner', headers: h(V.far2!) });
    expect(banner.body.items.map((c: { id: string }) => c.id)).toEqual([second]);
    const res = await t.call({
      method: 'POST',
      url: `/v1/help/emergencies/${second}/cancel`,
      headers: asFamily(),
      payload: { note: '老人误按' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'cancelled', headline: '求助已取消' });
    const after = await t.call({ method: 'GET', url: '/v1/emergency-banner', headers: h(V.far2!) });
    expect(after.body.items).toEqual([]);
    // Once it is over the responder no longer sees the door.
    const theirs = await t.call({ method: 'GET', url: '/v1/volunteer/emergencies', headers: h(responder) });
    expect(theirs.body.items.find((c: { id: string }) => c.id === second)).toMatchObject({
      status: 'cancelled',
      address: null,
      phone: null,
    });
    const again = await t.call({
      method: 'POST',
      url: `/v1/help/emergencies/${second}/cancel`,
      headers: asFamily(),
      payload: {},
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('EMERGENCY_NOT_LIVE');
  });
});

let drill: string;

describe('test mode (a drill)', () => {
  it('queues no subscribe message, marks every title 【演练】, and says so in the timeline', async () => {
    t.clock.set(at(1200));
    const wechatJobsBefore = (
      await t.deps.db.select().from(outbox).where(eq(outbox.jobName, 'notification.sendWechat'))
    ).length;
    const res = await t.call({
      method: 'POST',
      url: '/v1/help/emergency',
      headers: asFamily(),
      payload: { testMode: true },
    });
    expect(res.status).toBe(200);
    drill = res.body.id;
    expect(res.body.testMode).toBe(true);
    expect(res.body.headline).toBe('【演练】已通知家人、社区和 3 位附近志愿者，正在等待响应');
    expect(res.body.timeline[0].detail).toContain('演练');
    await after(drill, 60);
    await escalate(drill, 1);
    const answered = await t.call({
      method: 'POST',
      url: `/v1/volunteer/emergencies/${drill}/answer`,
      headers: h(V.sun!),
      payload: {},
    });
    expect(answered.status).toBe(200);

    const notes = await noticesOf(drill);
    expect(notes.length).toBeGreaterThan(10);
    for (const n of notes) expect(n.title.startsWith('【演练】')).toBe(true);
    const deliveries = await t.deps.db
      .select()
      .from(wechatDeliveries)
      .where(
        inArray(
          wechatDeliveries.notificationId,
          notes.map((n) => n.id),
        ),
      );
    expect(deliveries).toEqual([]);
    expect(
      (await t.deps.db.select().from(outbox).where(eq(outbox.jobName, 'notification.sendWechat'))).length,
    ).toBe(wechatJobsBefore);
    const events = await t.deps.db.select().from(emergencyEvents).where(eq(emergencyEvents.callId, drill));
    for (const e of events.filter((e) => e.kind === 'told')) expect(e.detail).toContain('演练');

    const closed = await t.call({
      method: 'POST',
      url: `/v1/staff/emergencies/${drill}/resolve`,
      headers: h(staff),
      payload: { note: '演练结束' },
    });
    expect(closed.status).toBe(200);
  });
});

let live: string;

describe('with no subscribe quota at all', () => {
  it('everyone still has the inbox row and the banner shows the call', async () => {
    // 孙志愿 has a WeChat account but never granted a message: zero quota.
    await t.deps.db.update(users).set({ openid: 'o_sun_no_quota' }).where(eq(users.id, V.sun!.userId));
    t.clock.set(at(1800));
    const res = await t.call({ method: 'POST', url: '/v1/help/emergency', headers: h(elder), payload: {} });
    live = res.body.id;
    expect(
      await t.deps.db.select().from(subscribeQuotas).where(eq(subscribeQuotas.userId, V.sun!.userId)),
    ).toEqual([]);
    const notes = await noticesOf(live);
    for (const n of notes)
      expect(
        await notificationJobs.process(
          {
            name: 'notification.sendWechat',
            data: { notificationId: n.id },
            attemptsMade: 0,
            opts: {},
          } as unknown as Job,
          t.deps,
        ),
      ).not.toBe('sent');
    const sunDelivery = (
      await t.deps.db
        .select()
        .from(wechatDeliveries)
        .where(
          inArray(
            wechatDeliveries.notificationId,
            notes.filter((n) => n.userId === V.sun!.userId).map((n) => n.id),
          ),
        )
    )[0];
    expect(sunDelivery?.status).not.toBe('sent');
    expect(t.wechat.sent).toEqual([]);

    for (const who of [V.sun!, V.zhao!, family, staff]) {
      expect(
        (await noticesOf(live)).some((n) => n.userId === who.userId && n.kind === 'emergency.told'),
      ).toBe(true);
      const banner = await t.call({ method: 'GET', url: '/v1/emergency-banner', headers: h(who) });
      expect(banner.status).toBe(200);
      expect(banner.body.items.map((c: { id: string }) => c.id)).toEqual([live]);
    }
    const sunBanner = await t.call({ method: 'GET', url: '/v1/emergency-banner', headers: h(V.sun!) });
    expect(sunBanner.body.items[0]).toMatchObject({ can: { answer: true }, address: null });
    const familyBanner = await t.call({ method: 'GET', url: '/v1/emergency-banner', headers: h(family) });
    expect(familyBanner.body.items[0].address).toContain('银杏院');
    expect(familyBanner.body.items[0].can.cancel).toBe(true);
    // Someone never told sees nothing.
    const resident = await t.login(PHONES.resident);
    expect(
      (await t.call({ method: 'GET', url: '/v1/emergency-banner', headers: h(resident) })).body.items,
    ).toEqual([]);
  });
});

describe('foreign tokens', () => {
  it('another elder’s side cannot read or cancel the call (404), and nothing changes', async () => {
    const households = await demoHouseholds(t, family);
    const [other] = await t.deps.db
      .insert(users)
      .values({ phone: freshPhone(), name: '别家老人', birthDate: '1941-01-01' })
      .returning();
    await t.deps.db.insert(elderProfiles).values({ userId: other!.id, householdId: households[30]! });
    const otherElder = await t.login(other!.phone!);
    const read = await t.call({ method: 'GET', url: `/v1/help/emergencies/${live}`, headers: h(otherElder) });
    expect(read.status).toBe(404);
    const cancel = await t.call({
      method: 'POST',
      url: `/v1/help/emergencies/${live}/cancel`,
      headers: h(otherElder),
      payload: {},
    });
    expect(cancel.status).toBe(404);
    expect(
      (await t.call({ method: 'GET', url: '/v1/help/emergencies', headers: h(otherElder) })).body.items,
    ).toEqual([]);
    // Her son acting for an elder he has no link to is refused before anything is looked up.
    const proxied = await t.call({
      method: 'POST',
      url: `/v1/help/emergencies/${live}/cancel`,
      headers: { authorization: family.authorization, 'x-on-behalf-of': other!.id },
      payload: {},
    });
    expect(proxied.status).toBe(404);
    // Staff of another community cannot acknowledge it.
    const stranger = await makeStaff(t, { runsDemo: false });
    const ack = await t.call({
      method: 'POST',
      url: `/v1/staff/emergencies/${live}/acknowledge`,
      headers: h(stranger),
      payload: {},
    });
    expect(ack.status).toBe(404);
    expect(
      (await t.call({ method: 'GET', url: '/v1/staff/emergencies', headers: h(stranger) })).body.items,
    ).toEqual([]);
    expect((await callRow(live)).status).toBe('raised');
  });
});

describe('presses at once', () => {
  it('three presses at the same moment make one call', async () => {
    const closed = await t.call({
      method: 'POST',
      url: `/v1/staff/emergencies/${live}/resolve`,
      headers: h(staff),
      payload: {},
    });
    expect(closed.status).toBe(200);
    const before = (
      await t.deps.db.select().from(emergencyCalls).where(eq(emergencyCalls.elderId, elder.userId))
    ).length;
    const presses = await Promise.all([
      t.call({ method: 'POST', url: '/v1/help/emergency', headers: h(elder), payload: {} }),
      t.call({ method: 'POST', url: '/v1/help/emergency', headers: asFamily(), payload: {} }),
      t.call({ method: 'POST', url: '/v1/help/emergency', headers: h(elder), payload: {} }),
    ]);
    expect(presses.map((p) => p.status)).toEqual([200, 200, 200]);
    expect(new Set(presses.map((p) => p.body.id)).size).toBe(1);
    const after = await t.deps.db
      .select()
      .from(emergencyCalls)
      .where(eq(emergencyCalls.elderId, elder.userId));
    expect(after).toHaveLength(before + 1);
    expect(after.filter((c) => c.status === 'raised')).toHaveLength(1);
  });
});

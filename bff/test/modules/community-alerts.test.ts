import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  communityAlerts,
  fanoutChunks,
  notifications,
  outbox,
  subscribeQuotas,
  wechatDeliveries,
} from '../../src/db/schema';
import {
  type CommunityWorld,
  communityWorld,
  outsider,
  runCommunityJob,
  runFanout,
  takeCommunityJobs,
  type Who,
} from '../fixtures/community';
import { bearer, TEST_ENV } from '../fixtures/people';
import { setupTestApp, type TestApp } from '../helper';

let t: TestApp;
let big: CommunityWorld;
let small: CommunityWorld;
let other: CommunityWorld;

const send = (who: Who, text: string) =>
  t.call({ method: 'POST', url: '/v1/staff/community/alerts', headers: bearer(who), payload: { text } });
const inboxOf = (alertId: string) =>
  t.deps.db
    .select({ n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(eq(notifications.dedupeKey, `community.alert:${alertId}`))
    .then((r) => r[0]!.n);
const alertRow = (id: string) =>
  t.deps.db
    .select()
    .from(communityAlerts)
    .where(eq(communityAlerts.id, id))
    .then((r) => r[0]!);

beforeAll(async () => {
  // Chunks of 500: 2,500 members fan out in five chunks.
  t = await setupTestApp({ ...TEST_ENV, COMMUNITY_FANOUT_CHUNK_SIZE: '500' });
  [big, small, other] = await Promise.all([
    communityWorld(t, { households: 1250, perHousehold: 2 }),
    communityWorld(t, { households: 3, tokens: true }),
    communityWorld(t, { households: 1, tokens: true }),
  ]);
}, 60_000);
afterAll(() => t?.close());

describe('urgent alert fan-out', () => {
  it('reaches 2,500 members in five chunks, once each, and a replayed chunk adds nothing', async () => {
    const res = await send(big.staff, '今晚 20:00 至 22:00 小区停水检修，请提前储水。');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ members: 2500, reached: 0, deliveredAt: null });
    const jobs = await takeCommunityJobs(t, 'community.fanoutChunk');
    expect(jobs).toHaveLength(5);
    // All five at once, as parallel workers would run them.
    const written = await Promise.all(jobs.map((j) => runCommunityJob(t, j.name, j.data)));
    expect(written).toEqual([500, 500, 500, 500, 500]);
    expect(await inboxOf(res.body.id)).toBe(2500);
    const a = await alertRow(res.body.id);
    expect(a).toMatchObject({ reached: 2500, chunksLeft: 0 });
    expect(a.deliveredAt).not.toBeNull();

    // Replays: the same chunk jobs again, twice at once.
    const again = await Promise.all([...jobs, ...jobs].map((j) => runCommunityJob(t, j.name, j.data)));
    expect(again.every((n) => n === 0)).toBe(true);
    expect(await inboxOf(res.body.id)).toBe(2500);
    expect(await alertRow(res.body.id)).toMatchObject({ reached: 2500, chunksLeft: 0 });

    // Even a chunk planned twice over the whole range (the unique (user, key) is the last line of
    // defence) writes no second row.
    await t.deps.db
      .insert(fanoutChunks)
      .values({ kind: 'alert', subjectId: res.body.id, seq: 99, afterUser: null, upToUser: null });
    expect(await runCommunityJob(t, jobs[0]!.name, { ...jobs[0]!.data, seq: 99 })).toBe(0);
    expect(await inboxOf(res.body.id)).toBe(2500);

    const staffView = await t.call({
      method: 'GET',
      url: `/v1/staff/community/alerts/${res.body.id}`,
      headers: bearer(big.staff),
    });
    expect(staffView.body).toMatchObject({ members: 2500, reached: 2500, acknowledged: 0 });
    expect(staffView.body.deliveredAt).not.toBeNull();
    // The list tells staff whom the next alert reaches, before they send it.
    const list = await t.call({
      method: 'GET',
      url: '/v1/staff/community/alerts',
      headers: bearer(big.staff),
    });
    expect(list.body.audiences).toEqual([{ communityId: expect.any(String), members: 2500 }]);
  }, 30_000);

  it('a forged job (no such alert, no such chunk, a withdrawn alert) changes nothing', async () => {
    const before = await t.deps.db.select({ n: sql<number>`count(*)::int` }).from(notifications);
    expect(
      await runCommunityJob(t, 'community.fanoutChunk', {
        kind: 'alert',
        subjectId: '0190aaaa-0000-7000-8000-000000000000',
        seq: 0,
      }),
    ).toBe(0);
    const res = await send(small.staff, '燃气管道抢修，请关闭燃气阀门');
    const jobs = await takeCommunityJobs(t, 'community.fanoutChunk');
    expect(jobs).toHaveLength(1);
    expect(await runCommunityJob(t, 'community.fanoutChunk', { ...jobs[0]!.data, seq: 7 })).toBe(0);
    // A bad payload fails the job before any handler runs.
    await expect(
      runCommunityJob(t, 'community.fanoutChunk', { kind: 'everyone', subjectId: res.body.id, seq: 0 }),
    ).rejects.toThrow();
    // Withdrawn before its chunk ran: the chunk writes nothing.
    const w = await t.call({
      method: 'POST',
      url: `/v1/staff/community/alerts/${res.body.id}/withdraw`,
      headers: bearer(small.staff),
      payload: {},
    });
    expect(w.status).toBe(200);
    expect(w.body.withdrawnAt).not.toBeNull();
    expect(await runCommunityJob(t, jobs[0]!.name, jobs[0]!.data)).toBe(0);
    expect(await inboxOf(res.body.id)).toBe(0);
    const after = await t.deps.db.select({ n: sql<number>`count(*)::int` }).from(notifications);
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it('sends subscribe messages only to members with a grant left, and the banner goes on acknowledgement', async () => {
    const [granted, plain] = [small.members[0]![0]!, small.members[1]![0]!];
    await t.deps.db.insert(subscribeQuotas).values({
      userId: granted.userId,
      templateId: t.deps.config.WECHAT_TEMPLATE_ORDER_STATUS,
      remaining: 1,
    });
    const res = await send(small.staff, '台风预警：请收好阳台物品，非必要不外出');
    expect(res.status).toBe(201);
    await runFanout(t);
    const deliveries = await t.deps.db
      .select({ userId: notifications.userId })
      .from(wechatDeliveries)
      .innerJoin(notifications, eq(notifications.id, wechatDeliveries.notificationId))
      .where(eq(notifications.dedupeKey, `community.alert:${res.body.id}`));
    expect(deliveries.map((d) => d.userId)).toEqual([granted.userId]);
    const [delivery] = await t.deps.db
      .select({ id: wechatDeliveries.notificationId })
      .from(wechatDeliveries)
      .innerJoin(notifications, eq(notifications.id, wechatDeliveries.notificationId))
      .where(eq(notifications.dedupeKey, `community.alert:${res.body.id}`));
    const sends = await t.deps.db
      .select()
      .from(outbox)
      .where(
        and(
          eq(outbox.jobName, 'notification.sendWechat'),
          sql`${outbox.payload}->>'notificationId' = ${delivery!.id}`,
        ),
      );
    expect(sends).toHaveLength(1);

    const live = await t.call({ method: 'GET', url: '/v1/community/alerts/live', headers: bearer(plain) });
    expect(live.status).toBe(200);
    expect(live.body.items.map((a: { id: string }) => a.id)).toContain(res.body.id);
    // Acknowledged twice at once: one receipt, and the inbox row is read.
    const acks = await Promise.all(
      [1, 2].map(() =>
        t.call({
          method: 'POST',
          url: `/v1/community/alerts/${res.body.id}/ack`,
          headers: bearer(plain),
          payload: {},
        }),
      ),
    );
    expect(acks.map((a) => a.status)).toEqual([200, 200]);
    expect(acks[0]!.body.acknowledgedAt).not.toBeNull();
    const after = await t.call({ method: 'GET', url: '/v1/community/alerts/live', headers: bearer(plain) });
    expect(after.body.items.map((a: { id: string }) => a.id)).not.toContain(res.body.id);
    const [row] = await t.deps.db
      .select()
      .from(notifications)
      .where(
        and(
          eq(notifications.userId, plain.userId),
          eq(notifications.dedupeKey, `community.alert:${res.body.id}`),
        ),
      );
    expect(row!.readAt).not.toBeNull();
    const staffView = await t.call({
      method: 'GET',
      url: `/v1/staff/community/alerts/${res.body.id}`,
      headers: bearer(small.staff),
    });
    expect(staffView.body.acknowledged).toBe(1);

    // After the live window the banner goes by itself.
    t.clock.advance((t.deps.config.COMMUNITY_ALERT_LIVE_HOURS + 1) * 3_600_000);
    try {
      const later = await t.call({
        method: 'GET',
        url: '/v1/community/alerts/live',
        headers: bearer(granted),
      });
      expect(later.body.items).toEqual([]);
    } finally {
      t.clock.advance(-(t.deps.config.COMMUNITY_ALERT_LIVE_HOURS + 1) * 3_600_000);
    }
  });

  it('counts characters as code points: 110 fit, 111 are a field error; blank and hostile input are 400s', async () => {
    const emoji110 = '🚨'.repeat(110);
    const ok = await send(other.staff, emoji110);
    expect(ok.status).toBe(201);
    expect(ok.body.text).toBe(emoji110);
    for (const text of ['字'.repeat(111), '   ', '']) {
      const bad = await send(other.staff, text);
      expect(bad.status).toBe(400);
      expect(bad.body.error.details[0].path).toBe('body.text');
    }
    for (const payload of [
      { text: 5 },
      { text: 'x', extra: 1 },
      { text: 'x', communityId: 'not-a-uuid' },
      [],
    ]) {
      const bad = await t.call({
        method: 'POST',
        url: '/v1/staff/community/alerts',
        headers: bearer(other.staff),
        payload,
      });
      expect(bad.status).toBe(400);
    }
    // Naming a community one does not run is a field error, not someone else's alert.
    const foreign = await t.call({
      method: 'POST',
      url: '/v1/staff/community/alerts',
      headers: bearer(other.staff),
      payload: { text: '测试', communityId: big.communityId },
    });
    expect(foreign.status).toBe(400);
    await takeCommunityJobs(t);
  });

  it('keeps alerts to their community: outsiders and other staff get 404 or 403', async () => {
    const res = await send(small.staff, '电梯维保，今天 14:00 后暂停使用');
    await runFanout(t);
    const nobody = await outsider(t);
    expect(
      (await t.call({ method: 'GET', url: '/v1/community/alerts/live', headers: bearer(nobody) })).status,
    ).toBe(403);
    for (const who of [nobody, other.members[0]![0]!]) {
      const r = await t.call({
        method: 'GET',
        url: `/v1/community/alerts/${res.body.id}`,
        headers: bearer(who),
      });
      expect(r.status).toBe(404);
    }
    const foreignStaff = await t.call({
      method: 'GET',
      url: `/v1/staff/community/alerts/${res.body.id}`,
      headers: bearer(other.staff),
    });
    expect(foreignStaff.status).toBe(404);
    const list = await t.call({
      method: 'GET',
      url: '/v1/staff/community/alerts',
      headers: bearer(other.staff),
    });
    expect(list.body.items.map((a: { id: string }) => a.id)).not.toContain(res.body.id);
    // A resident cannot send one.
    expect((await send(small.members[0]![0]!, '假警报')).status).toBe(403);
  });
});

import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { notifications, subscribeQuotas, wechatDeliveries } from '../../src/db/schema';
import { deliverWechat, notify } from '../../src/modules/notifications/service';
import { startWorkers, type WorkerRuntime } from '../../src/workers';
import { setupTestApp, type TestApp } from '../helper';

const TEMPLATE = 'tmpl_review_result';
let t: TestApp;
let user: { authorization: string; userId: string; openid: string };
let workers: WorkerRuntime | undefined;

async function wechatUser(code: string, openid: string) {
  t.wechat.registerCode(code, { openid });
  const res = await t.call({ method: 'POST', url: '/v1/auth/wechat', payload: { code } });
  return { authorization: `Bearer ${res.body.accessToken}`, userId: res.body.userId as string, openid };
}

const grant = (authorization: string, results: Record<string, string>) =>
  t.call({
    method: 'POST',
    url: '/v1/notifications/subscriptions',
    headers: { authorization },
    payload: { results },
  });

const event = (userId: string, key: string) => ({
  userId,
  kind: 'test.event',
  title: '测试通知',
  body: '内容',
  dedupeKey: key,
  wechat: {
    template: 'reviewResult' as const,
    page: 'pages/index/index',
    data: { thing1: '住户认证', phrase2: '已通过' },
  },
});

async function until(check: () => boolean | Promise<boolean>, ms = 8000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  t = await setupTestApp({ NOTIFY_WECHAT_PER_MINUTE: '600' });
});
afterAll(async () => {
  await workers?.close();
  await t?.close();
});
beforeEach(async () => {
  t.wechat.reset();
  user = await wechatUser(`code-${Math.random()}`, `o_user_${Math.random().toString(36).slice(2)}`);
});

describe('subscribe-message quota', () => {
  it('tells the mini-program which template ids to ask for, from config', async () => {
    const res = await t.call({
      method: 'GET',
      url: '/v1/notifications/templates',
      headers: { authorization: user.authorization },
    });
    expect(res.body).toEqual({ reviewResult: TEMPLATE, orderStatus: 'tmpl_order_status' });
    const other = await setupTestApp({ WECHAT_TEMPLATE_REVIEW_RESULT: 'Xy9-console-id' });
    try {
      const who = await other.login('13800000010');
      const r = await other.call({
        method: 'GET',
        url: '/v1/notifications/templates',
        headers: { authorization: who.authorization },
      });
      expect(r.body).toEqual({ reviewResult: 'Xy9-console-id', orderStatus: 'tmpl_order_status' });
    } finally {
      await other.close();
    }
  });

  it('records one send per accepted template, ignores rejected ones', async () => {
    const res = await grant(user.authorization, { [TEMPLATE]: 'accept', other: 'reject', banned: 'ban' });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([{ templateId: TEMPLATE, remaining: 1 }]);
    await grant(user.authorization, { [TEMPLATE]: 'accept' });
    const q = await t.call({
      method: 'GET',
      url: '/v1/notifications/subscriptions',
      headers: { authorization: user.authorization },
    });
    expect(q.body.items).toEqual([{ templateId: TEMPLATE, remaining: 2 }]);
  });

  it('sends while quota lasts, then falls back to the inbox only', async () => {
    await grant(user.authorization, { [TEMPLATE]: 'accept' });
    workers = startWorkers(t.deps, { info() {}, warn() {}, error() {} }, { relayIntervalMs: 20 });
    for (const key of ['a', 'b'])
      await t.deps.db.transaction((tx) => notify(tx, event(user.userId, `quota:${user.userId}:${key}`)));
    await until(async () => {
      const rows = await t.deps.db.select().from(wechatDeliveries);
      return rows.filter((r) => r.status !== 'pending').length >= 2;
    });
    await workers.close();
    workers = undefined;
    expect(t.wechat.sent.filter((m) => m.touser === user.openid)).toHaveLength(1);
    const inbox = await t.call({
      method: 'GET',
      url: '/v1/notifications',
      headers: { authorization: user.authorization },
    });
    expect(inbox.body.items).toHaveLength(2);
    expect(inbox.body.unread).toBe(2);
    const [q] = await t.deps.db.select().from(subscribeQuotas).where(eq(subscribeQuotas.userId, user.userId));
    expect(q!.remaining).toBe(0);
  });
});

describe('dedupe', () => {
  it('the same event notified twice makes one inbox row and at most one send, even if the job is replayed', async () => {
    await grant(user.authorization, { [TEMPLATE]: 'accept' });
    await grant(user.authorization, { [TEMPLATE]: 'accept' });
    const key = `dup:${user.userId}`;
    const first = await t.deps.db.transaction((tx) => notify(tx, event(user.userId, key)));
    const second = await t.deps.db.transaction((tx) => notify(tx, event(user.userId, key)));
    expect(first).not.toBeNull();
    expect(second).toBeNull();

    const outcomes = await Promise.all(
      Array.from({ length: 5 }, () => deliverWechat(t.deps, first!.id, { isLast: false })),
    );
    expect(outcomes.filter((o) => o === 'sent')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'skipped')).toHaveLength(4);
    expect(t.wechat.sent.filter((m) => m.touser === user.openid)).toHaveLength(1);
    const rows = await t.deps.db.select().from(notifications).where(eq(notifications.userId, user.userId));
    expect(rows).toHaveLength(1);
    const [q] = await t.deps.db.select().from(subscribeQuotas).where(eq(subscribeQuotas.userId, user.userId));
    expect(q!.remaining).toBe(1);
  });
});

describe('times in subscribe messages', () => {
  it('are stored as UTC and shown in TZ_DISPLAY when sent', async () => {
    await grant(user.authorization, { [TEMPLATE]: 'accept' });
    await grant(user.authorization, { [TEMPLATE]: 'accept' });
    const at = '2026-03-08T18:30:00.000Z';
    const send = async (key: string, tz: string) => {
      const n = await t.deps.db.transaction((tx) =>
        notify(tx, { ...event(user.userId, key), wechat: { template: 'reviewResult', data: { time3: at } } }),
      );
      await deliverWechat({ ...t.deps, config: { ...t.deps.config, TZ_DISPLAY: tz } }, n!.id, {
        isLast: false,
      });
      return t.wechat.sent.at(-1)!.data.time3!.value;
    };
    expect(await send(`tz1:${user.userId}`, 'Asia/Shanghai')).toBe('2026-03-09 02:30');
    expect(await send(`tz2:${user.userId}`, 'UTC')).toBe('2026-03-08 18:30');
  });
});

describe('a worker that died mid-send', () => {
  it('leaves a claim that another worker takes over once the lease has run out', async () => {
    await grant(user.authorization, { [TEMPLATE]: 'accept' });
    const n = await t.deps.db.transaction((tx) => notify(tx, event(user.userId, `lease:${user.userId}`)));
    await t.deps.db
      .update(wechatDeliveries)
      .set({ status: 'sending', quotaTaken: true, claimedAt: new Date(Date.now() - 5_000) })
      .where(eq(wechatDeliveries.notificationId, n!.id));
    expect(await deliverWechat(t.deps, n!.id, { isLast: false })).toBe('skipped');
    await t.deps.db
      .update(wechatDeliveries)
      .set({ claimedAt: new Date(Date.now() - 120_000) })
      .where(eq(wechatDeliveries.notificationId, n!.id));
    expect(await deliverWechat(t.deps, n!.id, { isLast: false })).toBe('sent');
    expect(t.wechat.sent.filter((m) => m.touser === user.openid)).toHaveLength(1);
  });
});

describe('retries', () => {
  it('a WeChat outage is retried and the message goes out once; the quota is spent once', async () => {
    await grant(user.authorization, { [TEMPLATE]: 'accept' });
    const n = await t.deps.db.transaction((tx) => notify(tx, event(user.userId, `retry:${user.userId}`)));
    t.wechat.failNext('subscribe_send', -1, 2);
    await expect(deliverWechat(t.deps, n!.id, { isLast: false })).rejects.toThrow();
    await expect(deliverWechat(t.deps, n!.id, { isLast: false })).rejects.toThrow();
    expect(await deliverWechat(t.deps, n!.id, { isLast: false })).toBe('sent');
    const [d] = await t.deps.db
      .select()
      .from(wechatDeliveries)
      .where(eq(wechatDeliveries.notificationId, n!.id));
    expect(d).toMatchObject({ status: 'sent', attempts: 3 });
    const [q] = await t.deps.db.select().from(subscribeQuotas).where(eq(subscribeQuotas.userId, user.userId));
    expect(q!.remaining).toBe(0);
  });

  it('when the last retry fails the quota is given back and the inbox still has the message', async () => {
    await grant(user.authorization, { [TEMPLATE]: 'accept' });
    const n = await t.deps.db.transaction((tx) => notify(tx, event(user.userId, `lastfail:${user.userId}`)));
    t.wechat.failNext('subscribe_send', -1, 1);
    expect(await deliverWechat(t.deps, n!.id, { isLast: true })).toBe('failed');
    const [q] = await t.deps.db.select().from(subscribeQuotas).where(eq(subscribeQuotas.userId, user.userId));
    expect(q!.remaining).toBe(1);
    const [row] = await t.deps.db.select().from(notifications).where(eq(notifications.id, n!.id));
    expect(row).toBeDefined();
  });

  it('a user who refused the subscription is not retried', async () => {
    await grant(user.authorization, { [TEMPLATE]: 'accept' });
    t.wechat.refuseSubscription(user.openid);
    const n = await t.deps.db.transaction((tx) => notify(tx, event(user.userId, `refused:${user.userId}`)));
    expect(await deliverWechat(t.deps, n!.id, { isLast: false })).toBe('failed');
    expect(await deliverWechat(t.deps, n!.id, { isLast: false })).toBe('skipped');
  });
});

describe('send rate limit', () => {
  it('the worker sends no faster than NOTIFY_WECHAT_PER_MINUTE', async () => {
    const limited = await setupTestApp({ NOTIFY_WECHAT_PER_MINUTE: '2' });
    try {
      limited.wechat.registerCode('rl', { openid: 'o_rate' });
      const login = await limited.call({ method: 'POST', url: '/v1/auth/wechat', payload: { code: 'rl' } });
      const auth = `Bearer ${login.body.accessToken}`;
      for (let i = 0; i < 4; i++)
        await limited.call({
          method: 'POST',
          url: '/v1/notifications/subscriptions',
          headers: { authorization: auth },
          payload: { results: { [TEMPLATE]: 'accept' } },
        });
      for (let i = 0; i < 4; i++)
        await limited.deps.db.transaction((tx) => notify(tx, event(login.body.userId, `rl:${i}`)));
      const rt = startWorkers(limited.deps, { info() {}, warn() {}, error() {} }, { relayIntervalMs: 20 });
      await until(() => limited.wechat.sent.length >= 2);
      await new Promise((r) => setTimeout(r, 1500));
      expect(limited.wechat.sent).toHaveLength(2);
      await rt.close();
    } finally {
      await limited.close();
    }
  });
});

describe('inbox', () => {
  it('pages with a cursor and marks read', async () => {
    for (let i = 0; i < 5; i++)
      await t.deps.db.transaction((tx) =>
        notify(tx, {
          userId: user.userId,
          kind: 'k',
          title: `第${i}条`,
          body: '',
          dedupeKey: `page:${user.userId}:${i}`,
        }),
      );
    const h = { authorization: user.authorization };
    const p1 = await t.call({ method: 'GET', url: '/v1/notifications?limit=3', headers: h });
    expect(p1.body.items.map((n: { title: string }) => n.title)).toEqual(['第4条', '第3条', '第2条']);
    const p2 = await t.call({
      method: 'GET',
      url: `/v1/notifications?limit=3&cursor=${p1.body.nextCursor}`,
      headers: h,
    });
    expect(p2.body.items.map((n: { title: string }) => n.title)).toEqual(['第1条', '第0条']);
    expect(p2.body.nextCursor).toBeNull();

    await t.call({
      method: 'POST',
      url: '/v1/notifications/read',
      headers: h,
      payload: { ids: [p1.body.items[0].id] },
    });
    expect((await t.call({ method: 'GET', url: '/v1/notifications', headers: h })).body.unread).toBe(4);
    await t.call({ method: 'POST', url: '/v1/notifications/read', headers: h, payload: { all: true } });
    expect((await t.call({ method: 'GET', url: '/v1/me', headers: h })).body.unreadNotifications).toBe(0);

    const bad = await t.call({ method: 'GET', url: '/v1/notifications?cursor=zzz', headers: h });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('querystring.cursor');
  });
});

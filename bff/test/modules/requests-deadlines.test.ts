import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkers } from '../../src/workers';
import { demoCommunityId, inbox, makeStaff, PHONES, TEST_ENV } from '../fixtures/people';
import {
  dispatchTo,
  ok,
  queuedRequestJobs,
  raiseRequest,
  repairShop,
  requestRow,
  runRequestJob,
  type Who,
} from '../fixtures/requests';
import { setupTestApp, type TestApp } from '../helper';

const silent = { info() {}, warn() {}, error() {} };
const H = 3_600_000;
// Tuesday 12 January 2027, 10:00 in Shanghai.
const NOW = new Date('2027-01-12T02:00:00Z');
const at = (hours: number) => new Date(NOW.getTime() + hours * H);

let t: TestApp;
let resident: Who;
let neighbour: Who;
let staff: Who;
let lead: Who;
let shop: { owner: Who; merchantId: string };
let communityId: string;

beforeAll(async () => {
  t = await setupTestApp(TEST_ENV);
  resident = await t.login(PHONES.resident);
  neighbour = await t.login(PHONES.otherResident);
  staff = await t.login(PHONES.staff);
  lead = await makeStaff(t, { runsDemo: true });
  shop = await repairShop(t);
  communityId = await demoCommunityId(t);
  // The lead hears of missed limits; the others do not.
  await ok(t, staff, 'PUT', `/v1/staff/communities/${communityId}/request-settings`, {
    leadStaffId: lead.userId,
    limits: [],
  });
});
afterAll(() => t?.close());

const escalations = async (who: Who, id: string) =>
  (await inbox(t, who.userId)).filter((n) => n.kind === 'request.escalated' && n.link?.endsWith(id));

async function until<T>(probe: () => Promise<T>, done: (v: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (done(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a request never loses its timers across a worker restart', () => {
  it('re-arms a dropped deadline job on start; the escalation happens once', async () => {
    t.clock.set(NOW);
    const { id } = await raiseRequest(t, resident, { text: '单元门禁坏了' });
    // A worker relays the delayed jobs to Redis and stops...
    const first = startWorkers(t.deps, silent, { relayIntervalMs: 20 });
    await until(
      async () => (await queuedRequestJobs(t, 'requests.deadline', id)).filter((r) => r.sentAt),
      (rows) => rows.length === 2,
    );
    await first.close();
    // ...then Redis loses them.
    const queue = t.deps.queues.get('requests');
    for (const job of await queue.getJobs(['delayed', 'waiting']))
      if ((job?.data as { requestId?: string })?.requestId === id) await job!.remove();
    expect(
      (await queue.getJobs(['delayed', 'waiting'])).filter(
        (j) => (j?.data as { requestId?: string })?.requestId === id,
      ),
    ).toHaveLength(0);

    t.clock.set(at(25));
    const second = startWorkers(t.deps, silent, { relayIntervalMs: 20 });
    try {
      const told = await until(
        () => escalations(lead, id),
        (rows) => rows.length > 0,
      );
      expect(told).toHaveLength(1);
      expect(told[0]!.title).toBe('诉求超时未响应');
      // The resolution limit is re-armed too, for when it falls due.
      const waiting = (await queue.getJobs(['delayed'])).filter(
        (j) => (j?.data as { requestId?: string })?.requestId === id,
      );
      expect(waiting.map((j) => (j!.data as { kind: string }).kind)).toEqual(['resolve']);
    } finally {
      await second.close();
    }
    // The original job, replayed, and a second start change nothing.
    const [original] = await queuedRequestJobs(t, 'requests.deadline', id);
    expect(await runRequestJob(t, original!.jobName, original!.payload)).toBe(false);
    const third = startWorkers(t.deps, silent, { relayIntervalMs: 20 });
    await new Promise((r) => setTimeout(r, 300));
    await third.close();
    expect(await escalations(lead, id)).toHaveLength(1);
    expect(await escalations(staff, id)).toHaveLength(0);
    const row = await requestRow(t, id);
    expect(row.respondEscalatedAt).not.toBeNull();
    expect(row.resolveEscalatedAt).toBeNull();
  });
});

describe('time limits on the test clock', () => {
  it('escalates a missed response once, and a job that comes early waits for the rest of the time', async () => {
    t.clock.set(NOW);
    const { id } = await raiseRequest(t, resident);
    const [respond] = (await queuedRequestJobs(t, 'requests.deadline', id)).filter(
      (r) => (r.payload as { kind: string }).kind === 'respond',
    );
    expect(respond!.delayMs).toBeCloseTo(24 * H, -3);

    t.clock.set(at(1));
    expect(await runRequestJob(t, respond!.jobName, respond!.payload)).toBe(false);
    const requeued = (await queuedRequestJobs(t, 'requests.deadline', id)).at(-1)!;
    expect(requeued.delayMs).toBeCloseTo(23 * H, -3);
    expect(await escalations(lead, id)).toHaveLength(0);

    t.clock.set(at(24.01));
    const [first, second] = await Promise.all([
      runRequestJob(t, respond!.jobName, respond!.payload),
      runRequestJob(t, requeued.jobName, requeued.payload),
    ]);
    expect([first, second].filter(Boolean)).toHaveLength(1);
    expect(await escalations(lead, id)).toHaveLength(1);
    const mine = await ok(t, resident, 'GET', `/v1/requests/${id}`);
    expect(mine.responseLate).toBe(true);
    expect(mine.timeline.map((e: { kind: string }) => e.kind)).toContain('escalate_response');
    const late = await ok(t, staff, 'GET', '/v1/staff/requests?status=late');
    expect(late.items.map((r: { id: string }) => r.id)).toContain(id);
  });

  it('does nothing for a request answered in time, nor for forged or stale jobs', async () => {
    t.clock.set(NOW);
    const { id } = await raiseRequest(t, resident);
    await dispatchTo(t, staff, id, { kind: 'merchant', merchantId: shop.merchantId });
    await ok(t, shop.owner, 'POST', `/v1/merchant/requests/${id}/accept`, {});
    const jobs = await queuedRequestJobs(t, 'requests.deadline', id);
    t.clock.set(at(200));
    const respond = jobs.find((r) => (r.payload as { kind: string }).kind === 'respond')!;
    expect(await runRequestJob(t, respond.jobName, respond.payload)).toBe(false);
    // Forged: a deadline the request never had, an id that is not a request, garbage.
    const forged = [
      { requestId: id, kind: 'resolve', deadline: at(1).toISOString() },
      { requestId: '0190a0b0-0000-7000-8000-000000000000', kind: 'respond', deadline: at(24).toISOString() },
    ];
    for (const p of forged) expect(await runRequestJob(t, 'requests.deadline', p)).toBe(false);
    await expect(
      runRequestJob(t, 'requests.deadline', { requestId: "1' OR 1=1", kind: 'respond' }),
    ).rejects.toThrow();
    expect(await escalations(lead, id)).toHaveLength(0);
    // The real resolution deadline, missed: escalated once.
    const resolve = jobs.find((r) => (r.payload as { kind: string }).kind === 'resolve')!;
    expect(await runRequestJob(t, resolve.jobName, resolve.payload)).toBe(true);
    expect(await runRequestJob(t, resolve.jobName, resolve.payload)).toBe(false);
    const told = await escalations(lead, id);
    expect(told.map((n) => n.title)).toEqual(['诉求超时未办结']);
  });

  it('a reopen moves the resolution limit: the old job is stale, the new one counts', async () => {
    t.clock.set(NOW);
    const { id } = await raiseRequest(t, resident);
    await dispatchTo(t, staff, id, { kind: 'merchant', merchantId: shop.merchantId });
    await ok(t, shop.owner, 'POST', `/v1/merchant/requests/${id}/accept`, {});
    await ok(t, shop.owner, 'POST', `/v1/merchant/requests/${id}/resolve`, { note: '修好了' });
    t.clock.set(at(48));
    await ok(t, resident, 'POST', `/v1/requests/${id}/reopen`, { reason: '又漏水了' });
    const resolves = (await queuedRequestJobs(t, 'requests.deadline', id)).filter(
      (r) => (r.payload as { kind: string }).kind === 'resolve',
    );
    expect(resolves).toHaveLength(2);
    t.clock.set(at(73));
    expect(await runRequestJob(t, resolves[0]!.jobName, resolves[0]!.payload)).toBe(false);
    t.clock.set(at(48 + 72 + 1));
    expect(await runRequestJob(t, resolves[1]!.jobName, resolves[1]!.payload)).toBe(true);
    expect(await escalations(lead, id)).toHaveLength(1);
  });

  it('closes a resolved request nobody rated after the configured days, once; a rated one stays as rated', async () => {
    t.clock.set(NOW);
    const resolved = async () => {
      const { id } = await raiseRequest(t, resident);
      await dispatchTo(t, staff, id, { kind: 'merchant', merchantId: shop.merchantId });
      await ok(t, shop.owner, 'POST', `/v1/merchant/requests/${id}/accept`, {});
      await ok(t, shop.owner, 'POST', `/v1/merchant/requests/${id}/resolve`, { note: '好了' });
      return id;
    };
    const quiet = await resolved();
    const rated = await resolved();
    await ok(t, resident, 'POST', `/v1/requests/${rated}/rate`, { stars: 3 });
    const [closeQuiet] = await queuedRequestJobs(t, 'requests.autoClose', quiet);
    const [closeRated] = await queuedRequestJobs(t, 'requests.autoClose', rated);
    expect(closeQuiet!.delayMs).toBe(7 * 24 * H);
    t.clock.set(at(24));
    expect(await runRequestJob(t, closeQuiet!.jobName, closeQuiet!.payload)).toBe(false);
    t.clock.set(at(7 * 24 + 1));
    expect(await runRequestJob(t, closeQuiet!.jobName, closeQuiet!.payload)).toBe(true);
    expect(await runRequestJob(t, closeQuiet!.jobName, closeQuiet!.payload)).toBe(false);
    expect(await runRequestJob(t, closeRated!.jobName, closeRated!.payload)).toBe(false);
    expect((await requestRow(t, quiet)).status).toBe('closed');
    expect((await requestRow(t, rated)).rating).toBe(3);
    const mine = await ok(t, resident, 'GET', `/v1/requests/${quiet}`);
    expect(mine.timeline.at(-1)).toMatchObject({ kind: 'close', by: 'system' });
  });

  it("uses the community's own limits per category, and tells every staff member when no lead is set", async () => {
    const bad = await t.call({
      method: 'PUT',
      url: `/v1/staff/communities/${communityId}/request-settings`,
      headers: { authorization: staff.authorization },
      payload: { leadStaffId: resident.userId, limits: [] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('body.leadStaffId');
    const shorter = await t.call({
      method: 'PUT',
      url: `/v1/staff/communities/${communityId}/request-settings`,
      headers: { authorization: staff.authorization },
      payload: { leadStaffId: null, limits: [{ category: 'safety', respondHours: 5, resolveHours: 2 }] },
    });
    expect(shorter.status).toBe(400);
    expect(shorter.body.error.details[0].path).toBe('body.limits.0.resolveHours');
    const saved = await ok(t, staff, 'PUT', `/v1/staff/communities/${communityId}/request-settings`, {
      leadStaffId: null,
      limits: [{ category: 'safety', respondHours: 2, resolveHours: 12 }],
    });
    expect(saved.limits.find((l: { category: string }) => l.category === 'safety')).toMatchObject({
      respondHours: 2,
      resolveHours: 12,
      custom: true,
    });
    expect(saved.limits.find((l: { category: string }) => l.category === 'repair')).toMatchObject({
      respondHours: 24,
      resolveHours: 72,
      custom: false,
    });
    t.clock.set(NOW);
    const raised = await raiseRequest(t, resident, { category: 'safety', text: '消防通道被车堵了' });
    expect(new Date(raised.respondBy).getTime()).toBeCloseTo(at(2).getTime(), -3);
    expect(new Date(raised.resolveBy).getTime()).toBeCloseTo(at(12).getTime(), -3);
    const [respond] = await queuedRequestJobs(t, 'requests.deadline', raised.id);
    t.clock.set(at(3));
    expect(await runRequestJob(t, respond!.jobName, respond!.payload)).toBe(true);
    expect(await escalations(staff, raised.id)).toHaveLength(1);
    expect(await escalations(lead, raised.id)).toHaveLength(1);
    // Back to the lead for the rest of the file.
    await ok(t, staff, 'PUT', `/v1/staff/communities/${communityId}/request-settings`, {
      leadStaffId: lead.userId,
      limits: [],
    });
  });
});

describe('monthly statistics', () => {
  it('counts the month in Asia/Shanghai: categories, statuses, on-time rates and the mean rating', async () => {
    const iso = (s: string) => new Date(s);
    async function raiseAt(when: string, category: string) {
      t.clock.set(iso(when));
      return (await raiseRequest(t, neighbour, { category, text: `统计用 ${when}` })).id as string;
    }
    async function handle(id: string, acceptAfterH: number, resolveAfterH: number, created: string) {
      const c = iso(created).getTime();
      t.clock.set(new Date(c + 0.1 * H));
      await dispatchTo(t, staff, id, { kind: 'merchant', merchantId: shop.merchantId });
      t.clock.set(new Date(c + acceptAfterH * H));
      await ok(t, shop.owner, 'POST', `/v1/merchant/requests/${id}/accept`, {});
      t.clock.set(new Date(c + resolveAfterH * H));
      await ok(t, shop.owner, 'POST', `/v1/merchant/requests/${id}/resolve`, { note: '完成' });
    }
    // 00:30 on 1 March in Shanghai: March. In time, rated 4.
    const a = await raiseAt('2027-02-28T16:30:00Z', 'repair');
    await handle(a, 1, 10, '2027-02-28T16:30:00Z');
    await ok(t, neighbour, 'POST', `/v1/requests/${a}/rate`, { stars: 4 });
    // Rejected after 30 h: a late answer, and nothing to resolve.
    const b = await raiseAt('2027-03-10T02:00:00Z', 'environment');
    t.clock.set(iso('2027-03-11T08:00:00Z'));
    await ok(t, staff, 'POST', `/v1/staff/requests/${b}/reject`, { reason: '重复反映' });
    // Answered in time, resolved after 80 h (late), rated 2.
    const c = await raiseAt('2027-03-15T02:00:00Z', 'repair');
    await handle(c, 2, 80, '2027-03-15T02:00:00Z');
    await ok(t, neighbour, 'POST', `/v1/requests/${c}/rate`, { stars: 2 });
    // 23:00 on 31 March: March, still unanswered when the figures are read.
    await raiseAt('2027-03-31T15:00:00Z', 'safety');
    // 00:30 on 1 April and 23:30 on 28 February (Shanghai): other months.
    await raiseAt('2027-03-31T16:30:00Z', 'repair');
    await raiseAt('2027-02-28T15:30:00Z', 'repair');

    t.clock.set(iso('2027-04-02T00:00:00Z'));
    // Public to any signed-in user: a merchant reads it as well as staff.
    const stats = await ok(
      t,
      shop.owner,
      'GET',
      `/v1/communities/${communityId}/request-stats?month=2027-03`,
    );
    expect(stats).toMatchObject({
      communityId,
      communityName: '黌门街社区',
      month: '2027-03',
      total: 4,
      responseCounted: 4,
      responseOnTimeRate: 0.5,
      resolutionCounted: 2,
      resolutionOnTimeRate: 0.5,
      averageRating: 3,
      ratedCount: 2,
    });
    const count = (list: { count: number }[], key: string, name: string) =>
      (list as Record<string, unknown>[]).find((x) => x[key] === name)?.count;
    expect(count(stats.byCategory, 'category', 'repair')).toBe(2);
    expect(count(stats.byCategory, 'category', 'environment')).toBe(1);
    expect(count(stats.byCategory, 'category', 'safety')).toBe(1);
    expect(count(stats.byCategory, 'category', 'need')).toBe(0);
    expect(count(stats.byStatus, 'status', 'closed')).toBe(2);
    expect(count(stats.byStatus, 'status', 'rejected')).toBe(1);
    expect(count(stats.byStatus, 'status', 'submitted')).toBe(1);

    const empty = await ok(t, neighbour, 'GET', `/v1/communities/${communityId}/request-stats?month=2030-01`);
    expect(empty).toMatchObject({ total: 0, responseOnTimeRate: null, averageRating: null });
    for (const month of ['2027-13', '2027-3', '27-03', "2027-03' OR 1=1", ''])
      expect(
        (
          await t.call({
            method: 'GET',
            url: `/v1/communities/${communityId}/request-stats?month=${encodeURIComponent(month)}`,
            headers: { authorization: neighbour.authorization },
          })
        ).status,
      ).toBe(400);
    const ghost = await t.call({
      method: 'GET',
      url: '/v1/communities/0190a0b0-0000-7000-8000-000000000000/request-stats?month=2027-03',
      headers: { authorization: neighbour.authorization },
    });
    expect(ghost.status).toBe(404);
  });
});

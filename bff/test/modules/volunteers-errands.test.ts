import type { Job } from 'bullmq';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compartments,
  errandConsents,
  helpTasks,
  lockerBanks,
  lockerDelegations,
  lockerPickups,
  notifications,
  users,
} from '../../src/db/schema';
import { buildBatchInline } from '../../src/modules/lockers/batches';
import { ERRAND_SCHEDULER_ID, errandScanJob } from '../../src/modules/volunteers/errand-jobs';
import { scanErrands } from '../../src/modules/volunteers/errand-routes';
import { startErrandScheduler } from '../../src/modules/volunteers/errands';
import {
  acceptedLockerOrder,
  lockerOrder,
  openWindow,
  produceShop,
  residentLocker,
  signedPickup,
  type Who,
} from '../fixtures/lockers';
import { auditRows, bearer, PHONES, TEST_ENV } from '../fixtures/people';
import { volunteerJobs } from '../fixtures/volunteers';
import { setupTestApp, type TestApp } from '../helper';

const HOUR = 3600_000;
const COURIER = '13800000003';

let t: TestApp;
let elder: Who;
let proxy: Who;
/** 陈静: a resident of the same compound, given a birth date that makes her 50-something. */
let younger: Who;
/** 赵志愿 and 钱志愿 both list 生鲜代取 (locker_run). */
let zhao: Who;
let qian: Who;
let bank: { id: string; secret: string };
/** When the courier dropped every order (each order's free window ends 24 h later). */
let droppedAt: number;

interface Dropped {
  orderId: string;
  /** The resident's own pickup code. */
  code: string;
  compartmentIds: string[];
  labels: string[];
}
/** The elder's orders, one per story; `theirs` is the younger resident's. */
const o = {} as Record<'journey' | 'release' | 'asked' | 'selfCollected' | 'urgent' | 'theirs', Dropped>;
/** The `urgent` order's free window ends 14 h after the drop (moved in, as if it were nearly up). */
const URGENT_DEADLINE_H = 14;

const asFamily = () => ({ ...bearer(proxy), 'x-on-behalf-of': elder.userId });
const at = (hoursAfterDrop: number) => t.clock.set(new Date(droppedAt + hoursAfterDrop * HOUR));

beforeAll(async () => {
  t = await setupTestApp(TEST_ENV);
  const merchant = await t.login(PHONES.merchant);
  const courier = await t.login(COURIER);
  elder = await t.login(PHONES.elder);
  proxy = await t.login(PHONES.familyProxy);
  younger = await t.login(PHONES.resident);
  zhao = await t.login('13800000004');
  qian = await t.login('13800000040');
  await t.deps.db.update(users).set({ birthDate: '1970-06-01' }).where(eq(users.id, younger.userId));

  const shop = await produceShop(t);
  const tomato = shop.ambient.find((p) => p.name === '沙瓤西红柿')!;
  const w = await openWindow(t, elder);
  const bankId = (await residentLocker(t, elder)).bankId;
  expect((await residentLocker(t, younger)).bankId).toBe(bankId);
  const [b] = await t.deps.db.select().from(lockerBanks).where(eq(lockerBanks.id, bankId));
  bank = { id: bankId, secret: b!.deviceSecret };

  const plan: [keyof typeof o, Who][] = [
    ['journey', elder],
    ['release', elder],
    ['asked', elder],
    ['selfCollected', elder],
    ['urgent', elder],
    ['theirs', younger],
  ];
  const ids: string[] = [];
  for (const [, who] of plan)
    ids.push(await acceptedLockerOrder(t, who, merchant, lockerOrder(shop.id, [tomato.id], w.id, bankId, 4)));

  t.clock.set(new Date(new Date(w.cutoffAt).getTime() + 60_000));
  droppedAt = t.clock.now().getTime();
  const batchId = await buildBatchInline(t.deps, w.id);
  const url = `/v1/courier/batches/${batchId}`;
  expect(
    (await t.call({ method: 'POST', url: `${url}/start`, headers: bearer(courier), payload: {} })).status,
  ).toBe(200);
  const manifest = await t.call({ method: 'GET', url, headers: bearer(courier) });
  const drops = manifest.body.dropList.flatMap(
    (x: { drops: { orderId: string; compartmentId: string }[] }) => x.drops,
  ) as { orderId: string; compartmentId: string }[];
  for (const d of drops)
    expect(
      (await t.call({ method: 'POST', url: `${url}/drops`, headers: bearer(courier), payload: d })).status,
    ).toBe(200);
  for (const [k, [name, who]] of plan.entries()) {
    const view = await t.call({ method: 'GET', url: `/v1/orders/${ids[k]}`, headers: bearer(who) });
    expect(view.body.status).toBe('in_locker');
    o[name] = {
      orderId: ids[k]!,
      code: view.body.locker.code,
      compartmentIds: drops.filter((d) => d.orderId === ids[k]).map((d) => d.compartmentId),
      labels: view.body.locker.compartments,
    };
  }
  await t.deps.db
    .update(lockerPickups)
    .set({ deadline: new Date(droppedAt + URGENT_DEADLINE_H * HOUR) })
    .where(eq(lockerPickups.orderId, o.urgent.orderId));
});
afterAll(() => t?.close());

/** Distinct timestamps, so the same code sent twice is two requests (not a replay). */
let tick = 0;
const panel = (code: string) =>
  t.call({
    method: 'POST',
    url: `/v1/devices/lockers/${bank.id}/pickup`,
    ...signedPickup(bank.secret, code, Date.now() + (tick++ % 1000)),
  });

const errandTasks = (orderIds: string[]) =>
  t.deps.db
    .select()
    .from(helpTasks)
    .where(and(inArray(helpTasks.orderId, orderIds), eq(helpTasks.source, 'locker_errand')));

const taskOf = async (d: Dropped) => {
  const rows = await errandTasks([d.orderId]);
  expect(rows).toHaveLength(1);
  return rows[0]!;
};

const volunteerView = (who: Who, id: string) =>
  t.call({ method: 'GET', url: `/v1/volunteer/tasks/${id}`, headers: bearer(who) });
const accept = (who: Who, id: string) =>
  t.call({ method: 'POST', url: `/v1/volunteer/tasks/${id}/accept`, headers: bearer(who), payload: {} });
const orderStatus = async (d: Dropped) =>
  (await t.call({ method: 'GET', url: `/v1/orders/${d.orderId}`, headers: asFamily() })).body.status;

const saveConsent = (headers: Record<string, string>, body: { enabled: boolean; afterHours?: number }) =>
  t.call({ method: 'PUT', url: '/v1/help/errand-consent', headers, payload: body });

/** Made between `before` and `after`, for three hours from then. */
function expectWindow(r: { windowStart: Date; windowEnd: Date }, before: number, after: number) {
  expect(r.windowStart.getTime()).toBeGreaterThanOrEqual(before);
  expect(r.windowStart.getTime()).toBeLessThanOrEqual(after);
  expect(r.windowEnd.getTime() - r.windowStart.getTime()).toBe(3 * HOUR);
}

const bring = (headers: Record<string, string>, orderId: string) =>
  t.call({ method: 'POST', url: '/v1/help/bring-order', headers, payload: { orderId } });

describe('asking now (bringLockerOrder)', () => {
  it('makes one task for the elder’s order, however often or at once it is asked; no consent or waiting needed', async () => {
    at(1);
    const before = t.clock.now().getTime();
    const [a, b] = await Promise.all([
      bring(asFamily(), o.asked.orderId),
      bring(asFamily(), o.asked.orderId),
    ]);
    const after = t.clock.now().getTime();
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.id).toBe(b.body.id);
    expect(a.body).toMatchObject({
      source: 'locker_errand',
      skill: 'locker_run',
      title: '代取生鲜柜订单',
      durationMin: 30,
      urgency: 'normal',
      status: 'open',
      pickup: null,
    });
    // The family sees the door code; nobody on the elder's side sees a pickup code here.
    expect(a.body.checkinCode).toMatch(/^\d{6}$/);
    const rows = await errandTasks([o.asked.orderId]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.raisedBy).toBe(proxy.userId);
    // The window runs three hours from now; a volunteer must take it in time to do it.
    expectWindow(rows[0]!, before, after);
    expect(rows[0]!.deadline.getTime()).toBe(rows[0]!.windowEnd.getTime() - 30 * 60_000);
    const again = await bring(bearer(elder), o.asked.orderId);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(a.body.id);
    expect(await auditRows(t, 'help_task.errand_requested', a.body.id)).toHaveLength(1);
    const told = await t.deps.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.kind, 'help_task.errand'), eq(notifications.userId, elder.userId)));
    expect(told).toHaveLength(1);
  });

  it('someone else’s order is 404; a younger resident’s own is ERRAND_AGE', async () => {
    at(1);
    const foreign = await bring(asFamily(), o.theirs.orderId);
    expect(foreign.status).toBe(404);
    expect(await errandTasks([o.theirs.orderId])).toHaveLength(0);
    const young = await bring(bearer(younger), o.theirs.orderId);
    expect(young.status).toBe(409);
    expect(young.body.error.code).toBe('ERRAND_AGE');
    expect(await errandTasks([o.theirs.orderId])).toHaveLength(0);
  });
});

describe('the consent', () => {
  it('defaults to off, is saved for the elder by the family and audited', async () => {
    const before = await t.call({ method: 'GET', url: '/v1/help/errand-consent', headers: bearer(elder) });
    expect(before.body).toEqual({ enabled: false, afterHours: 4, updatedAt: null });
    const bad = await saveConsent(asFamily(), { enabled: true, afterHours: 49 });
    expect(bad.status).toBe(400);
    const off = await saveConsent(asFamily(), { enabled: false, afterHours: 4 });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ enabled: false, afterHours: 4 });
    const seen = await t.call({ method: 'GET', url: '/v1/help/errand-consent', headers: bearer(elder) });
    expect(seen.body.updatedAt).not.toBeNull();
    const [row] = await t.deps.db
      .select()
      .from(errandConsents)
      .where(eq(errandConsents.elderId, elder.userId));
    expect(row).toMatchObject({ enabled: false, updatedBy: proxy.userId });
    const logged = await auditRows(t, 'errand_consent.updated', elder.userId);
    expect(logged).toHaveLength(1);
    expect(logged[0]!.onBehalfOf).toBe(elder.userId);
  });
});

describe('the scan', () => {
  it('consent off: no task, however long the orders wait', async () => {
    at(10);
    expect((await scanErrands(t.deps)).created).toBe(0);
    expect(await errandTasks([o.journey.orderId, o.release.orderId, o.selfCollected.orderId])).toHaveLength(
      0,
    );
  });

  it('under 80 (with consent): no task', async () => {
    at(10);
    expect((await saveConsent(bearer(younger), { enabled: true, afterHours: 1 })).status).toBe(200);
    await scanErrands(t.deps);
    expect(await errandTasks([o.theirs.orderId])).toHaveLength(0);
  });

  it('consent on, 80+: nothing before the hours chosen, then exactly one task per order however often it runs', async () => {
    at(10);
    expect((await saveConsent(asFamily(), { enabled: true, afterHours: 12 })).status).toBe(200);
    const mine = [o.journey, o.release, o.selfCollected, o.urgent].map((d) => d.orderId);
    expect((await scanErrands(t.deps)).created).toBe(0);
    expect(await errandTasks(mine)).toHaveLength(0);
    at(12 - 1 / 60);
    await scanErrands(t.deps);
    expect(await errandTasks(mine)).toHaveLength(0);

    at(12 + 1 / 60);
    const before = t.clock.now().getTime();
    const first = await scanErrands(t.deps);
    const after = t.clock.now().getTime();
    const second = await scanErrands(t.deps);
    expect(first.created).toBe(4);
    expect(second.created).toBe(0);
    const rows = await errandTasks(mine);
    expect(rows).toHaveLength(4);
    for (const r of rows) {
      const urgent = r.orderId === o.urgent.orderId;
      expect(r).toMatchObject({
        elderId: elder.userId,
        raisedBy: proxy.userId,
        skill: 'locker_run',
        title: '代取生鲜柜订单',
        durationMin: 30,
        status: 'open',
        // Under three hours left in the locker: urgent, and it must be taken in time to get there.
        urgency: urgent ? 'urgent' : 'normal',
      });
      expectWindow(r, before, after);
      expect(r.deadline.getTime()).toBe(
        urgent ? droppedAt + URGENT_DEADLINE_H * HOUR - 30 * 60_000 : r.windowEnd.getTime() - 30 * 60_000,
      );
    }
    // The order asked for earlier keeps its one task.
    expect(await errandTasks([o.asked.orderId])).toHaveLength(1);
    // The family hears once per order that a volunteer is being found.
    const told = await t.deps.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.kind, 'help_task.errand'), eq(notifications.userId, proxy.userId)));
    expect(told.map((n) => n.dedupeKey).sort()).toEqual(
      [o.asked, o.journey, o.release, o.selfCollected, o.urgent]
        .map((d) => `help_task.errand:${d.orderId}`)
        .sort(),
    );
  });

  it('the job replayed (as the worker runs it) changes nothing', async () => {
    at(12 + 2 / 60);
    const tasks = (await t.deps.db.select().from(helpTasks)).length;
    const told = (await t.deps.db.select().from(notifications)).length;
    for (let i = 0; i < 2; i++)
      expect(
        await volunteerJobs.process({ name: errandScanJob.name, data: {} } as unknown as Job, t.deps),
      ).toMatchObject({ created: 0, cancelled: 0 });
    expect((await t.deps.db.select().from(helpTasks)).length).toBe(tasks);
    expect((await t.deps.db.select().from(notifications)).length).toBe(told);
  });

  it('creates the scheduler once, with a fixed id', async () => {
    await startErrandScheduler(t.deps);
    await startErrandScheduler(t.deps);
    const all = await t.deps.queues.get('volunteers').getJobSchedulers();
    const mine = all.filter((s) => s.key === ERRAND_SCHEDULER_ID);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.name).toBe(errandScanJob.name);
    expect(Number(mine[0]!.every)).toBe(5 * 60_000);
  });
});

describe('the delegated code', () => {
  it('goes to the volunteer who accepts: not the resident’s code; nobody else sees it', async () => {
    at(12 + 5 / 60);
    const task = await taskOf(o.journey);
    const taken = await accept(zhao, task.id);
    expect(taken.status).toBe(200);
    expect(taken.body.status).toBe('accepted');
    const pickup = taken.body.pickup;
    expect(pickup).toMatchObject({ bankName: expect.any(String), code: expect.stringMatching(/^\d{6}$/) });
    expect(pickup.compartments).toEqual(o.journey.labels);
    expect(pickup.code).not.toBe(o.journey.code);
    // The code lasts until the task's window ends (sooner than the locker's deadline here).
    expect(pickup.expiresAt).toBe(task.windowEnd.toISOString());
    expect((await volunteerView(zhao, task.id)).body.pickup.code).toBe(pickup.code);

    const other = await volunteerView(qian, task.id);
    expect(other.status).toBe(200);
    expect(other.body.pickup).toBeNull();
    expect(JSON.stringify(other.body)).not.toContain(pickup.code);
    const family = await t.call({ method: 'GET', url: `/v1/help/tasks/${task.id}`, headers: asFamily() });
    expect(family.body.pickup).toBeNull();
    // The order's own view still gives the resident their own code only.
    const order = await t.call({
      method: 'GET',
      url: `/v1/orders/${o.journey.orderId}`,
      headers: asFamily(),
    });
    expect(order.body.locker.code).toBe(o.journey.code);
  });

  it('opens the locker once at the panel, collecting the order like the resident’s code; then it is refused', async () => {
    at(12 + 10 / 60);
    const task = await taskOf(o.journey);
    const code = (await volunteerView(zhao, task.id)).body.pickup.code as string;
    const opened = await panel(code);
    expect(opened.status).toBe(200);
    expect(opened.body.orderId).toBe(o.journey.orderId);
    expect(opened.body.compartments.map((c: { id: string }) => c.id)).toEqual(o.journey.compartmentIds);
    expect(await orderStatus(o.journey)).toBe('picked_up');
    const freed = await t.deps.db
      .select({ state: compartments.state })
      .from(compartments)
      .where(inArray(compartments.id, o.journey.compartmentIds));
    expect(freed.map((c) => c.state)).toEqual(o.journey.compartmentIds.map(() => 'free'));
    const [p] = await t.deps.db
      .select()
      .from(lockerPickups)
      .where(eq(lockerPickups.orderId, o.journey.orderId));
    expect(p!.usedAt).not.toBeNull();
    const [d] = await t.deps.db.select().from(lockerDelegations).where(eq(lockerDelegations.code, code));
    expect(d!.usedAt).not.toBeNull();

    const twice = await panel(code);
    expect(twice.status).toBe(404);
    expect(twice.body.error.code).toBe('PICKUP_CODE_INVALID');
    // The resident's own code was spent with it.
    expect((await panel(o.journey.code)).status).toBe(404);
    // The volunteer's view no longer shows a code, and the door is next.
    const view = await volunteerView(zhao, task.id);
    expect(view.body.pickup).toBeNull();
    expect(view.body.can.start).toBe(true);
    await t.deps.db.update(lockerBanks).set({ failedAttempts: 0 }).where(eq(lockerBanks.id, bank.id));
  });

  it('a volunteer holding the bag cannot simply release the task', async () => {
    const task = await taskOf(o.journey);
    const res = await t.call({
      method: 'POST',
      url: `/v1/volunteer/tasks/${task.id}/release`,
      headers: bearer(zhao),
      payload: { reason: '临时有事' },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('ERRAND_ORDER_COLLECTED');
    expect((await taskOf(o.journey)).status).toBe('accepted');
  });

  it('the rest of the journey: the door code starts it, finish, the elder confirms, the hours are credited', async () => {
    const task = await taskOf(o.journey);
    const before = (await t.call({ method: 'GET', url: '/v1/volunteer/time-bank', headers: bearer(zhao) }))
      .body;
    at(12 + 20 / 60);
    const started = await t.call({
      method: 'POST',
      url: `/v1/volunteer/tasks/${task.id}/start`,
      headers: bearer(zhao),
      payload: { code: task.checkinCode },
    });
    expect(started.status).toBe(200);
    expect(started.body.status).toBe('in_progress');
    at(12 + 40 / 60);
    const finished = await t.call({
      method: 'POST',
      url: `/v1/volunteer/tasks/${task.id}/finish`,
      headers: bearer(zhao),
      payload: { minutes: 30, note: '已送到家' },
    });
    expect(finished.status).toBe(200);
    expect(finished.body.status).toBe('done');
    const confirmed = await t.call({
      method: 'POST',
      url: `/v1/help/tasks/${task.id}/confirm`,
      headers: asFamily(),
      payload: { rating: 5 },
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.hoursStatus).toBe('confirmed');
    const after = (await t.call({ method: 'GET', url: '/v1/volunteer/time-bank', headers: bearer(zhao) }))
      .body;
    expect(after.balanceMin).toBe(before.balanceMin + 30);
    expect(after.entries.find((e: { taskId: string | null }) => e.taskId === task.id)).toMatchObject({
      kind: 'credit',
      deltaMin: 30,
    });
  });

  it('is revoked when the volunteer releases the task: the panel refuses it; the next volunteer gets a new one', async () => {
    at(13);
    const task = await taskOf(o.release);
    const first = await accept(qian, task.id);
    expect(first.status).toBe(200);
    const code = first.body.pickup.code as string;
    const released = await t.call({
      method: 'POST',
      url: `/v1/volunteer/tasks/${task.id}/release`,
      headers: bearer(qian),
      payload: { reason: '临时有事' },
    });
    expect(released.status).toBe(200);
    expect(released.body.pickup).toBeNull();
    const refused = await panel(code);
    expect(refused.status).toBe(404);
    expect(await orderStatus(o.release)).toBe('in_locker');
    const [d] = await t.deps.db.select().from(lockerDelegations).where(eq(lockerDelegations.code, code));
    expect(d!.revokedAt).not.toBeNull();

    const second = await accept(zhao, task.id);
    expect(second.status).toBe(200);
    expect(second.body.pickup.code).not.toBe(code);
    expect(second.body.pickup.code).not.toBe(o.release.code);
    await t.deps.db.update(lockerBanks).set({ failedAttempts: 0 }).where(eq(lockerBanks.id, bank.id));
  });

  it('an order the resident collected themselves: the task cannot be taken and the next scan cancels it', async () => {
    at(13);
    const task = await taskOf(o.selfCollected);
    const opened = await t.call({
      method: 'POST',
      url: `/v1/lockers/${bank.id}/open`,
      headers: asFamily(),
      payload: { orderId: o.selfCollected.orderId },
    });
    expect(opened.status).toBe(200);
    const late = await accept(zhao, task.id);
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('NOT_IN_LOCKER');
    expect((await taskOf(o.selfCollected)).status).not.toBe('accepted');
    const scan = await scanErrands(t.deps);
    expect(scan.cancelled).toBe(1);
    expect((await taskOf(o.selfCollected)).status).toBe('cancelled');
    // The journey's task (collected by its volunteer) and those still waiting stay.
    expect((await taskOf(o.journey)).status).toBe('done');
    expect((await taskOf(o.release)).status).toBe('accepted');
    expect((await scanErrands(t.deps)).cancelled).toBe(0);
    // Asking for it now: that produce run is over.
    const asked = await bring(asFamily(), o.selfCollected.orderId);
    expect(asked.status).toBe(409);
    expect(asked.body.error.code).toBe('ERRAND_ENDED');
  });
});

import { randomBytes, randomUUID } from 'node:crypto';
import type { Job } from 'bullmq';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compartmentAssignments,
  compartments,
  lockerBanks,
  lockerPickups,
  outbox,
} from '../../src/db/schema';
import { relayOutbox } from '../../src/jobs/outbox';
import { buildBatchInline } from '../../src/modules/lockers/batches';
import { CODE_LOCK_MS, deviceSignature } from '../../src/modules/lockers/pickup';
import { lockerJobs } from '../fixtures/jobs';
import {
  acceptedLockerOrder,
  lockerOrder,
  openWindow,
  produceShop,
  residentLocker,
  type Who,
} from '../fixtures/lockers';
import { newKey } from '../fixtures/market';
import { bearer, inbox, makeStaff, PHONES, TEST_ENV } from '../fixtures/people';
import { setupTestApp, type TestApp } from '../helper';

const COURIER = '13800000003';

let t: TestApp;
let staff: Who;
let courier: Who;
let merchant: Who;
/** Bank of the first compound (residents 10-13, the elder and their family proxy live there). */
let bank0: { id: string; secret: string };
/** Bank of the second compound (residents 14-17): only the brute-force test types codes there. */
let bank1: { id: string; secret: string };
/** Bank 0's secret from the seed, before staff rotated it. */
let seededSecret0: string;

interface Dropped {
  orderId: string;
  owner: Who;
  bankId: string;
  code: string;
  deadline: string;
  compartmentIds: string[];
}
/** One order in a locker per use, named by what the test does with it. */
const o = {} as Record<
  | 'ownerOpens'
  | 'elderOpens'
  | 'signature'
  | 'usedCode'
  | 'reminders'
  | 'remindLate'
  | 'overdue'
  | 'bruteFirst'
  | 'bruteSecond'
  | 'bruteLocked',
  Dropped
>;
let people: { resident: Who; neighbour: Who; third: Who; elder: Who; proxy: Who; east: Who[] };

const asProxy = () => ({ ...bearer(people.proxy), 'x-on-behalf-of': people.elder.userId });

beforeAll(async () => {
  t = await setupTestApp(TEST_ENV);
  staff = await t.login(PHONES.staff);
  courier = await t.login(COURIER);
  merchant = await t.login(PHONES.merchant);
  people = {
    resident: await t.login(PHONES.resident),
    neighbour: await t.login(PHONES.otherResident),
    third: await t.login('13800000012'),
    elder: await t.login(PHONES.elder),
    proxy: await t.login(PHONES.familyProxy),
    east: [await t.login('13800000014'), await t.login('13800000015'), await t.login('13800000016')],
  };
  const shop = await produceShop(t);
  const tomato = shop.ambient.find((p) => p.name === '沙瓤西红柿')!;
  const w = await openWindow(t, people.resident);
  const b0 = (await residentLocker(t, people.resident)).bankId;
  const b1 = (await residentLocker(t, people.east[0]!)).bankId;
  expect(b1).not.toBe(b0);
  expect((await residentLocker(t, people.elder)).bankId).toBe(b0);

  const place = async (who: Who, bankId: string, headers?: Record<string, string>) => {
    const body = lockerOrder(shop.id, [tomato.id], w.id, bankId, 4);
    if (!headers) return acceptedLockerOrder(t, who, merchant, body);
    // The family proxy orders, pays and confirms for the elder.
    const placed = await t.call({
      method: 'POST',
      url: '/v1/orders',
      headers: { ...headers, 'idempotency-key': newKey() },
      payload: body,
    });
    expect(placed.status).toBe(201);
    const pay = await t.call({
      method: 'POST',
      url: `/v1/orders/${placed.body.id}/pay`,
      headers,
      payload: {},
    });
    await t.call({
      method: 'POST',
      url: `/v1/payments/${pay.body.paymentId}/dev-confirm`,
      headers,
      payload: {},
    });
    const accepted = await t.call({
      method: 'POST',
      url: `/v1/merchant/orders/${placed.body.id}/accept`,
      headers: bearer(merchant),
      payload: {},
    });
    expect(accepted.body.status).toBe('accepted');
    return placed.body.id as string;
  };
  const plan: [keyof typeof o, Who, string, Record<string, string>?][] = [
    ['ownerOpens', people.resident, b0],
    ['elderOpens', people.elder, b0, asProxy()],
    ['signature', people.neighbour, b0],
    ['usedCode', people.third, b0],
    ['reminders', people.resident, b0],
    ['remindLate', people.third, b0],
    ['overdue', people.neighbour, b0],
    ['bruteFirst', people.east[0]!, b1],
    ['bruteSecond', people.east[1]!, b1],
    ['bruteLocked', people.east[2]!, b1],
  ];
  const ids: string[] = [];
  for (const [, who, bankId, headers] of plan) ids.push(await place(who, bankId, headers));

  t.clock.set(new Date(new Date(w.cutoffAt).getTime() + 60_000));
  const batchId = await buildBatchInline(t.deps, w.id);
  const url = `/v1/courier/batches/${batchId}`;
  expect(
    (await t.call({ method: 'POST', url: `${url}/start`, headers: bearer(courier), payload: {} })).status,
  ).toBe(200);
  const m = await t.call({ method: 'GET', url, headers: bearer(courier) });
  const drops = m.body.dropList.flatMap(
    (b: { drops: { orderId: string; compartmentId: string }[] }) => b.drops,
  ) as { orderId: string; compartmentId: string }[];
  expect(new Set(drops.map((d) => d.orderId))).toEqual(new Set(ids));
  for (const d of drops) {
    const res = await t.call({ method: 'POST', url: `${url}/drops`, headers: bearer(courier), payload: d });
    expect(res.status).toBe(200);
  }
  for (const [k, [name, who, bankId, headers]] of plan.entries()) {
    const view = await t.call({
      method: 'GET',
      url: `/v1/orders/${ids[k]}`,
      headers: headers ?? bearer(who),
    });
    expect(view.body.status).toBe('in_locker');
    o[name] = {
      orderId: ids[k]!,
      owner: who,
      bankId,
      code: view.body.locker.code,
      deadline: view.body.locker.deadline,
      compartmentIds: drops.filter((d) => d.orderId === ids[k]).map((d) => d.compartmentId),
    };
  }
  const rotate = async (id: string) => {
    const res = await t.call({
      method: 'POST',
      url: `/v1/staff/locker-banks/${id}/device-secret`,
      headers: bearer(staff),
      payload: {},
    });
    expect(res.status).toBe(200);
    return { id, secret: res.body.deviceSecret as string };
  };
  seededSecret0 = (await bankRow(b0)).deviceSecret;
  bank0 = await rotate(b0);
  expect(bank0.secret).not.toBe(seededSecret0);
  bank1 = await rotate(b1);
});
afterAll(() => t?.close());

/** Distinct timestamps, so two requests with the same body still carry different signatures. */
let tick = 0;
function signed(secret: string, body: string, at = Date.now() + (tick++ % 1000)) {
  const ts = String(at);
  return {
    payload: body,
    headers: {
      'content-type': 'application/json',
      'x-device-timestamp': ts,
      'x-device-signature': deviceSignature(secret, ts, body),
    },
  };
}
const panel = (bank: { id: string; secret: string }, code: string) =>
  t.call({
    method: 'POST',
    url: `/v1/devices/lockers/${bank.id}/pickup`,
    ...signed(bank.secret, JSON.stringify({ code })),
  });

async function statusOf(d: Dropped) {
  const [row] = await t.deps.db.execute(sql`SELECT status FROM orders WHERE id = ${d.orderId}`);
  return (row as { status: string }).status;
}

async function compartmentStates(d: Dropped) {
  const rows = await t.deps.db
    .select({ state: compartments.state })
    .from(compartments)
    .where(inArray(compartments.id, d.compartmentIds));
  return rows.map((r) => r.state);
}

async function bankRow(id: string) {
  const [b] = await t.deps.db.select().from(lockerBanks).where(eq(lockerBanks.id, id));
  return b!;
}

/** Six-digit codes no order at this bank holds right now. */
async function wrongCodes(bankId: string, n: number): Promise<string[]> {
  const live = new Set(
    (
      await t.deps.db
        .select({ code: lockerPickups.code })
        .from(lockerPickups)
        .where(and(eq(lockerPickups.bankId, bankId), sql`${lockerPickups.usedAt} IS NULL`))
    ).map((r) => r.code),
  );
  const out: string[] = [];
  for (let c = 123456; out.length < n; c = (c + 7919) % 1_000_000) {
    const code = String(c).padStart(6, '0');
    if (!live.has(code) && !out.includes(code)) out.push(code);
  }
  return out;
}

describe('code entry at the panel', () => {
  it('five wrong codes lock it for ten minutes, even for the right code; a right code resets the count', async () => {
    await t.deps.db
      .update(lockerBanks)
      .set({ failedAttempts: 0, codeLockedUntil: null })
      .where(eq(lockerBanks.id, bank1.id));
    t.clock.set(new Date());
    const wrong = await wrongCodes(bank1.id, 5);

    // Four wrong, then a right one: it opens and the count starts again.
    for (const [i, code] of wrong.slice(0, 4).entries()) {
      const res = await panel(bank1, code);
      expect(res.status).toBe(404);
      expect(res.body.error).toMatchObject({ code: 'PICKUP_CODE_INVALID', details: [{ path: 'body.code' }] });
      expect(res.body.error.message).toContain(`${4 - i} tries left`);
    }
    const first = await panel(bank1, o.bruteFirst.code);
    expect(first.status).toBe(200);
    expect(first.body.orderId).toBe(o.bruteFirst.orderId);
    expect((await bankRow(bank1.id)).failedAttempts).toBe(0);
    for (const code of wrong.slice(0, 4)) expect((await panel(bank1, code)).status).toBe(404);
    const second = await panel(bank1, o.bruteSecond.code);
    expect(second.status).toBe(200);
    expect(second.body.orderId).toBe(o.bruteSecond.orderId);

    // Five wrong in a row: locked.
    for (const code of wrong.slice(0, 4)) expect((await panel(bank1, code)).status).toBe(404);
    const fifth = await panel(bank1, wrong[4]!);
    expect(fifth.status).toBe(404);
    expect(fifth.body.error.message).toContain('locked');
    const lockedAt = t.clock.now().getTime();
    const locked = await panel(bank1, o.bruteLocked.code);
    expect(locked.status).toBe(423);
    expect(locked.body.error.code).toBe('CODE_ENTRY_LOCKED');
    expect(await statusOf(o.bruteLocked)).toBe('in_locker');
    // Staff see the lock on the bank.
    const banks = await t.call({ method: 'GET', url: '/v1/staff/locker-banks', headers: bearer(staff) });
    const seen = banks.body.items.find((b: { id: string }) => b.id === bank1.id);
    expect(new Date(seen.codeLockedUntil).getTime()).toBeGreaterThan(lockedAt);

    // Still locked just before ten minutes (wrong codes meanwhile do not matter) …
    t.clock.set(new Date(lockedAt + CODE_LOCK_MS - 5_000));
    expect((await panel(bank1, wrong[0]!)).status).toBe(423);
    expect((await panel(bank1, o.bruteLocked.code)).status).toBe(423);
    expect(await statusOf(o.bruteLocked)).toBe('in_locker');
    // … and open right after.
    t.clock.set(new Date(lockedAt + CODE_LOCK_MS + 5_000));
    const opened = await panel(bank1, o.bruteLocked.code);
    expect(opened.status).toBe(200);
    expect(opened.body).toEqual({
      orderId: o.bruteLocked.orderId,
      compartments: [{ id: o.bruteLocked.compartmentIds[0], label: expect.any(String) }],
    });
    expect(await statusOf(o.bruteLocked)).toBe('picked_up');
    t.clock.set(new Date());
  });
});

describe('the device signature', () => {
  it('is refused with a wrong secret, a stale or future timestamp, a replay, a changed body or an unknown bank', async () => {
    const d = o.signature;
    const body = JSON.stringify({ code: d.code });
    const url = `/v1/devices/lockers/${bank0.id}/pickup`;
    const before = await bankRow(bank0.id);
    const refused = async (req: { payload: string; headers: Record<string, string> }, to = url) => {
      const res = await t.call({ method: 'POST', url: to, ...req });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('DEVICE_UNAUTHORIZED');
    };

    await refused(signed(randomBytes(32).toString('hex'), body));
    await refused(signed(bank0.secret, body, Date.now() - 5 * 60_000 - 5_000));
    await refused(signed(bank0.secret, body, Date.now() + 5 * 60_000 + 5_000));
    // Signed for one code, sent with another (and with the same code re-serialised).
    const tampered = signed(bank0.secret, JSON.stringify({ code: '000000' }));
    await refused({ ...tampered, payload: body });
    const respaced = signed(bank0.secret, body);
    await refused({ ...respaced, payload: JSON.stringify({ code: d.code }, null, 1) });
    await refused(signed(bank0.secret, body), `/v1/devices/lockers/${randomUUID()}/pickup`);
    // The old secret stopped working when staff rotated it.
    await refused(signed(seededSecret0, body));
    // Malformed headers are a 400 before anything is checked.
    const bad = await t.call({
      method: 'POST',
      url,
      payload: body,
      headers: { 'content-type': 'application/json', 'x-device-timestamp': 'now', 'x-device-signature': 'x' },
    });
    expect(bad.status).toBe(400);
    const none = await t.call({
      method: 'POST',
      url,
      payload: body,
      headers: { 'content-type': 'application/json' },
    });
    expect(none.status).toBe(400);
    // None of that opened anything or counted as a wrong code.
    expect(await statusOf(d)).toBe('in_locker');
    expect((await bankRow(bank0.id)).failedAttempts).toBe(before.failedAttempts);

    const good = signed(bank0.secret, body);
    const opened = await t.call({ method: 'POST', url, ...good });
    expect(opened.status).toBe(200);
    expect(opened.body.orderId).toBe(d.orderId);
    // The very same request again: a replay.
    await refused(good);
    expect(await statusOf(d)).toBe('picked_up');
  });

  it('a used code never opens again, at the panel or from the app', async () => {
    const d = o.usedCode;
    const opened = await panel(bank0, d.code);
    expect(opened.status).toBe(200);
    expect(await compartmentStates(d)).toEqual(['free']);
    const again = await panel(bank0, d.code);
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('PICKUP_CODE_INVALID');
    const fromApp = await t.call({
      method: 'POST',
      url: `/v1/lockers/${bank0.id}/open`,
      headers: bearer(d.owner),
      payload: { orderId: d.orderId },
    });
    expect(fromApp.status).toBe(404);
    const view = await t.call({ method: 'GET', url: `/v1/orders/${d.orderId}`, headers: bearer(d.owner) });
    expect(view.body.status).toBe('picked_up');
    expect(view.body.locker.code).toBeNull();
    const [p] = await t.deps.db.select().from(lockerPickups).where(eq(lockerPickups.orderId, d.orderId));
    expect(p!.usedAt).not.toBeNull();
  });
});

describe('opening from the app', () => {
  const open = (headers: Record<string, string>, bankId: string, orderId: string) =>
    t.call({ method: 'POST', url: `/v1/lockers/${bankId}/open`, headers, payload: { orderId } });

  it('the owner opens their compartments; anyone else, or the wrong bank, gets 404', async () => {
    const d = o.ownerOpens;
    const stray = await makeStaff(t, { runsDemo: false });
    for (const who of [people.neighbour, people.proxy, courier, staff, stray, merchant]) {
      const res = await open(bearer(who), bank0.id, d.orderId);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
    expect((await open(bearer(d.owner), bank1.id, d.orderId)).status).toBe(404);
    expect((await open(bearer(d.owner), randomUUID(), d.orderId)).status).toBe(404);
    expect(await statusOf(d)).toBe('in_locker');
    expect(await compartmentStates(d)).toEqual(['occupied']);

    const res = await open(bearer(d.owner), bank0.id, d.orderId);
    expect(res.status).toBe(200);
    expect(res.body.compartments.map((c: { id: string }) => c.id)).toEqual(d.compartmentIds);
    expect(await statusOf(d)).toBe('picked_up');
    expect(await compartmentStates(d)).toEqual(['free']);
    expect((await open(bearer(d.owner), bank0.id, d.orderId)).status).toBe(404);
    // The code is spent too.
    expect((await panel(bank0, d.code)).status).toBe(404);
  });

  it("the elder's consented family proxy opens for the elder and sees the code; the elder's code is hidden from others", async () => {
    const d = o.elderOpens;
    const seen = await t.call({ method: 'GET', url: `/v1/orders/${d.orderId}`, headers: asProxy() });
    expect(seen.status).toBe(200);
    expect(seen.body.locker.code).toBe(d.code);
    expect(
      (await t.call({ method: 'GET', url: `/v1/orders/${d.orderId}`, headers: bearer(people.proxy) })).status,
    ).toBe(404);
    // Acting as themself the proxy has no such order; on the elder's behalf, not at another bank.
    expect((await open(bearer(people.proxy), bank0.id, d.orderId)).status).toBe(404);
    expect((await open(asProxy(), bank1.id, d.orderId)).status).toBe(404);
    // Someone with no link cannot act for the elder at all.
    expect(
      (
        await open(
          { ...bearer(people.neighbour), 'x-on-behalf-of': people.elder.userId },
          bank0.id,
          d.orderId,
        )
      ).status,
    ).toBe(404);
    expect(await statusOf(d)).toBe('in_locker');

    const res = await open(asProxy(), bank0.id, d.orderId);
    expect(res.status).toBe(200);
    expect(res.body.orderId).toBe(d.orderId);
    expect(await statusOf(d)).toBe('picked_up');
  });
});

describe('reminders and overdue', () => {
  const queued = async (orderId: string, name: string) =>
    (
      await t.deps.db
        .select()
        .from(outbox)
        .where(
          and(
            eq(outbox.queue, 'lockers'),
            eq(outbox.jobName, name),
            sql`${outbox.payload}->>'orderId' = ${orderId}`,
          ),
        )
    ).sort((a, b) => a.delayMs - b.delayMs);
  const run = (name: string, data: Record<string, unknown>) =>
    lockerJobs.process({ name, data, id: 'test' } as unknown as Job, t.deps);
  const noticesFor = async (d: Dropped, kind: string) =>
    (await inbox(t, d.owner.userId)).filter((n) => n.kind === kind && n.link?.includes(d.orderId));

  it('reminders: queued at the drop, sent once per kind however often they run', async () => {
    const d = o.reminders;
    const reminders = await queued(d.orderId, 'locker.reminder');
    const hour = 3600_000;
    expect(reminders.map((r) => [r.payload.kind, r.delayMs])).toEqual([
      ['uncollected', 2 * hour],
      ['deadline', 22 * hour],
    ]);
    for (const r of reminders) expect(r.payload.deadline).toBe(d.deadline);
    expect((await queued(d.orderId, 'locker.overdue')).map((r) => r.delayMs)).toEqual([24 * hour]);

    for (const r of reminders) {
      expect(await run('locker.reminder', r.payload)).toBe(true);
      expect(await run('locker.reminder', r.payload)).toBe(false);
    }
    for (const kind of ['uncollected', 'deadline']) {
      const sent = await noticesFor(d, `locker.reminder.${kind}`);
      expect(sent).toHaveLength(1);
      expect(sent[0]!.body).toContain(d.code);
    }
    expect(await noticesFor(d, 'locker.overdue')).toEqual([]);
    expect(await statusOf(d)).toBe('in_locker');
  });

  it('picking up removes the queued reminders; one that runs anyway sends nothing', async () => {
    const d = o.remindLate;
    const reminders = await queued(d.orderId, 'locker.reminder');
    const overdueJob = await queued(d.orderId, 'locker.overdue');
    expect(reminders).toHaveLength(2);
    // The jobs are in Redis (the relay ran) until the pickup removes them.
    while ((await relayOutbox(t.deps.db, t.deps.queues)) > 0) {}
    const q = t.deps.queues.get('lockers');
    const jobIds = [...reminders, ...overdueJob].map((r) => r.id);
    for (const id of jobIds) expect(await q.getJob(id)).toBeDefined();
    expect((await panel(bank0, d.code)).status).toBe(200);
    for (const id of jobIds) expect(await q.getJob(id)).toBeUndefined();
    // Had one already been taken by a worker, it would find the order collected.
    for (const r of reminders) expect(await run('locker.reminder', r.payload)).toBe(false);
    t.clock.set(new Date(new Date(d.deadline).getTime() + 60_000));
    expect(await run('locker.overdue', overdueJob[0]!.payload)).toBe(false);
    t.clock.set(new Date());
    const notices = (await inbox(t, d.owner.userId)).filter(
      (n) => n.link?.includes(d.orderId) && n.kind !== 'locker.dropped' && n.kind !== 'locker.scheduled',
    );
    expect(notices.map((n) => n.kind).filter((k) => k.startsWith('locker.'))).toEqual([]);
    expect(await statusOf(d)).toBe('picked_up');
  });

  it('overdue at the deadline and not before; one paid extension, a second is refused; the old overdue job then does nothing', async () => {
    const d = o.overdue;
    const deadline = new Date(d.deadline).getTime();
    const view = () => t.call({ method: 'GET', url: `/v1/orders/${d.orderId}`, headers: bearer(d.owner) });
    // The fee is paid first (devpay here); the money arriving is what extends the order.
    const extend = async () => {
      const pay = await t.call({
        method: 'POST',
        url: `/v1/orders/${d.orderId}/extend/pay`,
        headers: bearer(d.owner),
        payload: {},
      });
      if (pay.status !== 200) return pay;
      return t.call({
        method: 'POST',
        url: `/v1/payments/${pay.body.paymentId}/dev-confirm`,
        headers: bearer(d.owner),
        payload: {},
      });
    };

    // Not overdue yet: nothing to extend either.
    t.clock.set(new Date(deadline - 60_000));
    expect(await run('locker.overdue', { orderId: d.orderId })).toBe(false);
    expect(await statusOf(d)).toBe('in_locker');
    const early = await extend();
    expect(early.status).toBe(409);
    expect(await statusOf(d)).toBe('in_locker');

    t.clock.set(new Date(deadline + 60_000));
    const oldJob = (await queued(d.orderId, 'locker.overdue'))[0]!.payload;
    expect(await run('locker.overdue', oldJob)).toBe(true);
    expect(await run('locker.overdue', oldJob)).toBe(false);
    expect(await statusOf(d)).toBe('overdue');
    expect(await noticesFor(d, 'locker.overdue')).toHaveLength(1);
    expect((await view()).body.locker).toMatchObject({
      code: d.code,
      extended: false,
      extensionFeeFen: t.deps.config.LOCKER_EXTENSION_FEE_FEN,
    });

    const extendedAt = t.clock.now().getTime();
    const extended = await extend();
    expect(extended.status).toBe(200);
    expect(extended.body.status).toBe('in_locker');
    // A new free window from now.
    const newDeadline = new Date(extended.body.locker.deadline).getTime();
    const freeMs = t.deps.config.LOCKER_FREE_HOURS * 3600_000;
    expect(newDeadline).toBeGreaterThanOrEqual(extendedAt + freeMs);
    expect(newDeadline).toBeLessThan(extendedAt + freeMs + 10_000);
    expect(extended.body.locker).toMatchObject({
      code: d.code,
      extended: true,
      extensionFeeFen: t.deps.config.LOCKER_EXTENSION_FEE_FEN,
      extensionPayment: 'paid',
    });
    // Without paying, the free route refuses a fee-bearing extension.
    const unpaid = await t.call({
      method: 'POST',
      url: `/v1/orders/${d.orderId}/extend`,
      headers: bearer(d.owner),
      payload: {},
    });
    expect(unpaid.status).toBe(409);
    expect(t.deps.config.LOCKER_EXTENSION_FEE_FEN).toBeGreaterThan(0);
    const [p] = await t.deps.db.select().from(lockerPickups).where(eq(lockerPickups.orderId, d.orderId));
    expect(p!.extensionFeeFen).toBe(t.deps.config.LOCKER_EXTENSION_FEE_FEN);
    expect(p!.extendedAt).not.toBeNull();
    expect(await compartmentStates(d)).toEqual(['occupied']);

    // The jobs of the first deadline fire late: they change and send nothing.
    expect(await run('locker.overdue', oldJob)).toBe(false);
    const oldReminders = (await queued(d.orderId, 'locker.reminder')).filter(
      (r) => r.payload.deadline === d.deadline,
    );
    expect(oldReminders).toHaveLength(2);
    for (const r of oldReminders) expect(await run('locker.reminder', r.payload)).toBe(false);
    expect(await noticesFor(d, 'locker.reminder.deadline')).toEqual([]);
    expect(await statusOf(d)).toBe('in_locker');
    // A second extension is refused, now and after the new deadline.
    const twice = await extend();
    expect(twice.status).toBe(409);
    t.clock.set(new Date(newDeadline + 60_000));
    const newJob = (await queued(d.orderId, 'locker.overdue')).find(
      (r) => r.payload.deadline === extended.body.locker.deadline,
    );
    expect(newJob).toBeDefined();
    expect(await run('locker.overdue', newJob!.payload)).toBe(true);
    expect(await statusOf(d)).toBe('overdue');
    const again = await extend();
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_EXTENDED');
    expect(await statusOf(d)).toBe('overdue');
    const [still] = await t.deps.db.select().from(lockerPickups).where(eq(lockerPickups.orderId, d.orderId));
    expect(still!.deadline.getTime()).toBe(newDeadline);
    // Only the resident (or their family) extends: their neighbour gets 404.
    const foreign = await t.call({
      method: 'POST',
      url: `/v1/orders/${d.orderId}/extend`,
      headers: bearer(people.third),
      payload: {},
    });
    expect(foreign.status).toBe(404);
    const held = await t.deps.db
      .select()
      .from(compartmentAssignments)
      .where(
        and(eq(compartmentAssignments.orderId, d.orderId), eq(compartmentAssignments.status, 'occupied')),
      );
    expect(held).toHaveLength(1);
    t.clock.set(new Date());
  });
});

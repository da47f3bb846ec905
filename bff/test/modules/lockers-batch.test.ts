import type { Job } from 'bullmq';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import {
  addDays,
  type CompartmentSlot,
  fitsIn,
  localClock,
  type PackLine,
  SIZE_UNITS,
  type SizeHint,
  type Temperature,
  zonedInstant,
} from 'shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditLog,
  compartmentAssignments,
  compartments,
  compounds,
  deliveryBatches,
  deliverySchedules,
  deliveryWindows,
  lockerBanks,
  lockerOrders,
  notifications,
  orderItems,
  orders,
  products,
  users,
} from '../../src/db/schema';
import type { JobProcessor } from '../../src/jobs/processor';
import { assignBank, buildBatchInline, finalizeBatch, runCutoff } from '../../src/modules/lockers/batches';
import { upsertCutoffSchedulers } from '../../src/modules/lockers/scheduler';
import { startWorkers, type WorkerRuntime } from '../../src/workers';
import { lockerJobs } from '../fixtures/jobs';
import { acceptedLockerOrder, lockerOrder, produceShop, residentLocker, type Who } from '../fixtures/lockers';
import { makeShop, placeOrder, type TestShop } from '../fixtures/market';
import { bearer, demoCommunityId, inbox, makeStaff, PHONES, TEST_ENV } from '../fixtures/people';
import { setupTestApp, type TestApp } from '../helper';

const TZ = 'Asia/Shanghai';
const COURIER = '13800000003';
const silent = { info() {}, warn() {}, error() {} };

let t: TestApp;
let communityId: string;
let compoundIds: string[];
let resident: Who;
let merchant: Who;
let courier: Who;
let staff: Who;
/** A shop of this file's own for the orders inserted in bulk: its pickup codes and stock are ours. */
let bulkShop: TestShop;
const BULK_PRODUCTS: { zone: Temperature; size: SizeHint }[] = [
  { zone: 'ambient', size: 'S' },
  { zone: 'ambient', size: 'M' },
  { zone: 'ambient', size: 'L' },
  { zone: 'chilled', size: 'S' },
  { zone: 'chilled', size: 'M' },
  { zone: 'frozen', size: 'S' },
  { zone: 'frozen', size: 'M' },
];

beforeAll(async () => {
  t = await setupTestApp(TEST_ENV);
  communityId = await demoCommunityId(t);
  compoundIds = (
    await t.deps.db
      .select({ id: compounds.id })
      .from(compounds)
      .where(eq(compounds.communityId, communityId))
      .orderBy(asc(compounds.name))
  ).map((c) => c.id);
  resident = await t.login(PHONES.resident);
  merchant = await t.login(PHONES.merchant);
  courier = await t.login(COURIER);
  staff = await t.login(PHONES.staff);
  bulkShop = await makeShop(t, {
    products: BULK_PRODUCTS.map((_, i) => ({
      name: `批量商品${i}`,
      priceFen: 300 + i * 10,
      stock: 1_000_000,
    })),
  });
  for (const [i, p] of BULK_PRODUCTS.entries())
    await t.deps.db
      .update(products)
      .set({ temperature: p.zone, sizeHint: p.size })
      .where(eq(products.id, bulkShop.products[i]!.id));
});
afterAll(() => t?.close());

let windowDay = 40;
/**
 * A window of the test's own and the one right after it (03:00 and 03:30 local, 40+ days ahead):
 * no seeded or staff-made window falls between them, so "the next window" is the second one.
 */
async function windowPair() {
  const day = addDays(localClock(new Date(), TZ).date, windowDay++);
  const rows = await t.deps.db
    .insert(deliveryWindows)
    .values([
      { communityId, cutoffAt: zonedInstant(day, '03:00', TZ), deliverAt: zonedInstant(day, '07:00', TZ) },
      { communityId, cutoffAt: zonedInstant(day, '03:30', TZ), deliverAt: zonedInstant(day, '08:00', TZ) },
    ])
    .returning();
  rows.sort((a, b) => a.cutoffAt.getTime() - b.cutoffAt.getTime());
  return rows as [(typeof rows)[number], (typeof rows)[number]];
}

type Layout = { zone: Temperature; size: SizeHint; count: number }[];

async function makeBank(compoundId: string, layout: Layout, name: string) {
  const res = await t.call({
    method: 'POST',
    url: '/v1/staff/locker-banks',
    headers: bearer(staff),
    payload: { compoundId, name, location: '测试楼下', compartments: layout },
  });
  expect(res.status).toBe(201);
  return res.body as {
    bank: { id: string; compartments: { id: string; label: string; size: SizeHint; zone: Temperature }[] };
    deviceSecret: string;
  };
}

let phoneSeq = 0;
let codeSeq = 0;
interface Inserted {
  orderId: string;
  userId: string;
  bankId: string;
  status: 'accepted' | 'paid';
  lines: PackLine[];
}

/**
 * Orders straight into the tables (one resident each), as checkout and the merchant's acceptance
 * would leave them: locker delivery with consent, a window and a bank, paid in the given order.
 */
async function insertOrders(
  windowId: string,
  specs: { bankId: string; products: number[]; status: 'accepted' | 'paid' }[],
): Promise<Inserted[]> {
  const { db } = t.deps;
  const now = Date.now();
  const userRows = await db
    .insert(users)
    .values(
      specs.map(() => ({
        phone: `135${String(process.pid % 1000).padStart(3, '0')}${String(phoneSeq++).padStart(5, '0')}`,
        name: '批量居民',
      })),
    )
    .returning({ id: users.id });
  const out: Inserted[] = [];
  for (let from = 0; from < specs.length; from += 500) {
    const chunk = specs.slice(from, from + 500);
    const made = await db
      .insert(orders)
      .values(
        chunk.map((s, k) => {
          const i = from + k;
          const itemsFen = s.products.reduce((n, p) => n + bulkShop.products[p]!.priceFen, 0);
          return {
            userId: userRows[i]!.id,
            placedBy: userRows[i]!.id,
            merchantId: bulkShop.id,
            status: s.status,
            itemsFen,
            totalFen: itemsFen,
            deliveryMode: 'locker' as const,
            pickupCode: String(codeSeq++).padStart(6, '0'),
            payBy: new Date(now + 15 * 60_000),
            paidAt: new Date(now - 3_600_000 + i * 10),
          };
        }),
      )
      .returning({ id: orders.id, userId: orders.userId });
    await db
      .insert(lockerOrders)
      .values(
        made.map((o, k) => ({ orderId: o.id, windowId, bankId: chunk[k]!.bankId, consentAt: new Date(now) })),
      );
    await db.insert(orderItems).values(
      made.flatMap((o, k) =>
        chunk[k]!.products.map((p) => ({
          orderId: o.id,
          productId: bulkShop.products[p]!.id,
          name: bulkShop.products[p]!.name,
          unit: '斤',
          priceFen: bulkShop.products[p]!.priceFen,
          quantity: 1,
        })),
      ),
    );
    made.forEach((o, k) => {
      const s = chunk[k]!;
      out.push({
        orderId: o.id,
        userId: o.userId,
        bankId: s.bankId,
        status: s.status,
        lines: s.products.map((p) => ({ zone: BULK_PRODUCTS[p]!.zone, size: BULK_PRODUCTS[p]!.size })),
      });
    });
  }
  return out;
}

/** A small deterministic generator: the same carts on every run. */
function seeded(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Whether the lines can be put into exactly these compartments: each line in one of its zone with
 * room left, every compartment holding at least one line. Orders have at most three lines here.
 */
function packsInto(lines: PackLine[], held: { zone: Temperature; size: SizeHint }[]): boolean {
  if (held.length === 0 || held.length > lines.length) return false;
  const room = held.map((h) => SIZE_UNITS[h.size]);
  const used = held.map(() => 0);
  const place = (i: number): boolean => {
    if (i === lines.length) return used.every((n) => n > 0);
    for (let k = 0; k < held.length; k++) {
      const u = SIZE_UNITS[lines[i]!.size];
      if (held[k]!.zone !== lines[i]!.zone || room[k]! < u) continue;
      room[k]! -= u;
      used[k]! += 1;
      if (place(i + 1)) return true;
      room[k]! += u;
      used[k]! -= 1;
    }
    return false;
  };
  return place(0);
}

async function batchOf(windowId: string) {
  return t.deps.db.select().from(deliveryBatches).where(eq(deliveryBatches.windowId, windowId));
}

async function liveAssignments(batchId: string) {
  return t.deps.db
    .select({
      orderId: compartmentAssignments.orderId,
      compartmentId: compartments.id,
      bankId: compartments.bankId,
      zone: compartments.zone,
      size: compartments.size,
      state: compartments.state,
    })
    .from(compartmentAssignments)
    .innerJoin(compartments, eq(compartments.id, compartmentAssignments.compartmentId))
    .where(
      and(
        eq(compartmentAssignments.batchId, batchId),
        inArray(compartmentAssignments.status, ['reserved', 'occupied']),
      ),
    );
}

/** No compartment anywhere holds two live assignments. */
async function doubleAssigned() {
  return t.deps.db.execute(sql`
    SELECT compartment_id, count(*)::int AS n FROM compartment_assignments
    WHERE status IN ('reserved', 'occupied') GROUP BY compartment_id HAVING count(*) > 1`);
}

async function noticesOf(userIds: string[]) {
  if (userIds.length === 0) return [];
  return t.deps.db
    .select({ userId: notifications.userId, kind: notifications.kind, dedupeKey: notifications.dedupeKey })
    .from(notifications)
    .where(inArray(notifications.userId, userIds));
}

describe('the batch build', () => {
  it('2,000 orders over 3 banks built by two concurrent runs: one batch, no compartment twice, the rest moved with one notice each', async () => {
    const [w, next] = await windowPair();
    const layout: Layout = [
      { zone: 'ambient', size: 'S', count: 60 },
      { zone: 'ambient', size: 'M', count: 60 },
      { zone: 'ambient', size: 'L', count: 60 },
      { zone: 'chilled', size: 'S', count: 60 },
      { zone: 'chilled', size: 'M', count: 60 },
      { zone: 'chilled', size: 'L', count: 40 },
      { zone: 'frozen', size: 'S', count: 60 },
      { zone: 'frozen', size: 'M', count: 60 },
    ];
    const banks: string[] = [];
    for (const [i, c] of compoundIds.entries()) banks.push((await makeBank(c, layout, `压测柜${i}`)).bank.id);
    const rand = seeded(4);
    const cart = () => {
      const n = 1 + Math.floor(rand() * 3);
      const picked = new Set<number>();
      while (picked.size < n) picked.add(Math.floor(rand() * BULK_PRODUCTS.length));
      return [...picked];
    };
    const made = await insertOrders(w.id, [
      ...Array.from({ length: 2000 }, (_, i) => ({
        bankId: banks[i % 3]!,
        products: cart(),
        status: 'accepted' as const,
      })),
      // Paid but not yet accepted by the merchant at cut-off: they wait for the next window.
      ...Array.from({ length: 12 }, (_, i) => ({
        bankId: banks[i % 3]!,
        products: [1],
        status: 'paid' as const,
      })),
    ]);

    const [a, b] = await Promise.all([runCutoff(t.deps, w.id), runCutoff(t.deps, w.id)]);
    expect(a).not.toBeNull();
    expect(b).toEqual(a);
    expect(a!.bankIds).toEqual([...banks].sort());
    const batchId = a!.batchId;
    const runs = await Promise.all(
      banks.flatMap((bankId) => [assignBank(t.deps, batchId, bankId), assignBank(t.deps, batchId, bankId)]),
    );
    const finals = await Promise.all([finalizeBatch(t.deps, batchId), finalizeBatch(t.deps, batchId)]);
    expect(finals.filter(Boolean)).toHaveLength(1);

    // One batch for the window, ready, built once.
    const batches = await batchOf(w.id);
    expect(batches).toHaveLength(1);
    expect(batches[0]).toMatchObject({ id: batchId, status: 'ready' });
    expect(batches[0]!.builtAt).not.toBeNull();
    // Per bank, one run did the work and the other found nothing left to do.
    for (let k = 0; k < banks.length; k++) {
      const [r1, r2] = [runs[2 * k]!, runs[2 * k + 1]!];
      expect(Math.min(r1.placed + r1.moved, r2.placed + r2.moved)).toBe(0);
      expect(r1.placed + r2.placed).toBeGreaterThan(0);
    }

    // Not a single compartment holds two orders, anywhere.
    expect(await doubleAssigned()).toEqual([]);

    const live = await liveAssignments(batchId);
    const byOrder = new Map<string, typeof live>();
    for (const l of live) byOrder.set(l.orderId, [...(byOrder.get(l.orderId) ?? []), l]);
    const after = new Map(
      (
        await t.deps.db
          .select({ id: orders.id, status: orders.status, windowId: lockerOrders.windowId })
          .from(orders)
          .innerJoin(lockerOrders, eq(lockerOrders.orderId, orders.id))
          .where(
            inArray(
              orders.id,
              made.map((m) => m.orderId),
            ),
          )
      ).map((o) => [o.id, o]),
    );
    const placed = made.filter((m) => after.get(m.orderId)!.status === 'in_batch');
    const moved = made.filter((m) => m.status === 'accepted' && after.get(m.orderId)!.status !== 'in_batch');
    expect(placed.length).toBeGreaterThan(500);
    expect(moved.length).toBeGreaterThan(500);
    expect(placed.length + moved.length).toBe(2000);

    // Every placed order: in the window, compartments of its own bank, and its lines really go
    // into them (zone by zone, within each compartment's size, none left empty).
    for (const o of placed) {
      expect(after.get(o.orderId)!.windowId).toBe(w.id);
      const held = byOrder.get(o.orderId) ?? [];
      for (const h of held) {
        expect(h.bankId).toBe(o.bankId);
        expect(h.state).toBe('reserved');
      }
      expect(packsInto(o.lines, held), JSON.stringify({ lines: o.lines, held })).toBe(true);
    }
    const compartmentsUsed = live.length;
    expect(compartmentsUsed).toBeGreaterThanOrEqual(placed.length);
    // The reserved compartments of the three banks are exactly the assigned ones.
    const reserved = await t.deps.db
      .select({ id: compartments.id })
      .from(compartments)
      .where(and(inArray(compartments.bankId, banks), eq(compartments.state, 'reserved')));
    expect(reserved.map((r) => r.id).sort()).toEqual(live.map((l) => l.compartmentId).sort());

    // The rest wait for the next window, with no compartment, and could not have fitted: what is
    // left free at their bank does not hold them (first-fit decreasing places every order that fits).
    const leftover = new Map<string, CompartmentSlot[]>();
    for (const bankId of banks)
      leftover.set(
        bankId,
        await t.deps.db
          .select({ id: compartments.id, zone: compartments.zone, size: compartments.size })
          .from(compartments)
          .where(and(eq(compartments.bankId, bankId), eq(compartments.state, 'free'))),
      );
    for (const o of moved) {
      expect(after.get(o.orderId)).toMatchObject({ status: 'accepted', windowId: next.id });
      expect(byOrder.has(o.orderId)).toBe(false);
      expect(fitsIn(o.lines, leftover.get(o.bankId)!)).toBe(false);
    }
    for (const o of made.filter((m) => m.status === 'paid')) {
      expect(after.get(o.orderId)).toMatchObject({ status: 'paid', windowId: next.id });
      expect(byOrder.has(o.orderId)).toBe(false);
    }

    // Exactly one notice per moved order, none for the placed ones.
    const notices = await noticesOf(made.map((m) => m.userId));
    const rescheduled = new Map<string, number>();
    for (const n of notices.filter((x) => x.kind === 'locker.rescheduled'))
      rescheduled.set(n.userId, (rescheduled.get(n.userId) ?? 0) + 1);
    for (const o of moved) expect(rescheduled.get(o.userId)).toBe(1);
    for (const o of placed) expect(rescheduled.get(o.userId)).toBeUndefined();

    // The courier is told once; their list shows the batch with its counts.
    const courierNotices = (await inbox(t, courier.userId)).filter(
      (n) => n.kind === 'batch.ready' && n.link?.includes(batchId),
    );
    expect(courierNotices).toHaveLength(1);
    const list = await t.call({ method: 'GET', url: '/v1/courier/batches', headers: bearer(courier) });
    expect(list.body.items.find((x: { id: string }) => x.id === batchId)).toMatchObject({
      status: 'ready',
      orderCount: placed.length,
      bankCount: 3,
      droppedCount: 0,
    });
  });

  it('a worker killed mid-flow, then a new one: the batch completes once, each resident and the courier told once', async () => {
    const [w, next] = await windowPair();
    const q = t.deps.queues.get('lockers');
    // Only this flow in the queue (earlier tests built theirs inline and left their flows behind).
    await q.obliterate({ force: true });
    const banks: string[] = [];
    for (const [i, c] of compoundIds.entries())
      banks.push((await makeBank(c, [{ zone: 'ambient', size: 'M', count: 2 }], `小柜${i}`)).bank.id);
    // Four one-compartment orders per bank of two compartments: two go in, two wait.
    const made = await insertOrders(
      w.id,
      Array.from({ length: 12 }, (_, i) => ({
        bankId: banks[i % 3]!,
        products: [1],
        status: 'accepted' as const,
      })),
    );

    // The first worker takes one job at a time and goes away right after the first bank's job:
    // it stops taking jobs before that one is even marked done, so the rest of the flow waits.
    let first: WorkerRuntime | undefined;
    let oneBankDone!: () => void;
    const oneBank = new Promise<void>((resolve) => {
      oneBankDone = resolve;
    });
    const dying: JobProcessor = {
      ...lockerJobs,
      concurrency: 1,
      async process(job, deps) {
        const out = await lockerJobs.process(job, deps);
        if (job.name === 'batch.assignBank') {
          void first!.workers[0]!.close();
          oneBankDone();
        }
        return out;
      },
    };
    first = startWorkers(t.deps, silent, { relayIntervalMs: 20, schedulers: false, processors: [dying] });
    // The cut-off as staff's 立即截单 runs it: the build flow is queued for the workers.
    await runCutoff(t.deps, w.id);
    try {
      await Promise.race([
        oneBank,
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error('no bank was assigned in time')), 15_000),
        ),
      ]);
    } finally {
      await first.close();
    }
    const [mid] = await batchOf(w.id);
    expect(mid!.status).toBe('building');
    const banksDone = new Set((await liveAssignments(mid!.id)).map((l) => l.bankId));
    expect(banksDone.size).toBe(1);
    expect((await inbox(t, courier.userId)).filter((n) => n.link?.includes(mid!.id))).toEqual([]);

    const second = startWorkers(t.deps, silent, { relayIntervalMs: 20, schedulers: false });
    try {
      const [done] = await until(
        () => batchOf(w.id),
        (rows) => rows[0]?.status === 'ready',
      );
      expect(done!.status).toBe('ready');
      // The cut-off runs again (a scheduler replay): nothing is built or sent twice.
      expect(await runCutoff(t.deps, w.id)).toMatchObject({ batchId: done!.id });
      const finalize = await q.getJob(`batch-finalize-${done!.id}`);
      expect(await finalize!.getState()).toBe('completed');
      expect(finalize!.returnvalue).toBe(true);
      const [still] = await batchOf(w.id);
      expect(still).toEqual(done);
    } finally {
      await second.close();
    }

    const [batch] = await batchOf(w.id);
    const live = await liveAssignments(batch!.id);
    expect(new Set(live.map((l) => l.bankId))).toEqual(new Set(banks));
    expect(live).toHaveLength(6);
    expect(await doubleAssigned()).toEqual([]);
    const statuses = await t.deps.db
      .select({ id: orders.id, status: orders.status, windowId: lockerOrders.windowId })
      .from(orders)
      .innerJoin(lockerOrders, eq(lockerOrders.orderId, orders.id))
      .where(
        inArray(
          orders.id,
          made.map((m) => m.orderId),
        ),
      );
    const placed = statuses.filter((o) => o.status === 'in_batch');
    const waiting = statuses.filter((o) => o.status === 'accepted');
    expect(placed).toHaveLength(6);
    expect(waiting).toHaveLength(6);
    for (const o of placed) expect(o.windowId).toBe(w.id);
    for (const o of waiting) expect(o.windowId).toBe(next.id);

    // Each resident is told at most once of anything, the moved ones exactly once why.
    const notices = await noticesOf(made.map((m) => m.userId));
    const seen = notices.map((n) => `${n.userId}|${n.kind}`);
    expect(new Set(seen).size).toBe(seen.length);
    const movedUsers = made.filter((m) => waiting.some((o) => o.id === m.orderId)).map((m) => m.userId);
    for (const u of movedUsers)
      expect(notices.filter((n) => n.userId === u && n.kind === 'locker.rescheduled')).toHaveLength(1);
    expect(
      (await inbox(t, courier.userId)).filter((n) => n.kind === 'batch.ready' && n.link?.includes(batch!.id)),
    ).toHaveLength(1);
  });

  it('a broken compartment reported by the courier is swapped on the spot for a free one of the same zone, as large or larger', async () => {
    t.clock.set(new Date());
    const [w] = await windowPair();
    const shop = await produceShop(t);
    const tomato = shop.ambient.find((p) => p.name === '沙瓤西红柿')!;
    const { compoundId } = await residentLocker(t, resident);
    // A01 ambient M, B01 chilled S, C01-C02 ambient S, D01 ambient L.
    const { bank } = await makeBank(
      compoundId,
      [
        { zone: 'ambient', size: 'M', count: 1 },
        { zone: 'chilled', size: 'S', count: 1 },
        { zone: 'ambient', size: 'S', count: 2 },
        { zone: 'ambient', size: 'L', count: 1 },
      ],
      '维修测试柜',
    );
    const label = (id: string) => bank.compartments.find((c) => c.id === id)?.label;
    const byLabel = (l: string) => bank.compartments.find((c) => c.label === l)!;
    const orderId = await acceptedLockerOrder(
      t,
      resident,
      merchant,
      lockerOrder(shop.id, [tomato.id], w.id, bank.id, 4),
    );
    const batchId = (await buildBatchInline(t.deps, w.id))!;
    const url = `/v1/courier/batches/${batchId}`;
    const before = await t.call({ method: 'GET', url, headers: bearer(courier) });
    expect(before.body.dropList).toHaveLength(1);
    expect(before.body.dropList[0].drops).toMatchObject([
      { orderId, label: 'A01', zone: 'ambient', size: 'M', dropped: false },
    ]);
    const broken = byLabel('A01');
    expect(
      (await t.call({ method: 'POST', url: `${url}/start`, headers: bearer(courier), payload: {} })).status,
    ).toBe(200);

    const reported = await t.call({
      method: 'POST',
      url: `${url}/compartment-problem`,
      headers: bearer(courier),
      payload: { compartmentId: broken.id, reason: '门锁打不开' },
    });
    expect(reported.status).toBe(200);
    // Not the ambient S (too small), not the chilled S (wrong zone): the ambient L.
    expect(reported.body.replacement).toMatchObject({
      orderId,
      label: 'D01',
      zone: 'ambient',
      size: 'L',
      dropped: false,
    });
    const replacement = reported.body.replacement.compartmentId as string;
    expect(label(replacement)).toBe('D01');
    const states = new Map(
      (
        await t.deps.db
          .select({ id: compartments.id, state: compartments.state })
          .from(compartments)
          .where(eq(compartments.bankId, bank.id))
      ).map((c) => [label(c.id), c.state]),
    );
    expect(Object.fromEntries(states)).toEqual({
      A01: 'out_of_service',
      B01: 'free',
      C01: 'free',
      C02: 'free',
      D01: 'reserved',
    });
    const audits = await t.deps.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'compartment.problem'), eq(auditLog.subjectId, broken.id)));
    expect(audits).toHaveLength(1);

    const m = await t.call({ method: 'GET', url, headers: bearer(courier) });
    expect(m.body.dropList[0].drops).toEqual([
      {
        orderId,
        orderNumber: expect.stringMatching(/^\d{4}-\d{3,}$/),
        compartmentId: replacement,
        label: 'D01',
        zone: 'ambient',
        size: 'L',
        dropped: false,
      },
    ]);
    // The broken one is no longer this order's, nor can it be reported twice.
    const stale = await t.call({
      method: 'POST',
      url: `${url}/drops`,
      headers: bearer(courier),
      payload: { orderId, compartmentId: broken.id },
    });
    expect(stale.status).toBe(404);
    expect(stale.body.error.code).toBe('NOT_IN_MANIFEST');
    const twice = await t.call({
      method: 'POST',
      url: `${url}/compartment-problem`,
      headers: bearer(courier),
      payload: { compartmentId: broken.id, reason: '门锁打不开' },
    });
    expect(twice.status).toBe(404);

    const dropped = await t.call({
      method: 'POST',
      url: `${url}/drops`,
      headers: bearer(courier),
      payload: { orderId, compartmentId: replacement },
    });
    expect(dropped.status).toBe(200);
    expect(dropped.body).toMatchObject({
      orderId,
      orderStatus: 'in_locker',
      drop: { label: 'D01', dropped: true },
    });
    const view = await t.call({ method: 'GET', url: `/v1/orders/${orderId}`, headers: bearer(resident) });
    expect(view.body.status).toBe('in_locker');
    expect(view.body.locker.compartments).toEqual(['D01']);
    expect(view.body.locker.code).toMatch(/^\d{6}$/);
    expect(await doubleAssigned()).toEqual([]);
  });
});

describe('capacity-aware checkout', () => {
  it('a full bank is refused before payment; another window, consent, compound and service are checked', async () => {
    t.clock.set(new Date());
    const [w, later] = await windowPair();
    const shop = await produceShop(t);
    const tomato = shop.ambient.find((p) => p.name === '沙瓤西红柿')!;
    const potato = shop.ambient.find((p) => p.name === '黄心土豆')!;
    const { compoundId } = await residentLocker(t, resident);
    // One ambient L and one ambient M.
    const { bank } = await makeBank(
      compoundId,
      [
        { zone: 'ambient', size: 'L', count: 1 },
        { zone: 'ambient', size: 'M', count: 1 },
      ],
      '容量测试柜',
    );
    // Two ambient M lines share one compartment: this cart needs an L.
    const large = (windowId: string, extra: Record<string, unknown> = {}) => ({
      merchantId: shop.id,
      items: [
        { productId: tomato.id, quantity: 2 },
        { productId: potato.id, quantity: 4 },
      ],
      delivery: { mode: 'locker', windowId, lockerBankId: bank.id, consent: true, ...extra },
    });
    const medium = lockerOrder(shop.id, [tomato.id], w.id, bank.id, 4);

    const accepted: string[] = [];
    let full: Awaited<ReturnType<typeof placeOrder>> | undefined;
    for (let i = 0; i < 5 && !full; i++) {
      const res = await placeOrder(t, resident, large(w.id));
      if (res.status === 201) accepted.push(res.body.id);
      else full = res;
    }
    expect(accepted).toHaveLength(1);
    expect(full!.status).toBe(409);
    expect(full!.body.error).toMatchObject({
      code: 'LOCKER_FULL',
      details: [{ path: 'body.delivery.lockerBankId' }],
    });
    // What is left for this window is the M: availability says so, and an M cart still goes in.
    const avail = await t.call({
      method: 'GET',
      url: `/v1/lockers/availability?compoundId=${compoundId}&windowId=${w.id}`,
      headers: bearer(resident),
    });
    expect(avail.body.banks.find((b: { bankId: string }) => b.bankId === bank.id).free).toEqual([
      { zone: 'ambient', size: 'M', count: 1 },
    ]);
    expect((await placeOrder(t, resident, medium)).status).toBe(201);
    const noRoom = await placeOrder(t, resident, medium);
    expect(noRoom.status).toBe(409);
    expect(noRoom.body.error.code).toBe('LOCKER_FULL');

    // The same cart for the next window fits.
    const other = await placeOrder(t, resident, large(later.id));
    expect(other.status).toBe(201);
    expect(other.body.locker).toMatchObject({ bankId: bank.id, windowId: later.id });

    // Past the cut-off the window takes no more orders.
    t.clock.set(new Date(w.cutoffAt.getTime() + 60_000));
    const closed = await placeOrder(t, resident, medium);
    expect(closed.status).toBe(409);
    expect(closed.body.error).toMatchObject({
      code: 'WINDOW_CLOSED',
      details: [{ path: 'body.delivery.windowId' }],
    });
    t.clock.set(new Date());

    // No consent, no locker delivery.
    for (const consent of [{ consent: false }, { consent: undefined }]) {
      const res = await placeOrder(t, resident, large(later.id, consent));
      expect(res.status).toBe(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain('body.delivery.consent');
    }

    // A bank of another compound is not the resident's to choose.
    const [foreignBank] = await t.deps.db
      .select({ id: lockerBanks.id })
      .from(lockerBanks)
      .where(
        inArray(
          lockerBanks.compoundId,
          compoundIds.filter((c) => c !== compoundId),
        ),
      );
    const elsewhere = await placeOrder(t, resident, {
      ...large(later.id),
      delivery: { mode: 'locker', windowId: later.id, lockerBankId: foreignBank!.id, consent: true },
    });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.error.details).toEqual([
      expect.objectContaining({ path: 'body.delivery.lockerBankId' }),
    ]);

    // A bank out of service takes nothing.
    const off = await t.call({
      method: 'PATCH',
      url: `/v1/staff/locker-banks/${bank.id}`,
      headers: bearer(staff),
      payload: { status: 'out_of_service' },
    });
    expect(off.status).toBe(200);
    const unavailable = await placeOrder(t, resident, medium);
    expect(unavailable.status).toBe(409);
    expect(unavailable.body.error).toMatchObject({
      code: 'LOCKER_UNAVAILABLE',
      details: [{ path: 'body.delivery.lockerBankId' }],
    });
    const mine = await t.deps.db
      .select({ id: lockerOrders.orderId })
      .from(lockerOrders)
      .where(eq(lockerOrders.bankId, bank.id));
    expect(mine).toHaveLength(3);
  });
  it('six checkouts at once for the last compartment: exactly one gets it, the others are told it is full', async () => {
    t.clock.set(new Date());
    const [w] = await windowPair();
    const shop = await produceShop(t);
    const tomato = shop.ambient.find((p) => p.name === '沙瓤西红柿')!;
    const { compoundId } = await residentLocker(t, resident);
    const { bank } = await makeBank(compoundId, [{ zone: 'ambient', size: 'M', count: 1 }], '抢柜测试柜');
    const neighbours = [
      resident,
      ...(await Promise.all(['13800000011', '13800000012'].map((p) => t.login(p)))),
    ];
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        placeOrder(t, neighbours[i % 3]!, lockerOrder(shop.id, [tomato.id], w.id, bank.id, 4)),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.error.code).toBe('LOCKER_FULL');
    const placed = await t.deps.db
      .select({ id: lockerOrders.orderId })
      .from(lockerOrders)
      .where(eq(lockerOrders.bankId, bank.id));
    expect(placed).toHaveLength(1);
  });
});

describe('staff', () => {
  it('make a bank (secret shown once), take compartments and the bank out of service and back', async () => {
    t.clock.set(new Date());
    const { compoundId } = await residentLocker(t, resident);
    const made = await makeBank(
      compoundId,
      [
        { zone: 'ambient', size: 'M', count: 3 },
        { zone: 'chilled', size: 'S', count: 2 },
      ],
      '新建测试柜',
    );
    expect(made.deviceSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(made.bank.compartments.map((c) => c.label)).toEqual(['A01', 'A02', 'A03', 'B01', 'B02']);
    const [stored] = await t.deps.db.select().from(lockerBanks).where(eq(lockerBanks.id, made.bank.id));
    expect(stored!.deviceSecret).toBe(made.deviceSecret);
    const list = await t.call({ method: 'GET', url: '/v1/staff/locker-banks', headers: bearer(staff) });
    expect(list.status).toBe(200);
    expect(list.body.items.map((b: { id: string }) => b.id)).toContain(made.bank.id);
    expect(JSON.stringify(list.body)).not.toContain(made.deviceSecret);
    expect(JSON.stringify(list.body)).not.toContain('deviceSecret');

    const a01 = made.bank.compartments[0]!;
    const patch = (inService: boolean) =>
      t.call({
        method: 'PATCH',
        url: `/v1/staff/compartments/${a01.id}`,
        headers: bearer(staff),
        payload: { inService },
      });
    const out = await patch(false);
    expect(out.status).toBe(200);
    expect(out.body).toMatchObject({ id: a01.id, state: 'out_of_service' });
    const counted = await t.call({ method: 'GET', url: '/v1/staff/locker-banks', headers: bearer(staff) });
    expect(
      counted.body.items
        .find((b: { id: string }) => b.id === made.bank.id)
        .counts.find((c: { zone: string; size: string }) => c.zone === 'ambient' && c.size === 'M'),
    ).toEqual({ zone: 'ambient', size: 'M', total: 2, free: 2 });
    expect((await patch(false)).body.state).toBe('out_of_service');
    const back = await patch(true);
    expect(back.status).toBe(200);
    expect(back.body.state).toBe('free');

    // A whole bank out of service: residents no longer see it for any window.
    const [w] = await windowPair();
    const availability = async () =>
      (
        await t.call({
          method: 'GET',
          url: `/v1/lockers/availability?compoundId=${compoundId}&windowId=${w.id}`,
          headers: bearer(resident),
        })
      ).body.banks.map((b: { bankId: string }) => b.bankId);
    expect(await availability()).toContain(made.bank.id);
    const bankPatch = (status: string) =>
      t.call({
        method: 'PATCH',
        url: `/v1/staff/locker-banks/${made.bank.id}`,
        headers: bearer(staff),
        payload: { status },
      });
    expect((await bankPatch('out_of_service')).body.status).toBe('out_of_service');
    expect(await availability()).not.toContain(made.bank.id);
    expect((await bankPatch('active')).body.status).toBe('active');
    expect(await availability()).toContain(made.bank.id);
  });

  it('a schedule makes windows; closing one now builds its batch; batches of the day and overdue orders are listed', async () => {
    t.clock.set(new Date());
    const url = '/v1/staff/delivery-windows';
    const bad = [
      { cutoffLocal: '9:30', deliveryLocal: '11:00' },
      { cutoffLocal: '24:00', deliveryLocal: '11:00' },
      { cutoffLocal: '09:30', deliveryLocal: '09:61' },
      { cutoffLocal: '09:30', deliveryLocal: '09:00' },
      { cutoffLocal: '09:30', deliveryLocal: '11:00', weekdays: [0] },
    ];
    for (const times of bad) {
      const res = await t.call({
        method: 'POST',
        url,
        headers: bearer(staff),
        payload: { communityId, ...times },
      });
      expect(res.status, JSON.stringify(times)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    const notMine = await t.call({
      method: 'POST',
      url,
      headers: bearer(await makeStaff(t, { runsDemo: false })),
      payload: { communityId, cutoffLocal: '09:30', deliveryLocal: '11:00' },
    });
    expect(notMine.status).toBe(400);
    expect(notMine.body.error.details[0].path).toBe('body.communityId');

    const made = await t.call({
      method: 'POST',
      url,
      headers: bearer(staff),
      payload: { communityId, cutoffLocal: '09:30', deliveryLocal: '11:00' },
    });
    expect(made.status).toBe(201);
    const windows = await t.deps.db
      .select()
      .from(deliveryWindows)
      .where(eq(deliveryWindows.scheduleId, made.body.id))
      .orderBy(asc(deliveryWindows.cutoffAt));
    expect(windows.length).toBeGreaterThanOrEqual(2);
    for (const x of windows) {
      expect(localClock(x.cutoffAt, TZ).minute).toBe(9 * 60 + 30);
      expect(localClock(x.deliverAt, TZ).minute).toBe(11 * 60);
      expect(localClock(x.deliverAt, TZ).date).toBe(localClock(x.cutoffAt, TZ).date);
    }
    const listed = await t.call({ method: 'GET', url, headers: bearer(staff) });
    expect(listed.body.schedules.map((s: { id: string }) => s.id)).toContain(made.body.id);
    const w = windows.find((x) => x.cutoffAt.getTime() > Date.now() + 10 * 60_000)!;
    expect(listed.body.windows.map((x: { id: string }) => x.id)).toContain(w.id);

    // A resident orders for that window; staff close it now, and the build is the scheduler's.
    const shop = await produceShop(t);
    const tomato = shop.ambient.find((p) => p.name === '沙瓤西红柿')!;
    const { compoundId } = await residentLocker(t, resident);
    const { bank } = await makeBank(compoundId, [{ zone: 'ambient', size: 'M', count: 2 }], '截单测试柜');
    const orderId = await acceptedLockerOrder(
      t,
      resident,
      merchant,
      lockerOrder(shop.id, [tomato.id], w.id, bank.id, 4),
    );
    const closed = await t.call({
      method: 'POST',
      url: `${url}/${w.id}/close`,
      headers: bearer(staff),
      payload: {},
    });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ id: w.id, status: 'closed' });
    const late = await placeOrder(t, resident, lockerOrder(shop.id, [tomato.id], w.id, bank.id, 4));
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('WINDOW_CLOSED');
    const [batch] = await batchOf(w.id);
    expect(batch!.status).toBe('building');
    // Run the flow's jobs as the workers would: the children, then the parent.
    const q = t.deps.queues.get('lockers');
    const children = (await q.getJobs(['waiting', 'prioritized', 'delayed'])).filter(
      (j) => j.name === 'batch.assignBank' && j.data.batchId === batch!.id,
    );
    expect(children.map((j) => j.data.bankId)).toEqual([bank.id]);
    for (const j of children) await lockerJobs.process(j, t.deps);
    const parent = await q.getJob(`batch-finalize-${batch!.id}`);
    expect(parent).toBeDefined();
    expect(await lockerJobs.process(parent!, t.deps)).toBe(true);
    const [built] = await batchOf(w.id);
    expect(built!.status).toBe('ready');

    const day = localClock(w.deliverAt, TZ).date;
    const today = await t.call({
      method: 'GET',
      url: `/v1/staff/batches?date=${day}`,
      headers: bearer(staff),
    });
    expect(today.status).toBe(200);
    expect(today.body.items.find((x: { id: string }) => x.id === batch!.id)).toMatchObject({
      windowId: w.id,
      status: 'ready',
      orderCount: 1,
      bankCount: 1,
    });
    const otherDay = await t.call({
      method: 'GET',
      url: `/v1/staff/batches?date=${addDays(day, 1)}`,
      headers: bearer(staff),
    });
    expect(otherDay.body.items.map((x: { id: string }) => x.id)).not.toContain(batch!.id);
    const stray = await makeStaff(t, { runsDemo: false });
    const strayList = await t.call({
      method: 'GET',
      url: `/v1/staff/batches?date=${day}`,
      headers: bearer(stray),
    });
    expect(strayList.body.items).toEqual([]);

    // A reserved, then an occupied compartment cannot be taken out of service.
    const m = await t.call({
      method: 'GET',
      url: `/v1/courier/batches/${batch!.id}`,
      headers: bearer(courier),
    });
    const drop = m.body.dropList[0].drops[0] as { compartmentId: string; label: string };
    const takeOut = () =>
      t.call({
        method: 'PATCH',
        url: `/v1/staff/compartments/${drop.compartmentId}`,
        headers: bearer(staff),
        payload: { inService: false },
      });
    const reserved = await takeOut();
    expect(reserved.status).toBe(409);
    expect(reserved.body.error.code).toBe('COMPARTMENT_IN_USE');
    await t.call({
      method: 'POST',
      url: `/v1/courier/batches/${batch!.id}/start`,
      headers: bearer(courier),
      payload: {},
    });
    const dropped = await t.call({
      method: 'POST',
      url: `/v1/courier/batches/${batch!.id}/drops`,
      headers: bearer(courier),
      payload: { orderId, compartmentId: drop.compartmentId },
    });
    expect(dropped.status).toBe(200);
    const occupied = await takeOut();
    expect(occupied.status).toBe(409);
    expect(occupied.body.error.code).toBe('COMPARTMENT_IN_USE');
    const [c] = await t.deps.db.select().from(compartments).where(eq(compartments.id, drop.compartmentId));
    expect(c!.state).toBe('occupied');

    // Past its free window the order is overdue, and staff see it.
    const view = await t.call({ method: 'GET', url: `/v1/orders/${orderId}`, headers: bearer(resident) });
    t.clock.set(new Date(new Date(view.body.locker.deadline).getTime() + 60_000));
    expect(await lockerJobs.process({ name: 'locker.overdue', data: { orderId } } as Job, t.deps)).toBe(true);
    const overdue = await t.call({ method: 'GET', url: '/v1/staff/overdue-orders', headers: bearer(staff) });
    expect(overdue.status).toBe(200);
    expect(overdue.body.items.find((x: { orderId: string }) => x.orderId === orderId)).toEqual({
      orderId,
      orderNumber: view.body.number,
      bankName: '截单测试柜',
      compartments: [drop.label],
      deadline: view.body.locker.deadline,
      customer: { name: expect.any(String), phoneMasked: expect.stringMatching(/^138\*+0010$/) },
      merchantName: '菜宅送',
    });
    const strayOverdue = await t.call({
      method: 'GET',
      url: '/v1/staff/overdue-orders',
      headers: bearer(stray),
    });
    expect(strayOverdue.body.items).toEqual([]);
    t.clock.set(new Date());
  });
});

describe('the cut-off schedulers', () => {
  it('one job scheduler per weekly window however often they are upserted', async () => {
    const q = t.deps.queues.get('lockers');
    await upsertCutoffSchedulers(t.deps);
    await upsertCutoffSchedulers(t.deps);
    const schedules = await t.deps.db
      .select()
      .from(deliverySchedules)
      .where(eq(deliverySchedules.active, true));
    expect(schedules.length).toBeGreaterThanOrEqual(2);
    const list = await q.getJobSchedulers();
    expect(list.map((s) => s.key).sort()).toEqual(schedules.map((s) => `cutoff-${s.id}`).sort());
    expect(await q.getJobSchedulersCount()).toBe(schedules.length);
    for (const s of schedules) {
      const js = list.find((x) => x.key === `cutoff-${s.id}`)!;
      expect(js).toMatchObject({ name: 'schedule.cutoff', tz: TZ });
      // The next run is a cut-off in local time.
      const at = localClock(new Date(js.next!), TZ);
      const [hh, mm] = s.cutoffLocal.split(':').map(Number);
      expect(at.minute).toBe(hh! * 60 + mm!);
    }
    // Nothing fires while the rest of the file runs.
    for (const s of list) await q.removeJobScheduler(s.key);
  });
});

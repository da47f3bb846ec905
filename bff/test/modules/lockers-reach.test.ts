import { and, eq, inArray } from 'drizzle-orm';
import type { SizeHint, Temperature } from 'shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compartmentAssignments,
  compartments,
  lockerBanks,
  lockerOrders,
  memberships,
  merchants,
  products,
  users,
} from '../../src/db/schema';
import { assignBank, buildBatchInline, finalizeBatch, runCutoff } from '../../src/modules/lockers/batches';
import { lockerOrder, ownWindows, residentLocker, type Who } from '../fixtures/lockers';
import { makeShop, manyUsers, newKey, type TestShop } from '../fixtures/market';
import { bearer, demoCommunityId, PHONES, TEST_ENV } from '../fixtures/people';
import { setupTestApp, type TestApp } from '../helper';

const _TZ = 'Asia/Shanghai';

let t: TestApp;
let communityId: string;
/** The demo elder 刘奶奶 (86), her son acting for her, a younger resident, staff. */
let elder: Who;
let family: Who;
let staff: Who;
/** The elder's compound and household: every person this file makes lives there too. */
let compoundId: string;
let householdId: string;
/** A shop of this file's own: one ambient S product, locker delivery on. */
let shop: TestShop;

beforeAll(async () => {
  t = await setupTestApp(TEST_ENV);
  communityId = await demoCommunityId(t);
  ownWindow = ownWindows(t, communityId, 50);
  elder = await t.login(PHONES.elder);
  family = await t.login(PHONES.familyProxy);
  staff = await t.login(PHONES.staff);
  ({ compoundId } = await residentLocker(t, elder));
  const [m] = await t.deps.db
    .select({ householdId: memberships.householdId })
    .from(memberships)
    .where(and(eq(memberships.userId, elder.userId), eq(memberships.status, 'approved')));
  householdId = m!.householdId;
  shop = await makeShop(t, { products: [{ name: '小葱', priceFen: 200, stock: 100_000 }] });
  await t.deps.db.update(merchants).set({ offersLocker: true }).where(eq(merchants.id, shop.id));
  await t.deps.db
    .update(products)
    .set({ temperature: 'ambient', sizeHint: 'S' })
    .where(eq(products.id, shop.products[0]!.id));
});
afterAll(() => t?.close());

/** Residents of the elder's household, born in 1940 (elders) or 1990. */
async function people(n: number, born: '1940-05-01' | '1990-05-01'): Promise<Who[]> {
  const made = await manyUsers(t, n);
  await t.deps.db
    .update(users)
    .set({ birthDate: born })
    .where(
      inArray(
        users.id,
        made.map((u) => u.userId),
      ),
    );
  await t.deps.db
    .insert(memberships)
    .values(made.map((u) => ({ userId: u.userId, householdId, status: 'approved' as const })));
  return made;
}

/** A window of the test's own, far enough ahead that no seeded window is near it. */
let ownWindow: ReturnType<typeof ownWindows>;

type Group = { zone: Temperature; size: SizeHint; count: number; row?: number };

let bankSeq = 0;
async function makeBank(groups: Group[], reachableRows?: { from: number; to: number }) {
  bankSeq++;
  const res = await t.call({
    method: 'POST',
    url: '/v1/staff/locker-banks',
    headers: bearer(staff),
    payload: {
      compoundId,
      name: `层测试柜${bankSeq}`,
      location: '测试楼下',
      compartments: groups,
      reachableRows,
    },
  });
  expect(res.status).toBe(201);
  return res.body.bank as {
    id: string;
    rows: number;
    reachableRows: { from: number; to: number };
    compartments: { id: string; label: string; row: number }[];
  };
}

/** Six ambient S compartments over three rows: two in each. */
const THREE_ROWS: Group[] = [1, 2, 3].map((row) => ({ zone: 'ambient', size: 'S', count: 2, row }));

/** Places a locker order (as `who`, or for an elder with X-On-Behalf-Of), pays, the shop accepts. */
async function accepted(who: Who, bankId: string, windowId: string, onBehalfOf?: string) {
  const headers = { ...bearer(who), ...(onBehalfOf ? { 'x-on-behalf-of': onBehalfOf } : {}) };
  const placed = await t.call({
    method: 'POST',
    url: '/v1/orders',
    headers: { ...headers, 'idempotency-key': newKey() },
    payload: lockerOrder(shop.id, [shop.products[0]!.id], windowId, bankId),
  });
  if (placed.status !== 201) throw new Error(`order: ${placed.status} ${JSON.stringify(placed.body)}`);
  const id = placed.body.id as string;
  const pay = await t.call({ method: 'POST', url: `/v1/orders/${id}/pay`, headers, payload: {} });
  await t.call({
    method: 'POST',
    url: `/v1/payments/${pay.body.paymentId}/dev-confirm`,
    headers,
    payload: {},
  });
  const ok = await t.call({
    method: 'POST',
    url: `/v1/merchant/orders/${id}/accept`,
    headers: bearer(shop.owner),
    payload: {},
  });
  if (ok.body.status !== 'accepted') throw new Error(`accept: ${JSON.stringify(ok.body)}`);
  return id;
}

async function asked(orderId: string): Promise<boolean> {
  const [r] = await t.deps.db
    .select({ v: lockerOrders.preferReachable })
    .from(lockerOrders)
    .where(eq(lockerOrders.orderId, orderId));
  return r!.v;
}

/** The rows of the compartments an order holds. */
async function rowsOf(orderId: string): Promise<number[]> {
  const held = await t.deps.db
    .select({ row: compartments.row })
    .from(compartmentAssignments)
    .innerJoin(compartments, eq(compartments.id, compartmentAssignments.compartmentId))
    .where(and(eq(compartmentAssignments.orderId, orderId), eq(compartmentAssignments.status, 'reserved')));
  return held.map((h) => h.row);
}

/** The order's locker part as its owner reads it. */
async function lockerView(who: Who, orderId: string, onBehalfOf?: string) {
  const res = await t.call({
    method: 'GET',
    url: `/v1/orders/${orderId}`,
    headers: { ...bearer(who), ...(onBehalfOf ? { 'x-on-behalf-of': onBehalfOf } : {}) },
  });
  expect(res.status).toBe(200);
  return res.body.locker as { places: { label: string; row: number }[]; reachNote: string | null };
}

async function setChoice(who: Who, value: boolean | null) {
  const res = await t.call({
    method: 'PATCH',
    url: '/v1/me',
    headers: bearer(who),
    payload: { reachableCompartments: value },
  });
  expect(res.status).toBe(200);
  return res.body.user.reachableCompartments as { choice: boolean | null; on: boolean };
}

describe('compartments in reach', () => {
  it('/v1/me: on by default from 80, off below; the person’s own choice wins and null goes back to automatic', async () => {
    const [young] = await people(1, '1990-05-01');
    const me = await t.call({ method: 'GET', url: '/v1/me', headers: bearer(elder) });
    expect(me.body.user.reachableCompartments).toEqual({ choice: null, on: true });
    const them = await t.call({ method: 'GET', url: '/v1/me', headers: bearer(young!) });
    expect(them.body.user.reachableCompartments).toEqual({ choice: null, on: false });

    expect(await setChoice(young!, true)).toEqual({ choice: true, on: true });
    expect(await setChoice(elder, false)).toEqual({ choice: false, on: false });
    // It is stored per person: read again, from scratch.
    const again = await t.call({ method: 'GET', url: '/v1/me', headers: bearer(elder) });
    expect(again.body.user.reachableCompartments).toEqual({ choice: false, on: false });
    expect(again.body.user.name).toBe(me.body.user.name);
    expect(await setChoice(elder, null)).toEqual({ choice: null, on: true });

    const bad = await t.call({
      method: 'PATCH',
      url: '/v1/me',
      headers: bearer(young!),
      payload: { reachableCompartments: 'yes' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toContain(
      'body.reachableCompartments',
    );
  });

  it('staff set rows on a new bank; the rows in reach default from the row count or are given; out-of-range is refused', async () => {
    const bank = await makeBank(THREE_ROWS);
    expect(bank.rows).toBe(3);
    expect(bank.reachableRows).toEqual({ from: 2, to: 2 });
    expect(bank.compartments.map((c) => c.row).sort()).toEqual([1, 1, 2, 2, 3, 3]);
    const given = await makeBank(THREE_ROWS, { from: 1, to: 2 });
    expect(given.reachableRows).toEqual({ from: 1, to: 2 });
    const flat = await makeBank([{ zone: 'ambient', size: 'M', count: 3 }]);
    expect(flat).toMatchObject({ rows: 1, reachableRows: { from: 1, to: 1 } });

    for (const [reach, path] of [
      [{ from: 2, to: 4 }, 'body.reachableRows.to'],
      [{ from: 3, to: 2 }, 'body.reachableRows.to'],
    ] as const) {
      const res = await t.call({
        method: 'POST',
        url: '/v1/staff/locker-banks',
        headers: bearer(staff),
        payload: {
          compoundId,
          name: '越界柜',
          location: '测试楼下',
          compartments: THREE_ROWS,
          reachableRows: reach,
        },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    }

    // The seeded banks stand five rows high, rows 2 to 4 in reach, every kind in several rows.
    const [seeded] = await t.deps.db.select().from(lockerBanks).where(eq(lockerBanks.compoundId, compoundId));
    expect([seeded!.reachableFromRow, seeded!.reachableToRow]).toEqual([2, 4]);
    const seededRows = await t.deps.db
      .select({ row: compartments.row })
      .from(compartments)
      .where(eq(compartments.bankId, seeded!.id));
    expect(new Set(seededRows.map((r) => r.row))).toEqual(new Set([1, 2, 3, 4, 5]));
  });

  it('checkout records who asks: an elder, a family member’s order for an elder, a younger person who chose it; not one who said no', async () => {
    const bank = await makeBank(THREE_ROWS.map((g) => ({ ...g, count: 3 })));
    const w = await ownWindow();
    const [old] = await people(1, '1940-05-01');
    const [young, youngWhoAsks] = await people(2, '1990-05-01');
    await setChoice(youngWhoAsks!, true);
    const place = async (who: Who, onBehalfOf?: string) => {
      const res = await t.call({
        method: 'POST',
        url: '/v1/orders',
        headers: {
          ...bearer(who),
          'idempotency-key': newKey(),
          ...(onBehalfOf ? { 'x-on-behalf-of': onBehalfOf } : {}),
        },
        payload: lockerOrder(shop.id, [shop.products[0]!.id], w.id, bank.id),
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id as string;
    };
    expect(await asked(await place(old!))).toBe(true);
    expect(await asked(await place(young!))).toBe(false);
    expect(await asked(await place(youngWhoAsks!))).toBe(true);
    expect(await asked(await place(family, elder.userId))).toBe(true);
    expect(await asked(await place(elder))).toBe(true);
    // The elder said no: neither her own order nor her son's for her asks.
    await setChoice(elder, false);
    try {
      expect(await asked(await place(elder))).toBe(false);
      expect(await asked(await place(family, elder.userId))).toBe(false);
    } finally {
      await setChoice(elder, null);
    }
  });

  it('the cut-off gives the rows in reach to those who ask and the other rows to the rest, with no note', async () => {
    const bank = await makeBank(THREE_ROWS);
    const w = await ownWindow();
    const elders = await people(2, '1940-05-01');
    const young = await people(3, '1990-05-01');
    const ids = new Map<Who, string>();
    for (const who of [...young, ...elders]) ids.set(who, await accepted(who, bank.id, w.id));
    await buildBatchInline(t.deps, w.id);
    for (const who of elders) {
      expect(await rowsOf(ids.get(who)!)).toEqual([2]);
      const view = await lockerView(who, ids.get(who)!);
      expect(view.reachNote).toBeNull();
      expect(view.places).toEqual([{ label: expect.any(String), row: 2 }]);
    }
    for (const who of young) {
      const rows = await rowsOf(ids.get(who)!);
      expect(rows).toHaveLength(1);
      expect(rows[0]).not.toBe(2);
      expect((await lockerView(who, ids.get(who)!)).reachNote).toBeNull();
    }
  });

  it('an elder who changes their mind before the cut-off is placed as they now ask', async () => {
    const bank = await makeBank(THREE_ROWS);
    const w = await ownWindow();
    const [old] = await people(1, '1940-05-01');
    const [young] = await people(1, '1990-05-01');
    const oldOrder = await accepted(old!, bank.id, w.id);
    const youngOrder = await accepted(young!, bank.id, w.id);
    expect(await asked(oldOrder)).toBe(true);
    await setChoice(old!, false);
    await setChoice(young!, true);
    await buildBatchInline(t.deps, w.id);
    expect(await asked(oldOrder)).toBe(false);
    expect(await asked(youngOrder)).toBe(true);
    expect(await rowsOf(youngOrder)).toEqual([2]);
    expect(await rowsOf(oldOrder)).not.toEqual([2]);
  });

  it('when the rows in reach run out, every order still gets a compartment and those who asked are told the row', async () => {
    // Two compartments in reach (row 2) for four who ask: three elders and the son's order for 刘奶奶.
    const bank = await makeBank(THREE_ROWS);
    const w = await ownWindow();
    const elders = await people(3, '1940-05-01');
    const [young] = await people(1, '1990-05-01');
    const orders: { who: Who; id: string; onBehalfOf?: string }[] = [];
    for (const who of elders) orders.push({ who, id: await accepted(who, bank.id, w.id) });
    orders.push({
      who: family,
      id: await accepted(family, bank.id, w.id, elder.userId),
      onBehalfOf: elder.userId,
    });
    const youngId = await accepted(young!, bank.id, w.id);
    await buildBatchInline(t.deps, w.id);

    const rows = await Promise.all(orders.map((o) => rowsOf(o.id)));
    expect(rows.every((r) => r.length === 1)).toBe(true);
    expect(rows.flat().filter((r) => r === 2)).toHaveLength(2);
    expect(await rowsOf(youngId)).toHaveLength(1);
    expect(await rowsOf(youngId)).not.toEqual([2]);
    for (const [k, o] of orders.entries()) {
      const view = await lockerView(o.who, o.id, o.onBehalfOf);
      const row = rows[k]![0]!;
      expect(view.places[0]!.row).toBe(row);
      expect(view.reachNote).toBe(
        row === 2 ? null : `已尽量安排不用弯腰、不用踮脚的格口，本次放在第 ${row} 层`,
      );
    }
    expect((await lockerView(young!, youngId)).reachNote).toBeNull();
  });

  it('a compartment the courier finds broken is swapped for another in reach when the order asked for one', async () => {
    // A01 (row 1), B01 and B02 (row 2, in reach), C01 (row 3): all ambient S.
    const bank = await makeBank([
      { zone: 'ambient', size: 'S', count: 1, row: 1 },
      { zone: 'ambient', size: 'S', count: 2, row: 2 },
      { zone: 'ambient', size: 'S', count: 1, row: 3 },
    ]);
    const w = await ownWindow();
    const [old] = await people(1, '1940-05-01');
    const orderId = await accepted(old!, bank.id, w.id);
    const batchId = (await buildBatchInline(t.deps, w.id))!;
    const courier = await t.login('13800000003');
    const url = `/v1/courier/batches/${batchId}`;
    const [held] = await t.deps.db
      .select({ id: compartmentAssignments.compartmentId })
      .from(compartmentAssignments)
      .where(eq(compartmentAssignments.orderId, orderId));
    expect(await rowsOf(orderId)).toEqual([2]);
    expect(
      (await t.call({ method: 'POST', url: `${url}/start`, headers: bearer(courier), payload: {} })).status,
    ).toBe(200);
    const reported = await t.call({
      method: 'POST',
      url: `${url}/compartment-problem`,
      headers: bearer(courier),
      payload: { compartmentId: held!.id, reason: '门锁打不开' },
    });
    expect(reported.status).toBe(200);
    // Not A01, first by label: the other compartment of row 2.
    expect(reported.body.replacement.label).toMatch(/^B0[12]$/);
    expect(await rowsOf(orderId)).toEqual([2]);
    expect((await lockerView(old!, orderId)).reachNote).toBeNull();
  });

  it('eight elders check out at once for two compartments in reach: all are taken, all are placed by racing builds, reach first', async () => {
    // Eight S compartments: two in reach (row 2), six below and above.
    const bank = await makeBank([
      { zone: 'ambient', size: 'S', count: 3, row: 1 },
      { zone: 'ambient', size: 'S', count: 2, row: 2 },
      { zone: 'ambient', size: 'S', count: 3, row: 3 },
    ]);
    const w = await ownWindow();
    const elders = await people(8, '1940-05-01');
    const ids = await Promise.all(elders.map((who) => accepted(who, bank.id, w.id)));
    expect(new Set(ids).size).toBe(8);
    // Two cut-off runs and two builds of the bank at once: one batch, each compartment once.
    const runs = await Promise.all([runCutoff(t.deps, w.id), runCutoff(t.deps, w.id)]);
    const batchId = runs[0]!.batchId;
    expect(runs[1]!.batchId).toBe(batchId);
    const built = await Promise.all([
      assignBank(t.deps, batchId, bank.id),
      assignBank(t.deps, batchId, bank.id),
    ]);
    expect(built.map((b) => b.placed).sort()).toEqual([0, 8]);
    expect(built.every((b) => b.moved === 0)).toBe(true);
    await finalizeBatch(t.deps, batchId);

    const held = await t.deps.db
      .select({
        orderId: compartmentAssignments.orderId,
        compartmentId: compartmentAssignments.compartmentId,
      })
      .from(compartmentAssignments)
      .where(eq(compartmentAssignments.batchId, batchId));
    expect(held).toHaveLength(8);
    expect(new Set(held.map((h) => h.compartmentId)).size).toBe(8);
    expect(new Set(held.map((h) => h.orderId))).toEqual(new Set(ids));
    const views = await Promise.all(elders.map((who, k) => lockerView(who, ids[k]!)));
    expect(views.filter((v) => v.reachNote === null)).toHaveLength(2);
    for (const v of views)
      if (v.reachNote)
        expect(v.reachNote).toMatch(/^已尽量安排不用弯腰、不用踮脚的格口，本次放在第 [13] 层$/);
      else expect(v.places[0]!.row).toBe(2);
  });
});

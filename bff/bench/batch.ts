/**
 * `BENCH_ONLY=batch pnpm bench`: the cut-off batch build, 10,000 orders over 20 locker banks of 30
 * compartments, the same seeded baskets of the produce shop's products at two levels:
 * - pure: `packBank` per bank, no I/O; then again with banks about as big as the demand;
 * - database: the lockers module's build of one window (`buildBatchInline`) over accepted locker
 *   orders made straight in the database, checked afterwards (no compartment twice, the same
 *   orders placed as the pure packer, every unplaced resident told, a second build a no-op).
 * Utilisation = goods units placed / units of the free compartments. The capacity bound is
 * min(demand units, capacity units); with 500 orders per bank of 30 it is the capacity, and the
 * ratio to it says how full the packer gets the compartments. Two tighter bounds show where the
 * rest goes: per bank and zone, and per parcel (orders need not go whole).
 */
import { randomBytes } from 'node:crypto';
import { and, asc, eq, inArray, like, sql } from 'drizzle-orm';
import {
  type CompartmentSlot,
  LIVE_CODE_STATES,
  type OrderDemand,
  type PackLine,
  packBank,
  parcelsOf,
  SIZE_UNITS,
  type SizeHint,
  TEMPERATURES,
  type Temperature,
} from 'shared';
import { uuidv7 } from 'uuidv7';
import {
  communities,
  compartmentAssignments,
  compartments,
  compounds,
  deliveryBatches,
  deliveryWindows,
  lockerBanks,
  lockerOrders,
  memberships,
  merchants,
  notifications,
  orderItems,
  orders,
  products,
  userRoles,
  users,
} from '../src/db/schema';
import { DEMO_MERCHANTS } from '../src/demo';
import type { TestApp } from '../test/helper';

export const BANKS = Number(process.env.BENCH_BATCH_BANKS ?? 20);
export const ORDERS = Number(process.env.BENCH_BATCH_ORDERS ?? 10_000);
const SEED = Number(process.env.BENCH_SEED ?? 20_240_601);

/** A bank of 30 as the issue describes the seed's: S/M/L in each zone, ambient the largest share (59 units). */
export const BANK_LAYOUT: { zone: Temperature; size: SizeHint; count: number }[] = [
  { zone: 'ambient', size: 'S', count: 6 },
  { zone: 'ambient', size: 'M', count: 5 },
  { zone: 'ambient', size: 'L', count: 3 },
  { zone: 'chilled', size: 'S', count: 4 },
  { zone: 'chilled', size: 'M', count: 4 },
  { zone: 'chilled', size: 'L', count: 2 },
  { zone: 'frozen', size: 'S', count: 3 },
  { zone: 'frozen', size: 'M', count: 2 },
  { zone: 'frozen', size: 'L', count: 1 },
];
const BANK_SIZE = BANK_LAYOUT.reduce((n, k) => n + k.count, 0);

/** mulberry32: a small seeded generator, so every run packs the same orders. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Lines per order: mostly small baskets, a few big ones. */
const LINE_COUNTS = [1, 1, 1, 2, 2, 2, 3, 3, 4, 5];

/**
 * `n` baskets of distinct products drawn from a catalog of `catalogSize` (indexes into it), the
 * same for the same seed: both levels of the bench pack the same orders.
 */
export function baskets(n: number, catalogSize: number, seed = SEED): number[][] {
  const next = rng(seed);
  return Array.from({ length: n }, () => {
    const want = Math.min(catalogSize, LINE_COUNTS[Math.floor(next() * LINE_COUNTS.length)]!);
    const picked = new Set<number>();
    while (picked.size < want) picked.add(Math.floor(next() * catalogSize));
    return [...picked];
  });
}

/** The produce shop's products on shelf, as the packer sees them (the seed's defaults applied). */
const ON_SHELF = DEMO_MERCHANTS[0]!.products.filter((p) => p.onShelf !== false);
export const CATALOG: PackLine[] = ON_SHELF.map((p) => ({
  zone: p.temperature ?? 'ambient',
  size: p.sizeHint ?? 'S',
}));
const CATALOG_NAMES = ON_SHELF.map((p) => p.name);

export function bankSlots(bank: number, layout = BANK_LAYOUT, scale = 1): CompartmentSlot[] {
  return layout.flatMap((k) =>
    Array.from({ length: k.count * scale }, (_, i) => ({
      id: `b${bank}-${k.zone}-${k.size}-${i}`,
      zone: k.zone,
      size: k.size,
    })),
  );
}

const SIZES: SizeHint[] = ['S', 'M', 'L'];
const units = (lines: PackLine[]) => lines.reduce((n, l) => n + SIZE_UNITS[l.size], 0);
const slotUnits = (slots: { size: SizeHint }[]) => slots.reduce((n, s) => n + SIZE_UNITS[s.size], 0);

export interface BatchFigures {
  orders: number;
  placedOrders: number;
  compartments: number;
  capacityUnits: number;
  demandUnits: number;
  /** Goods units in placed orders. */
  placedUnits: number;
  /** Units of the compartments given out (a 3-unit parcel takes a 4-unit L). */
  takenUnits: number;
  /** Sum over banks and zones of min(demand, capacity): no packer can place more. */
  zoneBound: number;
  /**
   * Most goods units any assignment could place if the parcels are cut as parcelsOf cuts them and
   * orders need not go whole: per bank and zone, largest parcel first into the smallest free
   * compartment that holds it (exact for nested sizes).
   */
  parcelBound: number;
}

function parcelBound(orders: OrderDemand[], free: CompartmentSlot[]): number {
  let total = 0;
  for (const z of TEMPERATURES) {
    const left: Record<SizeHint, number> = { S: 0, M: 0, L: 0 };
    for (const s of free) if (s.zone === z) left[s.size] += 1;
    const parcels = orders
      .flatMap((o) => parcelsOf(o.lines))
      .filter((p) => p.zone === z)
      .map((p) => p.units)
      .sort((a, b) => b - a);
    for (const u of parcels) {
      const size = SIZES.find((s) => SIZE_UNITS[s] >= u && left[s] > 0);
      if (!size) continue;
      left[size] -= 1;
      total += u;
    }
  }
  return total;
}

/**
 * Figures of one build, from what each bank was offered and what it placed: `banks[i]` holds the
 * bank's orders (lines) and free compartments, `placed` the ids of its placed orders and the
 * compartments they took.
 */
export function figures(
  banks: { orders: OrderDemand[]; free: CompartmentSlot[] }[],
  placed: { orderIds: Set<string>; taken: CompartmentSlot[] }[],
): BatchFigures {
  const f: BatchFigures = {
    orders: 0,
    placedOrders: 0,
    compartments: 0,
    capacityUnits: 0,
    demandUnits: 0,
    placedUnits: 0,
    takenUnits: 0,
    zoneBound: 0,
    parcelBound: 0,
  };
  banks.forEach((b, i) => {
    const p = placed[i]!;
    f.orders += b.orders.length;
    f.compartments += b.free.length;
    f.capacityUnits += slotUnits(b.free);
    for (const o of b.orders) {
      f.demandUnits += units(o.lines);
      if (p.orderIds.has(o.orderId)) {
        f.placedOrders += 1;
        f.placedUnits += units(o.lines);
      }
    }
    f.takenUnits += slotUnits(p.taken);
    for (const z of TEMPERATURES) {
      const demand = b.orders.reduce((n, o) => n + units(o.lines.filter((l) => l.zone === z)), 0);
      f.zoneBound += Math.min(demand, slotUnits(b.free.filter((s) => s.zone === z)));
    }
    f.parcelBound += parcelBound(b.orders, b.free);
  });
  return f;
}

const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(1)}%`;

export function printFigures(title: string, ms: number, f: BatchFigures) {
  const bound = Math.min(f.demandUnits, f.capacityUnits);
  const row = (name: string, value: string) => console.log(`  ${name.padEnd(50)} ${value}`);
  console.log(`\n${title}`);
  row('build time', `${ms.toFixed(1)} ms (${((f.orders / ms) * 1000).toFixed(0)} orders/s)`);
  row('orders placed / orders', `${f.placedOrders} / ${f.orders} (${pct(f.placedOrders, f.orders)})`);
  row('free compartments (units)', `${f.compartments} (${f.capacityUnits})`);
  row('demand units', String(f.demandUnits));
  row('capacity bound = min(demand, capacity) units', String(bound));
  row('goods units placed', `${f.placedUnits} (utilisation ${pct(f.placedUnits, f.capacityUnits)})`);
  row('compartment units taken', `${f.takenUnits} (${pct(f.takenUnits, f.capacityUnits)} of capacity)`);
  row('zone-aware bound (sum per bank/zone of min)', String(f.zoneBound));
  row('ratio placed units / capacity bound', (f.placedUnits / bound).toFixed(3));
  row('parcel-aware bound (parcels free of their orders)', String(f.parcelBound));
  row('ratio placed units / zone-aware bound', (f.placedUnits / f.zoneBound).toFixed(3));
  row('ratio placed units / parcel-aware bound', (f.placedUnits / f.parcelBound).toFixed(3));
}

/** The bench's orders split over the banks: order k goes to bank k mod BANKS, in paying order. */
export function bankOrders(lines: PackLine[][], ids: string[]): OrderDemand[][] {
  const out: OrderDemand[][] = Array.from({ length: BANKS }, () => []);
  lines.forEach((l, k) => {
    out[k % BANKS]!.push({ orderId: ids[k]!, lines: l });
  });
  return out;
}

/** Packs every bank `runs` times; the median time and the figures of the last run. */
function pureBuild(orders: OrderDemand[][], scale: number, runs = 5) {
  const banks = orders.map((o, b) => ({ orders: o, free: bankSlots(b, BANK_LAYOUT, scale) }));
  const times: number[] = [];
  let results: ReturnType<typeof packBank>[] = [];
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    results = banks.map((b) => packBank(b.orders, b.free));
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const placed = results.map((res, i) => {
    const byId = new Map(banks[i]!.free.map((s) => [s.id, s]));
    return {
      orderIds: new Set(res.placed.map((p) => p.orderId)),
      taken: res.placed.flatMap((p) => p.parcels.map((x) => byId.get(x.compartmentId)!)),
    };
  });
  return { ms: times[Math.floor(runs / 2)]!, f: figures(banks, placed) };
}

export function benchPureBatch() {
  const lines = baskets(ORDERS, CATALOG.length).map((b) => b.map((i) => CATALOG[i]!));
  const orders = bankOrders(
    lines,
    lines.map((_, k) => `o${k}`),
  );
  const per = ORDERS / BANKS;
  const a = pureBuild(orders, 1);
  printFigures(
    `Batch build, pure packBank: ${ORDERS} orders over ${BANKS} banks x ${BANK_SIZE} compartments (${per} orders/bank), median of 5`,
    a.ms,
    a.f,
  );
  // The same orders with banks big enough for about all of them: the bound is then the demand.
  const perBankDemand = a.f.demandUnits / BANKS;
  const scale = Math.ceil(perBankDemand / slotUnits(bankSlots(0)));
  const b = pureBuild(orders, scale);
  printFigures(
    `Batch build, pure packBank: same orders, banks of ${BANK_SIZE * scale} compartments (capacity ~ demand)`,
    b.ms,
    b.f,
  );
}

export async function benchBatch(t: TestApp, only: (part: string) => boolean) {
  if (!only('batch')) return;
  benchPureBatch();
  await benchDbBatch(t);
}

/** The bench's banks, window and accepted locker orders, made straight in the database. */
async function makeBatchData(t: TestApp) {
  const { db } = t.deps;
  const now = t.clock.now();
  const [community] = await db.select({ id: communities.id }).from(communities).limit(1);
  const compoundIds = (
    await db
      .select({ id: compounds.id })
      .from(compounds)
      .where(eq(compounds.communityId, community!.id))
      .orderBy(asc(compounds.name))
  ).map((c) => c.id);
  const [shop] = await db
    .select({ id: merchants.id })
    .from(merchants)
    .innerJoin(users, eq(users.id, merchants.ownerId))
    .where(eq(users.phone, DEMO_MERCHANTS[0]!.ownerPhone));
  const shopProducts = await db
    .select({
      id: products.id,
      name: products.name,
      unit: products.unit,
      priceFen: products.priceFen,
      zone: products.temperature,
      size: products.sizeHint,
    })
    .from(products)
    .where(eq(products.merchantId, shop!.id));
  // The seed's products in the seed's order, as the pure level packs them: the same baskets.
  const catalog = CATALOG_NAMES.map((name) => {
    const row = shopProducts.find((p) => p.name === name);
    if (!row) throw new Error(`seeded product ${name} is missing`);
    return row;
  });
  // Residents with a verified home, so an order that finds no room could still go to their door.
  const residents = await db
    .select({ userId: memberships.userId, householdId: memberships.householdId })
    .from(memberships)
    .innerJoin(userRoles, and(eq(userRoles.userId, memberships.userId), eq(userRoles.role, 'resident')))
    .where(eq(memberships.status, 'approved'))
    .orderBy(asc(memberships.userId));
  const liveCodes = new Set(
    (
      await db
        .select({ code: orders.pickupCode })
        .from(orders)
        .where(and(eq(orders.merchantId, shop!.id), inArray(orders.status, [...LIVE_CODE_STATES])))
    ).map((r) => r.code),
  );

  const banks = Array.from({ length: BANKS }, (_, i) => ({
    id: uuidv7(),
    compoundId: compoundIds[i % compoundIds.length]!,
    name: `压测生鲜柜${i + 1}`,
    location: `${i + 1}号门岗旁`,
    deviceSecret: randomBytes(32).toString('hex'),
  }));
  await db.insert(lockerBanks).values(banks);
  const slots = banks.map((b) =>
    BANK_LAYOUT.flatMap((k) =>
      Array.from({ length: k.count }, (_, j) => ({
        id: uuidv7(),
        bankId: b.id,
        label: `${k.zone[0]!.toUpperCase()}${k.size}${String(j + 1).padStart(2, '0')}`,
        zone: k.zone,
        size: k.size,
      })),
    ),
  );
  await db.insert(compartments).values(slots.flat());
  const [window] = await db
    .insert(deliveryWindows)
    .values({
      communityId: community!.id,
      cutoffAt: new Date(now.getTime() - 60_000),
      deliverAt: new Date(now.getTime() + 3 * 3600_000),
    })
    .returning({ id: deliveryWindows.id });

  const picks = baskets(ORDERS, catalog.length);
  const codes: string[] = [];
  for (let c = 0; codes.length < ORDERS; c++) {
    const code = String(c).padStart(6, '0');
    if (!liveCodes.has(code)) codes.push(code);
  }
  const rows = picks.map((basket, k) => {
    const who = residents[k % residents.length]!;
    const itemsFen = basket.reduce((n, i) => n + catalog[i]!.priceFen, 0);
    // Paid one millisecond apart, in bench order: the build takes them in paying order.
    const paidAt = new Date(now.getTime() - 3600_000 + k);
    return {
      id: uuidv7(),
      userId: who.userId,
      placedBy: who.userId,
      merchantId: shop!.id,
      status: 'accepted' as const,
      itemsFen,
      deliveryFeeFen: 0,
      totalFen: itemsFen,
      deliveryMode: 'locker' as const,
      householdId: who.householdId,
      pickupCode: codes[k]!,
      payBy: new Date(paidAt.getTime() + 900_000),
      paidAt,
    };
  });
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    await db.insert(orders).values(chunk);
    await db.insert(lockerOrders).values(
      chunk.map((o, j) => ({
        orderId: o.id,
        windowId: window!.id,
        bankId: banks[(i + j) % BANKS]!.id,
        consentAt: o.paidAt,
      })),
    );
    await db.insert(orderItems).values(
      chunk.flatMap((o, j) =>
        picks[i + j]!.map((p) => {
          const c = catalog[p]!;
          return {
            orderId: o.id,
            productId: c.id,
            name: c.name,
            unit: c.unit,
            priceFen: c.priceFen,
            quantity: 1,
          };
        }),
      ),
    );
  }
  const lines = picks.map((basket) =>
    basket.map((i) => ({ zone: catalog[i]!.zone, size: catalog[i]!.size })),
  );
  return {
    windowId: window!.id,
    banks: bankOrders(
      lines,
      rows.map((o) => o.id),
    ).map((o, b) => ({
      bankId: banks[b]!.id,
      orders: o,
      free: slots[b]!.map((s) => ({ id: s.id, zone: s.zone, size: s.size })),
    })),
  };
}

/** The lockers module's build of one window over the bench's 10,000 orders, then its checks. */
async function benchDbBatch(t: TestApp) {
  const lockers = await import('../src/modules/lockers/batches').catch((err: Error) => err);
  if (lockers instanceof Error || typeof lockers.buildBatchInline !== 'function') {
    console.log(`\nBatch build, database: skipped (lockers module not loadable: ${String(lockers)})`);
    return;
  }
  const { db } = t.deps;
  let start = performance.now();
  const data = await makeBatchData(t);
  const setupMs = performance.now() - start;

  start = performance.now();
  const batchId = await lockers.buildBatchInline(t.deps, data.windowId);
  const ms = performance.now() - start;
  if (!batchId) throw new Error('the build made no batch');

  const live = await db
    .select({ compartmentId: compartmentAssignments.compartmentId, orderId: compartmentAssignments.orderId })
    .from(compartmentAssignments)
    .where(
      and(
        eq(compartmentAssignments.batchId, batchId),
        inArray(compartmentAssignments.status, ['reserved', 'occupied']),
      ),
    );
  const placed = data.banks.map((b) => {
    const mine = new Map(b.free.map((s) => [s.id, s]));
    const here = live.filter((a) => mine.has(a.compartmentId));
    return {
      orderIds: new Set(here.map((a) => a.orderId)),
      taken: here.map((a) => mine.get(a.compartmentId)!),
    };
  });
  const f = figures(data.banks, placed);
  printFigures(
    `Batch build, database (buildBatchInline): ${f.orders} accepted locker orders over ${BANKS} banks x ${BANK_SIZE} compartments`,
    ms,
    f,
  );

  // The figures only count if the build kept its promises.
  const problems: string[] = [];
  const [twice] = await db.execute<{ n: number }>(sql`
    SELECT count(*)::int AS n FROM (
      SELECT compartment_id FROM compartment_assignments WHERE status IN ('reserved', 'occupied')
      GROUP BY compartment_id HAVING count(*) > 1) d`);
  if (twice!.n !== 0) problems.push(`${twice!.n} compartments with two live assignments`);
  const reserved = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(compartments)
    .where(
      and(
        inArray(
          compartments.bankId,
          data.banks.map((b) => b.bankId),
        ),
        eq(compartments.state, 'reserved'),
      ),
    );
  if (reserved[0]!.n !== live.length)
    problems.push(`${reserved[0]!.n} compartments reserved but ${live.length} live assignments`);
  const inBatch = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(orders)
    .innerJoin(lockerOrders, eq(lockerOrders.orderId, orders.id))
    .where(
      and(
        inArray(
          lockerOrders.bankId,
          data.banks.map((b) => b.bankId),
        ),
        eq(orders.status, 'in_batch'),
      ),
    );
  if (inBatch[0]!.n !== f.placedOrders)
    problems.push(`${inBatch[0]!.n} orders in_batch but ${f.placedOrders} orders with compartments`);
  // The same orders in the same paying order through the pure packer: the same orders placed.
  const pure = data.banks.map((b) => new Set(packBank(b.orders, b.free).placed.map((p) => p.orderId)));
  const differ = pure.filter((p, i) => !sameSet(p, placed[i]!.orderIds)).length;
  if (differ) problems.push(`${differ} banks placed other orders than packBank does on the same input`);
  // Every order that found no room was told, once, and moved on if there is a later window.
  const bankIds = data.banks.map((b) => b.bankId);
  const [left] = await db
    .select({
      moved: sql<number>`count(*) FILTER (WHERE ${lockerOrders.windowId} <> ${data.windowId})::int`,
      waiting: sql<number>`count(*) FILTER (WHERE ${lockerOrders.windowId} = ${data.windowId} AND ${orders.status} = 'accepted')::int`,
    })
    .from(orders)
    .innerJoin(lockerOrders, eq(lockerOrders.orderId, orders.id))
    .where(inArray(lockerOrders.bankId, bankIds));
  const [told] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(like(notifications.dedupeKey, `locker.rescheduled:%:${data.windowId}`));
  const unplaced = f.orders - f.placedOrders;
  if (left!.moved + left!.waiting !== unplaced)
    problems.push(`${unplaced} orders unplaced but ${left!.moved} moved + ${left!.waiting} still waiting`);
  if (told!.n !== unplaced) problems.push(`${unplaced} orders unplaced but ${told!.n} residents told`);

  // A second build of the same window: the same single batch, nothing assigned anew.
  start = performance.now();
  const again = await lockers.buildBatchInline(t.deps, data.windowId);
  const againMs = performance.now() - start;
  const [liveAfter] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(compartmentAssignments)
    .where(inArray(compartmentAssignments.status, ['reserved', 'occupied']));
  const batches = await db
    .select({ id: deliveryBatches.id })
    .from(deliveryBatches)
    .where(eq(deliveryBatches.windowId, data.windowId));
  if (again !== batchId || batches.length !== 1) problems.push('a second build made another batch');
  if (liveAfter!.n !== live.length)
    problems.push(`a second build changed live assignments to ${liveAfter!.n}`);

  console.log(
    `  setup ${(setupMs / 1000).toFixed(1)} s; ${live.length} live assignments, ${twice!.n} compartments assigned twice; ` +
      `placed orders ${differ ? 'differ from' : 'match'} pure packBank`,
  );
  console.log(
    `  unplaced ${unplaced}: ${left!.moved} moved to a later window, ${left!.waiting} left waiting, ${told!.n} residents told; ` +
      `second build ${againMs.toFixed(0)} ms, ${batches.length} batch, ${liveAfter!.n} live assignments`,
  );
  if (problems.length) throw new Error(`batch build: ${problems.join('; ')}`);
}

const sameSet = (a: Set<string>, b: Set<string>) => a.size === b.size && [...a].every((x) => b.has(x));

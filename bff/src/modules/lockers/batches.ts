import { randomInt } from 'node:crypto';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import {
  type Batch,
  type BatchManifest,
  batchFlow,
  compartmentFlow,
  deliveryWindowFlow,
  formatDisplayTime,
  LIVE_ASSIGNMENT_STATES,
  localClock,
  lockerAssignmentFlow,
  NOT_YET_ACCEPTED_STATES,
  PAGES,
  packBank,
  READY_FOR_TRUCK_STATES,
  SIZE_UNITS,
} from 'shared';
import type { Actor } from '../../access/actor';
import { requireAccess } from '../../access/require-access';
import type { Db, DbOrTx } from '../../db/client';
import { advance } from '../../db/flow-update';
import type { AppDeps } from '../../deps';
import { conflict, fieldConflict, notFound, violates } from '../../http/errors';
import { DEFAULT_JOB_OPTIONS } from '../../jobs/queues';
import { audit } from '../audit';
import { holdersOf, peopleByIds } from '../identity';
import { shopsByIds } from '../merchants';
import { notify, notifyMany } from '../notifications';
import { lockOrders, orderLines, orderNumber, orderRow, ordersByIds, transitionOrder } from '../orders';
import { staffCommunityIds } from '../places';
import { inReach, lockerOrdersIn, packLines, reachWanted } from './banks';
import { isLiveDelegatedCode } from './delegations';
import { assignBankJob, finalizeBatchJob } from './jobs';
import { retrievalsIn } from './pickup';
import { batchDrive } from './policies';
import { scheduleLockerJobs } from './reminders';
import { cutoffsDue } from './scheduler';
import {
  compartmentAssignments,
  compartments,
  courierCommunities,
  deliveryBatches,
  deliveryWindows,
  lockerBanks,
  lockerOrders,
  lockerPickups,
} from './tables';
import { nextWindow, windowRow } from './windows';

type Deps = Pick<AppDeps, 'db' | 'config' | 'clock'>;
type BatchRow = typeof deliveryBatches.$inferSelect;

const detail = (orderId: string) => `${PAGES.orderDetail}?id=${orderId}`;

/** Orders the truck takes: the merchant has them (accepted or packed). */
const READY_FOR_TRUCK = READY_FOR_TRUCK_STATES;
/** Orders that missed the cut-off without the merchant's acceptance go to the next window. */
const NOT_YET_ACCEPTED = NOT_YET_ACCEPTED_STATES;

/**
 * The cut-off of one window, as the scheduler or staff's 立即截单 run it: close the window, make
 * its one batch (unique per window, so a second or concurrent run finds the same one), move orders
 * the merchant has not accepted to the next window, and hand the banks to the build flow.
 */
export async function runCutoff(
  deps: Deps & Pick<AppDeps, 'queues'>,
  windowId: string,
): Promise<{ batchId: string; bankIds: string[] } | null> {
  const { db } = deps;
  const prepared = await db.transaction(async (tx) => {
    const w = await windowRow(tx, windowId);
    if (!w) return null;
    await advance(
      tx,
      deliveryWindows,
      deliveryWindows.status,
      deliveryWindowFlow,
      'close',
      eq(deliveryWindows.id, windowId),
    );
    const courier = await courierFor(tx, w.communityId);
    await tx.insert(deliveryBatches).values({ windowId, courierId: courier }).onConflictDoNothing();
    const [batch] = await tx.select().from(deliveryBatches).where(eq(deliveryBatches.windowId, windowId));
    const later = await nextWindow(tx, deps, w);
    if (later) {
      // The orders' own locks, so an acceptance committing now either lands first (and the order
      // stays) or waits for this move (and is accepted for the next window).
      const candidates = await tx
        .select({ orderId: lockerOrders.orderId })
        .from(lockerOrders)
        .where(eq(lockerOrders.windowId, windowId));
      const moved = (
        await lockOrders(
          tx,
          candidates.map((c) => c.orderId),
        )
      ).filter((o) => (NOT_YET_ACCEPTED as readonly string[]).includes(o.status));
      if (moved.length)
        await tx
          .update(lockerOrders)
          .set({ windowId: later.id })
          .where(
            inArray(
              lockerOrders.orderId,
              moved.map((o) => o.id),
            ),
          );
      // Unpaid orders say nothing (they may yet expire); paid ones wait for the merchant.
      await notifyMany(
        tx,
        moved
          .filter((o) => o.status === 'paid')
          .map((o) => ({
            userId: o.userId,
            kind: 'locker.rescheduled',
            title: '配送顺延至下一批次',
            body: `商家尚未接单，您的订单 ${orderNumber(o)} 改为 ${formatDisplayTime(later.deliverAt, deps.config.TZ_DISPLAY)} 送达`,
            link: detail(o.id),
            dedupeKey: `locker.rescheduled:${o.id}:${windowId}`,
          })),
      );
    }
    const ready = await lockerOrdersIn(tx, { windowId, states: READY_FOR_TRUCK });
    return { batchId: batch!.id, bankIds: [...new Set(ready.map((o) => o.bankId))].sort() };
  });
  if (!prepared) return null;
  await startBuildFlow(deps, prepared.batchId, prepared.bankIds);
  return prepared;
}

/**
 * At worker start: every window whose cut-off passed while no worker ran (the schedulers fire only
 * at the next cut-off of their schedule) is cut off now. Each run closes its window with one
 * conditional UPDATE and the batch is unique per window with fixed build job ids, so two workers
 * starting together close, batch and build each window once.
 */
export async function runMissedCutoffs(deps: Deps & Pick<AppDeps, 'queues'>): Promise<string[]> {
  const due = await cutoffsDue(deps);
  for (const windowId of due) await runCutoff(deps, windowId);
  return due;
}

async function courierFor(tx: DbOrTx, communityId: string): Promise<string | null> {
  const [c] = await tx
    .select({ id: courierCommunities.userId })
    .from(courierCommunities)
    .where(
      and(
        eq(courierCommunities.communityId, communityId),
        inArray(courierCommunities.userId, holdersOf(tx, 'courier')),
      ),
    )
    .orderBy(asc(courierCommunities.userId))
    .limit(1);
  return c?.id ?? null;
}

/**
 * The build as a BullMQ flow: one child per bank assigns compartments; the parent runs once they
 * are all done and closes the batch. Job ids are fixed per batch and bank, so a second cut-off run
 * adds nothing new.
 */
async function startBuildFlow(deps: Pick<AppDeps, 'queues'>, batchId: string, bankIds: string[]) {
  // The queues' producer, not a new one: a new one would wait out a Redis outage, holding staff's
  // 立即截单 for its length, where this fails fast (503) and staff run it again.
  await deps.queues.flows().add({
    name: finalizeBatchJob.name,
    queueName: finalizeBatchJob.queue,
    data: { batchId },
    opts: { ...DEFAULT_JOB_OPTIONS, jobId: `batch-finalize-${batchId}` },
    children: bankIds.map((bankId) => ({
      name: assignBankJob.name,
      queueName: assignBankJob.queue,
      data: { batchId, bankId },
      opts: { ...DEFAULT_JOB_OPTIONS, jobId: `batch-bank-${batchId}-${bankId}` },
    })),
  });
}

/**
 * Assigns one bank's compartments for a batch. One run at a time per batch and bank (advisory
 * lock); free compartments are claimed with SKIP LOCKED and each claim is a conditional update,
 * and the unique index on live assignments is the last word, so no compartment ever holds two
 * orders. Orders that do not fit move to the next window and their residents are told why.
 */
export async function assignBank(
  deps: Deps,
  batchId: string,
  bankId: string,
): Promise<{ placed: number; moved: number }> {
  return deps.db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`${batchId}:${bankId}`}))`);
    const [batch] = await tx.select().from(deliveryBatches).where(eq(deliveryBatches.id, batchId));
    if (!batch) return { placed: 0, moved: 0 };
    const w = (await windowRow(tx, batch.windowId))!;
    // Paid first, first served.
    const waiting = (await lockerOrdersIn(tx, { windowId: w.id, bankId, states: READY_FOR_TRUCK })).sort(
      (a, b) => (a.paidAt?.getTime() ?? 0) - (b.paidAt?.getTime() ?? 0) || a.id.localeCompare(b.id),
    );
    if (waiting.length === 0) return { placed: 0, moved: 0 };
    const [bank] = await tx.select().from(lockerBanks).where(eq(lockerBanks.id, bankId));
    const free =
      bank?.status === 'active'
        ? await tx
            .select({
              id: compartments.id,
              zone: compartments.zone,
              size: compartments.size,
              row: compartments.row,
            })
            .from(compartments)
            .where(and(eq(compartments.bankId, bankId), eq(compartments.state, 'free')))
            .orderBy(asc(compartments.label))
            .for('update', { skipLocked: true })
        : [];
    const lines = await packLines(
      tx,
      waiting.map((o) => o.id),
    );
    // Who asks for rows in reach, as things stand now (the person may have changed their choice
    // since checkout); kept on the order, whose locker view notes a fallback to other rows.
    const reach = await reachWanted(tx, waiting, deps.clock.now(), deps.config.TZ_DISPLAY);
    const { placed, unplaced } = packBank(
      waiting.map((o) => ({ orderId: o.id, lines: lines.get(o.id)!, preferReachable: reach.get(o.id)! })),
      free.map(({ row, ...c }) => ({ ...c, reachable: inReach(bank!, { row }) })),
    );
    for (const want of [true, false]) {
      const changed = waiting.filter((o) => o.preferReachable !== want && reach.get(o.id) === want);
      if (changed.length)
        await tx
          .update(lockerOrders)
          .set({ preferReachable: want })
          .where(
            inArray(
              lockerOrders.orderId,
              changed.map((o) => o.id),
            ),
          );
    }
    for (const p of placed) {
      const ids = p.parcels.map((x) => x.compartmentId);
      const claimed = await advance(
        tx,
        compartments,
        compartments.state,
        compartmentFlow,
        'reserve',
        inArray(compartments.id, ids),
      );
      if (claimed.length !== ids.length)
        throw conflict('COMPARTMENT_TAKEN', 'A compartment was taken meanwhile; retry');
      await tx
        .insert(compartmentAssignments)
        .values(ids.map((compartmentId) => ({ compartmentId, orderId: p.orderId, batchId })));
      await transitionOrder(tx, { orderId: p.orderId, event: 'batch', actor: null });
    }
    const later = unplaced.length ? await nextWindow(tx, deps, w) : undefined;
    if (later && unplaced.length)
      await tx
        .update(lockerOrders)
        .set({ windowId: later.id })
        .where(inArray(lockerOrders.orderId, unplaced));
    const owner = new Map(waiting.map((o) => [o.id, o.userId]));
    const where = bank?.name ?? '生鲜柜';
    await notifyMany(
      tx,
      unplaced.map((orderId) => ({
        userId: owner.get(orderId)!,
        kind: 'locker.rescheduled',
        title: '生鲜柜已满，配送顺延',
        body: later
          ? `${where} 本批次格口已满，您的订单改为 ${formatDisplayTime(later.deliverAt, deps.config.TZ_DISPLAY)} 送达`
          : `${where} 本批次格口已满，社区工作人员会联系您改为送货上门`,
        link: detail(orderId),
        dedupeKey: `locker.rescheduled:${orderId}:${w.id}`,
      })),
    );
    return { placed: placed.length, moved: unplaced.length };
  });
}

/** The parent of the flow: the batch is ready for its courier, who is told once. */
export async function finalizeBatch(deps: Deps, batchId: string): Promise<boolean> {
  return deps.db.transaction(async (tx) => {
    const [batch] = await advance(
      tx,
      deliveryBatches,
      deliveryBatches.status,
      batchFlow,
      'finish',
      eq(deliveryBatches.id, batchId),
      {
        builtAt: deps.clock.now(),
      },
    );
    if (!batch) return false;
    const count = await orderCount(tx, batchId);
    const w = (await windowRow(tx, batch.windowId))!;
    const assigned = await tx
      .selectDistinct({ orderId: lockerOrders.orderId, bank: lockerBanks.name })
      .from(compartmentAssignments)
      .innerJoin(lockerOrders, eq(lockerOrders.orderId, compartmentAssignments.orderId))
      .innerJoin(lockerBanks, eq(lockerBanks.id, lockerOrders.bankId))
      .where(eq(compartmentAssignments.batchId, batchId));
    const owners = new Map(
      (
        await ordersByIds(
          tx,
          assigned.map((a) => a.orderId),
        )
      ).map((o) => [o.id, o]),
    );
    const placed = assigned.map((a) => ({
      ...a,
      userId: owners.get(a.orderId)!.userId,
      number: orderNumber(owners.get(a.orderId)!),
    }));
    await notifyMany(
      tx,
      placed.map((p) => ({
        userId: p.userId,
        kind: 'locker.scheduled',
        title: '订单已安排配送',
        body: `订单 ${p.number} 预计 ${formatDisplayTime(w.deliverAt, deps.config.TZ_DISPLAY)} 送达${p.bank}，骑手出发后开始配送，入柜后会发送取件码`,
        link: detail(p.orderId),
        dedupeKey: `locker.scheduled:${p.orderId}:${batchId}`,
      })),
    );
    if (batch.courierId)
      await notify(tx, {
        userId: batch.courierId,
        kind: 'batch.ready',
        title: '新的配送批次',
        body: `共 ${count} 单待配送，请到商家取货后按投递清单放入生鲜柜`,
        link: `${PAGES.courierBatch}?id=${batchId}`,
        dedupeKey: `batch.ready:${batchId}`,
      });
    return true;
  });
}

/** Build everything now in this process: the same steps as the flow, for tests and the bench. */
export async function buildBatchInline(deps: Deps & Pick<AppDeps, 'queues'>, windowId: string) {
  const run = await runCutoff(deps, windowId);
  if (!run) return null;
  for (const bankId of run.bankIds) await assignBank(deps, run.batchId, bankId);
  await finalizeBatch(deps, run.batchId);
  return run.batchId;
}

async function orderCount(db: DbOrTx, batchId: string): Promise<number> {
  const [r] = await db
    .select({ n: sql<number>`count(DISTINCT ${compartmentAssignments.orderId})::int` })
    .from(compartmentAssignments)
    .where(eq(compartmentAssignments.batchId, batchId));
  return r?.n ?? 0;
}

export async function batchViews(db: DbOrTx, rows: BatchRow[]): Promise<Batch[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((b) => b.id);
  const courierIds = [...new Set(rows.flatMap((b) => (b.courierId ? [b.courierId] : [])))];
  const [windows, couriers, stats] = await Promise.all([
    db
      .select()
      .from(deliveryWindows)
      .where(
        inArray(
          deliveryWindows.id,
          rows.map((b) => b.windowId),
        ),
      ),
    peopleByIds(db, courierIds),
    db
      .select({
        batchId: compartmentAssignments.batchId,
        orderId: compartmentAssignments.orderId,
        bankId: compartments.bankId,
      })
      .from(compartmentAssignments)
      .innerJoin(compartments, eq(compartments.id, compartmentAssignments.compartmentId))
      .where(inArray(compartmentAssignments.batchId, ids)),
  ]);
  const stillInBatch = new Set(
    (
      await ordersByIds(
        db,
        stats.map((x) => x.orderId),
      )
    )
      .filter((o) => o.status === 'in_batch')
      .map((o) => o.id),
  );
  const countsOf = (batchId: string) => {
    const mine = stats.filter((x) => x.batchId === batchId);
    const orders = new Set(mine.map((x) => x.orderId));
    return {
      orders: orders.size,
      banks: new Set(mine.map((x) => x.bankId)).size,
      dropped: [...orders].filter((id) => !stillInBatch.has(id)).length,
    };
  };
  return rows.map((b) => {
    const w = windows.find((x) => x.id === b.windowId)!;
    const s = countsOf(b.id);
    const courier = b.courierId ? couriers.get(b.courierId) : undefined;
    return {
      id: b.id,
      windowId: b.windowId,
      cutoffAt: w.cutoffAt.toISOString(),
      deliverAt: w.deliverAt.toISOString(),
      status: b.status,
      courier: courier ? { id: courier.id, name: courier.name } : null,
      orderCount: s.orders,
      droppedCount: s.dropped,
      bankCount: s.banks,
    };
  });
}

/** A courier's batches: those of the communities they drive for, newest first. */
export async function courierBatches(db: Db, actor: Actor) {
  const rows = await db
    .select({ b: deliveryBatches })
    .from(deliveryBatches)
    .innerJoin(deliveryWindows, eq(deliveryWindows.id, deliveryBatches.windowId))
    .where(
      inArray(
        deliveryWindows.communityId,
        db
          .select({ id: courierCommunities.communityId })
          .from(courierCommunities)
          .where(eq(courierCommunities.userId, actor.actorId)),
      ),
    )
    .orderBy(desc(deliveryWindows.cutoffAt))
    .limit(30);
  return {
    items: await batchViews(
      db,
      rows.map((r) => r.b),
    ),
  };
}

async function batchById(db: DbOrTx, id: string): Promise<BatchRow> {
  const [b] = await db.select().from(deliveryBatches).where(eq(deliveryBatches.id, id));
  if (!b) throw notFound('Batch');
  return b;
}

/** The manifest: what to collect from each merchant, and what goes where at each bank. */
export async function manifest(db: Db, actor: Actor, id: string): Promise<BatchManifest> {
  await requireAccess(db, actor, batchDrive, id);
  const batch = await batchById(db, id);
  const assigned = await db
    .select({ a: compartmentAssignments, c: compartments, bank: lockerBanks })
    .from(compartmentAssignments)
    .innerJoin(compartments, eq(compartments.id, compartmentAssignments.compartmentId))
    .innerJoin(lockerBanks, eq(lockerBanks.id, compartments.bankId))
    .where(
      and(
        eq(compartmentAssignments.batchId, id),
        inArray(compartmentAssignments.status, [...LIVE_ASSIGNMENT_STATES]),
      ),
    )
    .orderBy(asc(lockerBanks.name), asc(compartments.label));
  const orderIds = [...new Set(assigned.map((r) => r.a.orderId))];
  const orderById = new Map((await ordersByIds(db, orderIds)).map((o) => [o.id, o]));
  const shops = await shopsByIds(
    db,
    [...orderById.values()].map((o) => o.merchantId),
  );
  const rows = assigned.map((r) => {
    const o = orderById.get(r.a.orderId)!;
    return { ...r, o, m: shops.get(o.merchantId)! };
  });
  const items = await orderLines(db, orderIds, 'name');
  type PickOrder = BatchManifest['pickList'][number]['orders'][number];
  const pick = new Map<
    string,
    { merchantId: string; merchantName: string; orders: Map<string, PickOrder> }
  >();
  for (const r of rows) {
    const entry = pick.get(r.m.id) ?? { merchantId: r.m.id, merchantName: r.m.name, orders: new Map() };
    entry.orders.set(r.o.id, {
      orderId: r.o.id,
      orderNumber: orderNumber(r.o),
      items: items
        .filter((i) => i.orderId === r.o.id)
        .map((i) => ({ name: i.name, unit: i.unit, quantity: i.quantity })),
    });
    pick.set(r.m.id, entry);
  }
  const drops = new Map<string, BatchManifest['dropList'][number]>();
  for (const r of rows) {
    const entry = drops.get(r.bank.id) ?? {
      bankId: r.bank.id,
      bankName: r.bank.name,
      location: r.bank.location,
      drops: [],
    };
    entry.drops.push(dropView(r.a, r.c, r.o));
    drops.set(r.bank.id, entry);
  }
  const [view] = await batchViews(db, [batch]);
  const w = (await windowRow(db, batch.windowId))!;
  return {
    batch: view!,
    pickList: [...pick.values()].map((p) => ({ ...p, orders: [...p.orders.values()] })),
    dropList: [...drops.values()],
    retrievals: (await retrievalsIn(db, w.communityId)).map(
      ({ orderId, orderNumber, bankName, compartments, perishable, merchantName }) => ({
        orderId,
        orderNumber,
        bankName,
        compartments,
        perishable,
        merchantName,
      }),
    ),
  };
}

function dropView(
  a: typeof compartmentAssignments.$inferSelect,
  c: typeof compartments.$inferSelect,
  o: Parameters<typeof orderNumber>[0],
) {
  return {
    orderId: a.orderId,
    orderNumber: orderNumber(o),
    compartmentId: c.id,
    label: c.label,
    size: c.size,
    zone: c.zone,
    dropped: a.status === 'occupied',
  };
}

export async function startBatch({ db, clock }: Pick<AppDeps, 'db' | 'clock'>, actor: Actor, id: string) {
  await requireAccess(db, actor, batchDrive, id);
  const [b] = await advance(
    db,
    deliveryBatches,
    deliveryBatches.status,
    batchFlow,
    'start',
    eq(deliveryBatches.id, id),
    {
      startedAt: clock.now(),
      courierId: actor.actorId,
    },
  );
  if (!b) throw conflict('BATCH_STATE_CHANGED', 'This batch is not ready to start');
  await audit(db, actor, 'batch.started', { type: 'batch', id });
  return (await batchViews(db, [b]))[0]!;
}

const newCode = () => String(randomInt(0, 1_000_000)).padStart(6, '0');

/**
 * The courier put an order's goods in a compartment. When the order's last compartment is filled
 * it is in the locker: a pickup code unique among the bank's live codes, the free window starts,
 * reminders and the overdue check are queued, and the resident is told where and until when.
 */
export async function dropOrder(
  deps: Deps,
  actor: Actor,
  batchId: string,
  body: { orderId: string; compartmentId: string },
) {
  const { db } = deps;
  await requireAccess(db, actor, batchDrive, batchId);
  return db.transaction(async (tx) => {
    const batch = await batchById(tx, batchId);
    if (batch.status !== 'in_progress')
      throw conflict('BATCH_NOT_STARTED', 'Start the batch before dropping orders');
    const [a] = await tx
      .select()
      .from(compartmentAssignments)
      .where(
        and(
          eq(compartmentAssignments.batchId, batchId),
          eq(compartmentAssignments.orderId, body.orderId),
          eq(compartmentAssignments.compartmentId, body.compartmentId),
          inArray(compartmentAssignments.status, [...LIVE_ASSIGNMENT_STATES]),
        ),
      )
      .for('update');
    if (!a)
      throw fieldConflict(
        'NOT_IN_MANIFEST',
        'This order is not assigned to this compartment',
        'body.compartmentId',
        404,
      );
    const [c] = await tx.select().from(compartments).where(eq(compartments.id, body.compartmentId));
    if (a.status === 'reserved') {
      await advance(
        tx,
        compartmentAssignments,
        compartmentAssignments.status,
        lockerAssignmentFlow,
        'occupy',
        eq(compartmentAssignments.id, a.id),
      );
      await advance(
        tx,
        compartments,
        compartments.state,
        compartmentFlow,
        'occupy',
        eq(compartments.id, c!.id),
      );
    }
    const [left] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(compartmentAssignments)
      .where(
        and(
          eq(compartmentAssignments.orderId, body.orderId),
          eq(compartmentAssignments.batchId, batchId),
          eq(compartmentAssignments.status, 'reserved'),
        ),
      );
    if (left!.n === 0) await intoLocker(tx, deps, actor, body.orderId, c!.bankId);
    const o = await orderRow(tx, body.orderId);
    if (await allDropped(tx, batchId))
      await advance(
        tx,
        deliveryBatches,
        deliveryBatches.status,
        batchFlow,
        'complete',
        eq(deliveryBatches.id, batchId),
      );
    const [after] = await tx.select().from(compartmentAssignments).where(eq(compartmentAssignments.id, a.id));
    return { orderId: body.orderId, orderStatus: o!.status, drop: dropView(after!, c!, o!) };
  });
}

async function allDropped(tx: DbOrTx, batchId: string): Promise<boolean> {
  const [r] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(compartmentAssignments)
    .where(and(eq(compartmentAssignments.batchId, batchId), eq(compartmentAssignments.status, 'reserved')));
  return r!.n === 0;
}

async function intoLocker(tx: DbOrTx, deps: Deps, actor: Actor, orderId: string, bankId: string) {
  const moved = await transitionOrder(tx, { orderId, event: 'drop', actor });
  if (!moved) return;
  const now = deps.clock.now();
  const freeMs = deps.config.LOCKER_FREE_HOURS * 3600_000;
  const deadline = new Date(now.getTime() + freeMs);
  let code = '';
  for (let attempt = 0; ; attempt++) {
    code = newCode();
    if (attempt < 8 && (await isLiveDelegatedCode(tx, bankId, code, now))) continue;
    try {
      await tx.transaction((sp) =>
        // The extension price is fixed when the order goes in, so the resident sees it beforehand.
        sp.insert(lockerPickups).values({
          orderId,
          bankId,
          code,
          droppedAt: now,
          deadline,
          extensionFeeFen: deps.config.LOCKER_EXTENSION_FEE_FEN,
        }),
      );
      break;
    } catch (err) {
      // Only a code already live in this bank is worth another try.
      if (attempt >= 8 || !violates(err, 'locker_pickups_live_code')) throw err;
    }
  }
  const jobIds = await scheduleLockerJobs(tx, deps, orderId, now, deadline);
  await tx.update(lockerPickups).set({ reminderJobIds: jobIds }).where(eq(lockerPickups.orderId, orderId));
  const labels = await tx
    .select({ label: compartments.label })
    .from(compartmentAssignments)
    .innerJoin(compartments, eq(compartments.id, compartmentAssignments.compartmentId))
    .where(and(eq(compartmentAssignments.orderId, orderId), eq(compartmentAssignments.status, 'occupied')));
  const [bank] = await tx.select().from(lockerBanks).where(eq(lockerBanks.id, bankId));
  const o = await orderRow(tx, orderId);
  await notify(tx, {
    userId: o!.userId,
    kind: 'locker.dropped',
    title: '您的订单已放入生鲜柜',
    body: `订单 ${orderNumber(o!)}：${bank!.name}（${bank!.location}）${labels.map((l) => l.label).join('、')} 号格口，取件码 ${code}，请在 ${formatDisplayTime(deadline, deps.config.TZ_DISPLAY)} 前取走`,
    link: detail(orderId),
    dedupeKey: `locker.dropped:${orderId}`,
    wechat: {
      template: 'orderStatus',
      page: detail(orderId).replace(/^\//, ''),
      data: { thing1: '订单已入柜', phrase2: '待取件', time3: now.toISOString() },
    },
  });
}

/**
 * The courier finds a compartment broken or occupied: it goes out of service and the order gets
 * another free compartment of the same zone that holds it (the smallest such), claimed on the spot.
 */
export async function compartmentProblem(
  { db, clock }: Pick<AppDeps, 'db' | 'clock'>,
  actor: Actor,
  batchId: string,
  body: { compartmentId: string; reason: string },
) {
  await requireAccess(db, actor, batchDrive, batchId);
  return db.transaction(async (tx) => {
    const [a] = await tx
      .select()
      .from(compartmentAssignments)
      .where(
        and(
          eq(compartmentAssignments.batchId, batchId),
          eq(compartmentAssignments.compartmentId, body.compartmentId),
          eq(compartmentAssignments.status, 'reserved'),
        ),
      )
      .for('update');
    if (!a)
      throw fieldConflict(
        'NOT_IN_MANIFEST',
        'No order waits for this compartment in this batch',
        'body.compartmentId',
        404,
      );
    const [broken] = await advance(
      tx,
      compartments,
      compartments.state,
      compartmentFlow,
      'breakDown',
      eq(compartments.id, body.compartmentId),
    );
    if (!broken) throw conflict('COMPARTMENT_STATE_CHANGED', 'This compartment is already out of service');
    await advance(
      tx,
      compartmentAssignments,
      compartmentAssignments.status,
      lockerAssignmentFlow,
      'release',
      eq(compartmentAssignments.id, a.id),
      {
        releasedAt: clock.now(),
      },
    );
    await audit(
      tx,
      actor,
      'compartment.problem',
      { type: 'compartment', id: broken.id },
      { reason: body.reason, batchId },
    );
    const candidates = await tx
      .select()
      .from(compartments)
      .where(
        and(
          eq(compartments.bankId, broken.bankId),
          eq(compartments.zone, broken.zone),
          eq(compartments.state, 'free'),
        ),
      )
      .for('update', { skipLocked: true });
    // Among equal sizes, a row in reach for an order that asks for one, another row for the rest.
    const [bank] = await tx.select().from(lockerBanks).where(eq(lockerBanks.id, broken.bankId));
    const [asks] = await tx
      .select({ want: lockerOrders.preferReachable })
      .from(lockerOrders)
      .where(eq(lockerOrders.orderId, a.orderId));
    const rank = (c: typeof broken) => (inReach(bank!, c) === !!asks?.want ? 0 : 1);
    const replacement = candidates
      .filter((c) => SIZE_UNITS[c.size] >= SIZE_UNITS[broken.size])
      .sort(
        (x, y) =>
          SIZE_UNITS[x.size] - SIZE_UNITS[y.size] || rank(x) - rank(y) || x.label.localeCompare(y.label),
      )[0];
    if (!replacement) return { replacement: null };
    // Row locked above (SKIP LOCKED) and free: the reserve cannot lose a race.
    await advance(
      tx,
      compartments,
      compartments.state,
      compartmentFlow,
      'reserve',
      eq(compartments.id, replacement.id),
    );
    const [na] = await tx
      .insert(compartmentAssignments)
      .values({ compartmentId: replacement.id, orderId: a.orderId, batchId })
      .returning();
    return {
      replacement: dropView(na!, { ...replacement, state: 'reserved' }, (await orderRow(tx, a.orderId))!),
    };
  });
}

/** Staff: batches whose delivery falls on a local date. */
export async function staffBatches(deps: Deps, actor: Actor, date?: string) {
  const { db, config } = deps;
  const day = date ?? localClock(deps.clock.now(), config.TZ_DISPLAY).date;
  const rows = await db
    .select({ b: deliveryBatches })
    .from(deliveryBatches)
    .innerJoin(deliveryWindows, eq(deliveryWindows.id, deliveryBatches.windowId))
    .where(
      and(
        sql`(${deliveryWindows.deliverAt} AT TIME ZONE ${config.TZ_DISPLAY})::date = ${day}::date`,
        inArray(deliveryWindows.communityId, staffCommunityIds(db, actor.actorId)),
      ),
    )
    .orderBy(asc(deliveryWindows.deliverAt));
  return {
    items: await batchViews(
      db,
      rows.map((r) => r.b),
    ),
  };
}

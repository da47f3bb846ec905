import { createHmac, timingSafeEqual } from 'node:crypto';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import {
  compartmentFlow,
  formatDisplayTime,
  formatYuan,
  LIVE_ASSIGNMENT_STATES,
  lockerAssignmentFlow,
  maskPhone,
  type Order,
  PAGES,
  reachNote,
} from 'shared';
import type { Actor } from '../../access/actor';
import { requireAccess } from '../../access/require-access';
import type { Db, DbOrTx } from '../../db/client';
import { advance } from '../../db/flow-update';
import type { AppDeps } from '../../deps';
import { AppError, conflict, fieldConflict, notFound, serviceUnavailable } from '../../http/errors';
import { peopleByIds } from '../identity';
import { merchantRow, shopsByIds } from '../merchants';
import { notify } from '../notifications';
import {
  lockOrder,
  type OrderRow,
  orderIdsIn,
  orderNumber,
  orderOwn,
  orderRow,
  ordersByIds,
  transitionOrder,
  transitionOrFail,
} from '../orders';
import { compoundsOf, compoundsRunBy } from '../places';
import { refundByPolicy } from '../refunds';
import { reachRange } from './banks';
import { noteDelegatedPickup, redeemDelegation } from './delegations';
import { closeExtensionPayment, extensionPaymentStates } from './extension-fee';
import { lockerReminderJob } from './jobs';
import { batchDrive } from './policies';
import {
  compartmentAssignments,
  compartments,
  deliveryBatches,
  deliveryWindows,
  lockerBanks,
  lockerOrders,
  lockerPickups,
} from './tables';

type Deps = Pick<AppDeps, 'db' | 'config' | 'clock' | 'redis' | 'queues'>;

const detail = (orderId: string) => `${PAGES.orderDetail}?id=${orderId}`;

/** The panel's clock may drift a little; older requests are refused as possible replays. */
export const DEVICE_MAX_SKEW_MS = 5 * 60_000;
/** Wrong codes in a row before code entry locks, and for how long. */
export const MAX_WRONG_CODES = 5;
export const CODE_LOCK_MS = 10 * 60_000;

const deviceRejected = (message: string) => new AppError(401, 'DEVICE_UNAUTHORIZED', message);
const requestExpired = () =>
  new AppError(
    503,
    'DEVICE_REQUEST_EXPIRED',
    'The request took too long and its signature expired; nothing was opened. Sign it again and retry',
  );

/** hex HMAC-SHA256 of `<timestamp>.<raw body>` under the bank's device secret. */
export const deviceSignature = (secret: string, timestamp: string, rawBody: string) =>
  createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex');

/**
 * A pickup at the panel. The request must carry a fresh timestamp and the bank's signature over
 * it and the exact body; each signature is accepted once (remembered in Redis past the skew
 * window). Five wrong codes in a row lock the bank's code entry for ten minutes.
 */
export async function devicePickup(
  deps: Deps,
  bankId: string,
  headers: { 'x-device-timestamp': string; 'x-device-signature': string },
  rawBody: string,
  code: string,
) {
  const { db, redis, queues } = deps;
  // The panel gives up on an answer after about ten seconds; past the budget its door will not
  // open, so nothing may be spent for it (real time, like the signature's freshness).
  const answerBy = Date.now() + deps.config.DEVICE_ANSWER_BUDGET_MS;
  const [bank] = await db.select().from(lockerBanks).where(eq(lockerBanks.id, bankId));
  if (!bank) throw deviceRejected('Unknown device');
  const ts = Number(headers['x-device-timestamp']);
  if (!signedFresh(ts)) throw deviceRejected('The timestamp is too old or in the future');
  const expected = Buffer.from(
    deviceSignature(bank.deviceSecret, headers['x-device-timestamp'], rawBody),
    'hex',
  );
  const given = Buffer.from(headers['x-device-signature'], 'hex');
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    throw deviceRejected('Bad signature');
  // Without the replay check nothing opens. The SET may still land once a paused Redis resumes,
  // spending this signature: the panel signs its retry afresh.
  const key = `${queues.prefix}:device-sig:${headers['x-device-signature']}`;
  const fresh = await redis.set(key, '1', 'PX', 2 * DEVICE_MAX_SKEW_MS, 'NX').catch((err: unknown) => {
    throw serviceUnavailable(
      'Cannot check the request right now; nothing was opened. Sign it again and retry',
      err,
    );
  });
  if (fresh !== 'OK') throw deviceRejected('This request was already used');
  return collectByCode(deps, bankId, code, { signedAt: ts, answerBy });
}

/** Transport freshness is real time, not the domain clock tests move. */
const signedFresh = (signedAt: number) => Math.abs(Date.now() - signedAt) <= DEVICE_MAX_SKEW_MS;

/** Still worth carrying out: the signature is fresh and the panel is still waiting for us. */
const stillAnswered = (t: { signedAt: number; answerBy: number }) =>
  signedFresh(t.signedAt) && Date.now() <= t.answerBy;

async function collectByCode(
  deps: Deps,
  bankId: string,
  code: string,
  timing: { signedAt: number; answerBy: number },
) {
  const { db, clock } = deps;
  const outcome: {
    locked?: Date;
    wrong?: number;
    opened?: Awaited<ReturnType<typeof collect>>;
  } = await db.transaction(async (tx) => {
    const [bank] = await tx.select().from(lockerBanks).where(eq(lockerBanks.id, bankId)).for('update');
    const now = clock.now();
    const lockedUntil = bank!.codeLockedUntil;
    if (lockedUntil && lockedUntil > now) return { locked: lockedUntil };
    const [pickup] = await tx
      .select()
      .from(lockerPickups)
      .where(
        and(
          eq(lockerPickups.bankId, bankId),
          eq(lockerPickups.code, code),
          sql`${lockerPickups.usedAt} IS NULL`,
        ),
      );
    // Not the resident's own code: perhaps a one-time code they delegated (the produce run).
    const delegated = pickup ? null : await redeemDelegation(tx, bankId, code, now);
    if (!pickup && !delegated) {
      const wrong = bank!.failedAttempts + 1;
      const lock = wrong >= MAX_WRONG_CODES;
      await tx
        .update(lockerBanks)
        .set({
          failedAttempts: lock ? 0 : wrong,
          codeLockedUntil: lock ? new Date(now.getTime() + CODE_LOCK_MS) : bank!.codeLockedUntil,
        })
        .where(eq(lockerBanks.id, bankId));
      // A request that went stale on the way counts no wrong code either (see below).
      if (!stillAnswered(timing)) throw requestExpired();
      return { wrong: lock ? 0 : MAX_WRONG_CODES - wrong };
    }
    await tx.update(lockerBanks).set({ failedAttempts: 0 }).where(eq(lockerBanks.id, bankId));
    const opened = await collect(tx, deps, pickup?.orderId ?? delegated!.orderId, null);
    if (delegated) await noteDelegatedPickup(tx, delegated.orderId);
    // The panel opens the door on this answer, and may have given up on a request whose signature
    // is no longer fresh or whose answer comes too late. Waiting for Redis or for the bank's row
    // lock can carry a request past that point; then nothing may be spent (code, order,
    // compartments), so this is the last step before commit, in real time like the check at the
    // door (not deps.clock).
    if (!stillAnswered(timing)) throw requestExpired();
    return { opened };
  });
  if (outcome.locked)
    throw new AppError(
      423,
      'CODE_ENTRY_LOCKED',
      `Too many wrong codes; try again after ${outcome.locked.toISOString()}`,
    );
  if (outcome.wrong !== undefined)
    throw fieldConflict(
      'PICKUP_CODE_INVALID',
      outcome.wrong === 0
        ? 'Wrong code; code entry is locked for 10 minutes'
        : `Wrong code; ${outcome.wrong} tries left`,
      'body.code',
      404,
    );
  const opened = outcome.opened!;
  await cancelLockerJobs(deps, opened.jobIds);
  return { orderId: opened.orderId, compartments: opened.compartments };
}

/**
 * The order leaves the locker: picked up, its code used, its compartments freed. Returns the
 * compartments that open and the reminder jobs to cancel after commit.
 */
async function collect(tx: DbOrTx, deps: Pick<Deps, 'clock'>, orderId: string, actor: Actor | null) {
  await transitionOrFail(tx, { orderId, event: 'collect', actor });
  await closeExtensionPayment(tx, orderId);
  return emptyLocker(tx, deps, orderId);
}

/** The code is spent and the order's compartments are free again; says which ones open. */
async function emptyLocker(tx: DbOrTx, deps: Pick<Deps, 'clock'>, orderId: string) {
  const [pickup] = await tx
    .update(lockerPickups)
    .set({ usedAt: deps.clock.now() })
    .where(eq(lockerPickups.orderId, orderId))
    .returning();
  // Only what the order occupies: a compartment still merely reserved was never filled.
  const held = await advance(
    tx,
    compartmentAssignments,
    compartmentAssignments.status,
    lockerAssignmentFlow,
    'release',
    and(eq(compartmentAssignments.orderId, orderId), eq(compartmentAssignments.status, 'occupied')),
    { releasedAt: deps.clock.now() },
  );
  const opened = held.length
    ? await advance(
        tx,
        compartments,
        compartments.state,
        compartmentFlow,
        'release',
        inArray(
          compartments.id,
          held.map((h) => h.compartmentId),
        ),
      )
    : [];
  return {
    orderId,
    compartments: opened.sort((a, b) => a.label.localeCompare(b.label)),
    jobIds: pickup?.reminderJobIds ?? [],
  };
}

/** Overdue orders at the banks of a community, with whether they hold chilled or frozen goods. */
export async function retrievalsIn(db: DbOrTx, communityId: string) {
  const waiting = await db
    .select({ orderId: lockerPickups.orderId, bankName: lockerBanks.name })
    .from(lockerPickups)
    .innerJoin(lockerBanks, eq(lockerBanks.id, lockerPickups.bankId))
    .where(
      and(
        inArray(lockerPickups.orderId, orderIdsIn(db, ['overdue'])),
        inArray(lockerBanks.compoundId, compoundsOf(db, communityId)),
      ),
    )
    .orderBy(asc(lockerBanks.name), asc(lockerPickups.deadline));
  if (waiting.length === 0) return [];
  const shopOf = await shopsOfOrders(
    db,
    waiting.map((w) => w.orderId),
  );
  const rows = waiting.map((w) => ({
    ...w,
    orderNumber: shopOf.get(w.orderId)?.number ?? '',
    merchantName: shopOf.get(w.orderId)?.name ?? '',
  }));
  const ids = rows.map((r) => r.orderId);
  const labels = await db
    .select({ orderId: compartmentAssignments.orderId, label: compartments.label, zone: compartments.zone })
    .from(compartmentAssignments)
    .innerJoin(compartments, eq(compartments.id, compartmentAssignments.compartmentId))
    .where(and(inArray(compartmentAssignments.orderId, ids), eq(compartmentAssignments.status, 'occupied')))
    .orderBy(asc(compartments.label));
  return rows.map((r) => {
    const mine = labels.filter((l) => l.orderId === r.orderId);
    return {
      ...r,
      compartments: mine.map((l) => l.label),
      perishable: mine.some((l) => l.zone !== 'ambient'),
    };
  });
}

/** Chilled or frozen goods a day past their window are not fit to give away. */
export const RESCUE_WITHIN_MS = 24 * 3600_000;
export function dispositionOf(perishable: boolean, overdueMs: number): 'rescue' | 'dispose' | 'return' {
  if (!perishable) return 'return';
  return overdueMs <= RESCUE_WITHIN_MS ? 'rescue' : 'dispose';
}
const DISPOSITION_TEXT = {
  rescue: '顾客超时未取的生鲜已由配送员取回，已标记为捐赠（食物救助）',
  dispose: '顾客超时未取的生鲜已由配送员取回，超时过久已标记为报损',
  return: '顾客超时未取的订单已由配送员取回，请安排退回入库',
} as const;

/**
 * The courier takes an overdue order out on the next run: it is returned to the merchant, its
 * compartments freed. Perishables go to rescue (donation) or disposal; the merchant decides and
 * the resident may ask for a refund, which the merchant answers (or the timeout approves).
 */
export async function retrieveOrder(deps: Deps, actor: Actor, batchId: string, orderId: string) {
  await requireAccess(deps.db, actor, batchDrive, batchId);
  const out = await deps.db.transaction(async (tx) => {
    const [b] = await tx
      .select({ status: deliveryBatches.status, communityId: deliveryWindows.communityId })
      .from(deliveryBatches)
      .innerJoin(deliveryWindows, eq(deliveryWindows.id, deliveryBatches.windowId))
      .where(eq(deliveryBatches.id, batchId));
    if (b!.status !== 'in_progress')
      throw conflict('BATCH_NOT_STARTED', 'Start the batch before retrieving orders');
    const due = await retrievalsIn(tx, b!.communityId);
    const item = due.find((d) => d.orderId === orderId);
    if (!item)
      throw fieldConflict(
        'NOT_OVERDUE',
        'This order is not waiting to be retrieved here',
        'body.orderId',
        404,
      );
    const moved = await transitionOrFail(tx, { orderId, event: 'return', actor });
    await closeExtensionPayment(tx, orderId);
    const opened = await emptyLocker(tx, deps, orderId);
    const [p] = await tx.select().from(lockerPickups).where(eq(lockerPickups.orderId, orderId));
    const disposition = dispositionOf(item.perishable, deps.clock.now().getTime() - p!.deadline.getTime());
    await tx.update(lockerPickups).set({ disposition }).where(eq(lockerPickups.orderId, orderId));
    const shop = await merchantRow(tx, moved.order.merchantId);
    const refunded =
      shop!.refundsOverdue &&
      (await refundByPolicy(tx, orderId, '超时未取，按商家规则退款', deps.clock.now()));
    await notify(tx, {
      userId: shop!.ownerId,
      kind: 'locker.returned',
      title: '超时订单已取回',
      body: `${DISPOSITION_TEXT[disposition]}${refunded ? '；已按店铺规则为顾客退款' : '；顾客可申请退款，请及时处理'}`,
      link: PAGES.merchantOrders,
      dedupeKey: `locker.returned:${orderId}`,
    });
    await notify(tx, {
      userId: moved.order.userId,
      kind: 'locker.returned',
      title: '订单已退回商家',
      body: refunded
        ? '您的订单超时未取，已由配送员取回，按商家规则为您退款'
        : '您的订单超时未取，已由配送员取回并退回商家，可在订单页申请退款',
      link: detail(orderId),
      dedupeKey: `locker.returned:${orderId}`,
    });
    return opened;
  });
  await cancelLockerJobs(deps, out.jobIds);
  return { orderId, compartments: out.compartments };
}

/** Best effort after commit: the jobs check the order's state anyway and send nothing. */
async function cancelLockerJobs(deps: Pick<Deps, 'queues'>, jobIds: string[]) {
  const q = deps.queues.get(lockerReminderJob.queue);
  await Promise.all(jobIds.map((id) => q.remove(id).catch(() => 0)));
}

/** The resident (or their family proxy) opens the compartments from the app at the bank. */
export async function openFromApp(deps: Deps, actor: Actor, bankId: string, orderId: string) {
  await requireAccess(deps.db, actor, orderOwn, orderId);
  const opened = await deps.db.transaction(async (tx) => {
    const o = await lockOrder(tx, orderId);
    const [pickup] = await tx.select().from(lockerPickups).where(eq(lockerPickups.orderId, orderId));
    if (!pickup || pickup.bankId !== bankId || pickup.usedAt) throw notFound();
    if (o!.status !== 'in_locker' && o!.status !== 'overdue')
      throw conflict('ORDER_STATE_CHANGED', `The order is ${o!.status}`);
    return collect(tx, deps, orderId, actor);
  });
  await cancelLockerJobs(deps, opened.jobIds);
  return { orderId, compartments: opened.compartments };
}

/** The reminder job: only for an order still waiting in the locker, once per order and kind. */
export async function sendReminder(
  deps: Pick<Deps, 'db' | 'config'>,
  orderId: string,
  kind: string,
  deadline: string,
) {
  return deps.db.transaction(async (tx) => {
    const [found] = await tx
      .select({ p: lockerPickups, bank: lockerBanks })
      .from(lockerPickups)
      .innerJoin(lockerBanks, eq(lockerBanks.id, lockerPickups.bankId))
      .where(eq(lockerPickups.orderId, orderId));
    const o = found && (await orderRow(tx, orderId));
    const row = found && o ? { ...found, o } : undefined;
    // Picked up, or extended since (a new deadline has its own reminders): nothing to say.
    if (row?.o.status !== 'in_locker' || row.p.usedAt || row.p.deadline.toISOString() !== deadline)
      return false;
    const sent = await notify(tx, {
      userId: row.o.userId,
      kind: `locker.reminder.${kind}`,
      title: kind === 'deadline' ? '生鲜柜即将超时' : '您的订单还在生鲜柜',
      body: `${row.bank.name} 取件码 ${row.p.code}，请在 ${formatDisplayTime(row.p.deadline, deps.config.TZ_DISPLAY)} 前取走`,
      link: detail(orderId),
      dedupeKey: `locker.reminder:${orderId}:${kind}:${deadline}`,
    });
    return sent !== null;
  });
}

/** The overdue job: at the deadline an uncollected order goes overdue; the resident may extend once. */
export async function markOverdue(deps: Pick<Deps, 'db' | 'config' | 'clock'>, orderId: string) {
  return deps.db.transaction(async (tx) => {
    const [p] = await tx.select().from(lockerPickups).where(eq(lockerPickups.orderId, orderId));
    if (!p || p.usedAt || p.deadline > deps.clock.now()) return false;
    const moved = await transitionOrder(tx, { orderId, event: 'miss', actor: null });
    if (!moved) return false;
    await notify(tx, {
      userId: moved.order.userId,
      kind: 'locker.overdue',
      title: '生鲜柜超时未取',
      body: p.extendedAt
        ? '您的订单已超过保管时间，配送员将在下一趟取回，商家会联系您处理'
        : `您的订单已超过免费保管时间，可在订单页付费延长一次（${formatYuan(p.extensionFeeFen)}），否则将由配送员取回`,
      link: detail(orderId),
      dedupeKey: `locker.overdue:${orderId}:${p.deadline.toISOString()}`,
    });
    return true;
  });
}

/** The locker part of orders for their owner: bank, compartments, and the code while it waits. */
export async function orderLockers(db: DbOrTx, rows: OrderRow[], viewer: 'resident' | 'merchant') {
  const out = new Map<string, Order['locker']>();
  const candidates = rows.filter((r) => r.deliveryMode === 'locker');
  if (candidates.length === 0) return out;
  const facts = await db
    .select()
    .from(lockerOrders)
    .where(
      inArray(
        lockerOrders.orderId,
        candidates.map((r) => r.id),
      ),
    );
  const factOf = new Map(facts.map((f) => [f.orderId, f]));
  const mine = candidates.flatMap((r) => {
    const f = factOf.get(r.id);
    return f ? [{ ...r, lockerBankId: f.bankId, windowId: f.windowId }] : [];
  });
  if (mine.length === 0) return out;
  const ids = mine.map((r) => r.id);
  const [banks, windows, pickups, extensionPaid, held, batches] = await Promise.all([
    db
      .select()
      .from(lockerBanks)
      .where(
        inArray(
          lockerBanks.id,
          mine.map((r) => r.lockerBankId),
        ),
      ),
    db
      .select()
      .from(deliveryWindows)
      .where(
        inArray(
          deliveryWindows.id,
          mine.map((r) => r.windowId),
        ),
      ),
    db.select().from(lockerPickups).where(inArray(lockerPickups.orderId, ids)),
    extensionPaymentStates(db, ids),
    db
      .select({ orderId: compartmentAssignments.orderId, label: compartments.label, row: compartments.row })
      .from(compartmentAssignments)
      .innerJoin(compartments, eq(compartments.id, compartmentAssignments.compartmentId))
      .where(
        and(
          inArray(compartmentAssignments.orderId, ids),
          inArray(compartmentAssignments.status, [...LIVE_ASSIGNMENT_STATES]),
        ),
      )
      .orderBy(asc(compartments.label)),
    // The window's batch: whether the courier set out is what 配送中 means to the resident.
    db
      .select({ windowId: deliveryBatches.windowId, status: deliveryBatches.status })
      .from(deliveryBatches)
      .where(
        inArray(
          deliveryBatches.windowId,
          mine.map((r) => r.windowId),
        ),
      ),
  ]);
  for (const o of mine) {
    const bank = banks.find((b) => b.id === o.lockerBankId)!;
    const w = windows.find((x) => x.id === o.windowId)!;
    const p = pickups.find((x) => x.orderId === o.id);
    const waiting = o.status === 'in_locker' || o.status === 'overdue';
    out.set(o.id, {
      bankId: bank.id,
      bankName: bank.name,
      location: bank.location,
      windowId: w.id,
      cutoffAt: w.cutoffAt.toISOString(),
      deliverAt: w.deliverAt.toISOString(),
      batchStatus: batches.find((b) => b.windowId === w.id)?.status ?? null,
      compartments: held.filter((h) => h.orderId === o.id).map((h) => h.label),
      places: held.filter((h) => h.orderId === o.id).map(({ label, row }) => ({ label, row })),
      // The resident's note when the order asked for rows in reach and some went elsewhere.
      reachNote:
        viewer === 'resident'
          ? reachNote(
              factOf.get(o.id)!.preferReachable,
              held.filter((h) => h.orderId === o.id).map((h) => h.row),
              reachRange(bank),
            )
          : null,
      code: viewer === 'resident' && waiting && p && !p.usedAt ? p.code : null,
      deadline: p?.deadline.toISOString() ?? null,
      extended: p?.extendedAt != null,
      extensionFeeFen: p?.extensionFeeFen ?? 0,
      extensionPayment: extensionPaid.get(o.id) ?? null,
    });
  }
  return out;
}

/** Staff: orders past their free window in the lockers of the communities they run. */
export async function staffOverdue(db: Db, actor: Actor) {
  const waiting = await db
    .select({ p: lockerPickups, bank: lockerBanks })
    .from(lockerPickups)
    .innerJoin(lockerBanks, eq(lockerBanks.id, lockerPickups.bankId))
    .where(
      and(
        inArray(lockerPickups.orderId, orderIdsIn(db, ['overdue'])),
        inArray(lockerBanks.compoundId, compoundsRunBy(db, actor.actorId)),
      ),
    )
    .orderBy(asc(lockerPickups.deadline))
    .limit(200);
  const found = new Map(
    (
      await ordersByIds(
        db,
        waiting.map((w) => w.p.orderId),
      )
    ).map((o) => [o.id, o]),
  );
  const [people, shops] = await Promise.all([
    peopleByIds(
      db,
      [...found.values()].map((o) => o.userId),
    ),
    shopsByIds(
      db,
      [...found.values()].map((o) => o.merchantId),
    ),
  ]);
  const rows = waiting.map((w) => {
    const o = found.get(w.p.orderId)!;
    return { ...w, o, u: people.get(o.userId)!, m: shops.get(o.merchantId)! };
  });
  const labels = rows.length
    ? await db
        .select({ orderId: compartmentAssignments.orderId, label: compartments.label })
        .from(compartmentAssignments)
        .innerJoin(compartments, eq(compartments.id, compartmentAssignments.compartmentId))
        .where(
          and(
            inArray(
              compartmentAssignments.orderId,
              rows.map((r) => r.o.id),
            ),
            eq(compartmentAssignments.status, 'occupied'),
          ),
        )
    : [];
  return {
    items: rows.map((r) => ({
      orderId: r.o.id,
      orderNumber: orderNumber(r.o),
      bankName: r.bank.name,
      compartments: labels.filter((l) => l.orderId === r.o.id).map((l) => l.label),
      deadline: r.p.deadline.toISOString(),
      customer: { name: r.u.name, phoneMasked: maskPhone(r.u.phone) ?? '' },
      merchantName: r.m.name,
    })),
  };
}

/** The shop of each order, for the courier's lists (retrievals) and staff's overdue list. */
async function shopsOfOrders(db: DbOrTx, orderIds: string[]) {
  const found = await ordersByIds(db, orderIds);
  const shops = await shopsByIds(
    db,
    found.map((o) => o.merchantId),
  );
  return new Map(found.map((o) => [o.id, { ...shops.get(o.merchantId)!, number: orderNumber(o) }]));
}

import { eq } from 'drizzle-orm';
import { formatYuan, orderFlow, PAGES, sourcesOf } from 'shared';
import type { Actor } from '../../access/actor';
import { definePolicy, requireAccess } from '../../access/require-access';
import type { Db, DbOrTx } from '../../db/client';
import type { AppDeps } from '../../deps';
import { conflict } from '../../http/errors';
import { notify } from '../notifications';
import {
  lockOrder,
  type OrderRow,
  orderIdsOfUser,
  orderOwn,
  orderRow,
  residentView,
  transitionOrFail,
} from '../orders';
import {
  closePendingPayment,
  openPayment,
  type PaymentSubject,
  paymentsOfSubjectIds,
  paymentsOfSubjects,
  preparePayment,
  startRefund,
} from '../payments';
import { scheduleLockerJobs } from './reminders';
import { lockerPickups } from './tables';

/**
 * The locker extension fee is a payment of its own, for the order's id under this subject: the
 * extension happens when the money arrives, never before, and money that arrives for an order no
 * longer waiting (collected, taken back by the courier, extended already) goes back through the
 * provider that took it.
 */
export const EXTENSION_SUBJECT = 'locker_extension';

type Deps = Pick<AppDeps, 'db' | 'config' | 'clock'>;

const lockPickup = async (tx: DbOrTx, orderId: string) =>
  (await tx.select().from(lockerPickups).where(eq(lockerPickups.orderId, orderId)).for('update'))[0];

type Pickup = NonNullable<Awaited<ReturnType<typeof lockPickup>>>;

/** Why this order cannot be extended now, or null when it can. */
function refusal(order: OrderRow | undefined, pickup: Pickup | undefined) {
  if (!pickup) return conflict('NOT_IN_LOCKER', 'This order is not in a locker');
  if (pickup.extendedAt) return conflict('ALREADY_EXTENDED', 'This order has already been extended once');
  if (!order || !sourcesOf(orderFlow, 'extend').includes(order.status))
    return conflict('ORDER_STATE_CHANGED', 'The order is not waiting past its free time in the locker');
  return null;
}

/** Another free window from now: the deadline, its reminders, the timeline note. */
async function applyExtension(
  tx: DbOrTx,
  deps: Pick<AppDeps, 'config' | 'clock'>,
  orderId: string,
  actor: Actor | null,
  note: string,
) {
  await transitionOrFail(tx, { orderId, event: 'extend', actor, note });
  const now = deps.clock.now();
  const deadline = new Date(now.getTime() + deps.config.LOCKER_FREE_HOURS * 3600_000);
  const jobIds = await scheduleLockerJobs(tx, deps, orderId, now, deadline);
  await tx
    .update(lockerPickups)
    .set({ extendedAt: now, deadline, reminderJobIds: jobIds })
    .where(eq(lockerPickups.orderId, orderId));
}

/**
 * Once per order, from overdue: another free window in the locker. Free when the fee fixed at the
 * drop is zero; otherwise the resident pays first (`payExtension`) and the payment extends it.
 */
export async function extendPickup(deps: Deps, actor: Actor, orderId: string) {
  const { db } = deps;
  await requireAccess(db, actor, orderOwn, orderId);
  await db.transaction(async (tx) => {
    const order = await lockOrder(tx, orderId);
    const pickup = await lockPickup(tx, orderId);
    const refused = refusal(order, pickup);
    if (refused) throw refused;
    if (pickup!.extensionFeeFen > 0)
      throw conflict(
        'EXTENSION_PAYMENT_REQUIRED',
        `Keeping it longer costs ${formatYuan(pickup!.extensionFeeFen)}: pay through POST /v1/orders/${orderId}/extend/pay`,
      );
    await applyExtension(tx, deps, orderId, actor, '延长保管（免费）');
  });
}

/** Opens (or hands back the pending) payment of the extension fee; the money arriving extends it. */
export async function payExtension(deps: Deps, actor: Actor, orderId: string) {
  const { db } = deps;
  await requireAccess(db, actor, orderOwn, orderId);
  const opened = await db.transaction(async (tx) => {
    const order = await lockOrder(tx, orderId);
    const pickup = await lockPickup(tx, orderId);
    const refused = refusal(order, pickup);
    if (refused) throw refused;
    if (pickup!.extensionFeeFen === 0)
      throw conflict('EXTENSION_FREE', 'This extension is free: extend through POST /v1/orders/:id/extend');
    return openPayment(
      tx,
      deps,
      EXTENSION_SUBJECT,
      { id: orderId, totalFen: pickup!.extensionFeeFen, description: '生鲜柜延长保管' },
      { userId: actor.actorId },
    );
  });
  // The provider is asked once the order's lock is released: no network inside a transaction.
  return preparePayment(deps, opened);
}

/** The order left the locker: an extension fee not yet paid may no longer be taken as live. */
export async function closeExtensionPayment(tx: DbOrTx, orderId: string) {
  await closePendingPayment(tx, EXTENSION_SUBJECT, orderId);
}

/** The payments of extension fees of a resident's own orders. */
const extensionPaymentOwn = definePolicy('payment.locker_extension.own', (db, actor, list) =>
  paymentsOfSubjects(db, EXTENSION_SUBJECT, orderIdsOfUser(db, actor.userId), list),
);

/**
 * The order's lock first, like every order transition, so a confirmation racing the courier's
 * retrieval never deadlocks; whoever comes second sees the other's result.
 */
export const extensionsArePaidFor: PaymentSubject = {
  lock: async (tx, payment) => {
    await lockOrder(tx, payment.subjectId);
  },
  paid: async (tx, payment, deps) => {
    const orderId = payment.subjectId;
    const order = await orderRow(tx, orderId);
    const pickup = await lockPickup(tx, orderId);
    if (!refusal(order, pickup)) {
      await applyExtension(
        tx,
        deps,
        orderId,
        null,
        `延长保管，已支付服务费 ${formatYuan(payment.amountFen)}`,
      );
      return;
    }
    await startRefund(tx, EXTENSION_SUBJECT, orderId);
    await notify(tx, {
      userId: order!.userId,
      kind: 'locker.extension_refunded',
      title: '延长保管未生效',
      body: `订单已不在柜中等待取件，延长服务费 ${formatYuan(payment.amountFen)} 将原路退回`,
      link: `${PAGES.orderDetail}?id=${orderId}`,
      dedupeKey: `locker.extension_refunded:${payment.id}`,
    });
  },
  view: async (db, payment) => residentView(db, (await orderRow(db, payment.subjectId))!),
  owner: extensionPaymentOwn,
};

/** The extension fee's money as the order's locker view shows it: the latest live payment's state. */
export async function extensionPaymentStates(db: Db | DbOrTx, orderIds: string[]) {
  const rows = await paymentsOfSubjectIds(db, EXTENSION_SUBJECT, orderIds);
  const out = new Map<string, 'pending' | 'paid' | 'refunding' | 'refunded'>();
  for (const p of rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())) {
    if (p.status === 'closed') continue;
    out.set(p.subjectId, p.status === 'succeeded' ? 'paid' : p.status);
  }
  return out;
}

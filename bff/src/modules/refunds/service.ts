import { eq } from 'drizzle-orm';
import { type MerchantOrder, type Order, orderFlow, PAGES, refundFlow, sourcesOf } from 'shared';
import type { Actor } from '../../access/actor';
import { requireAccess } from '../../access/require-access';
import type { DbOrTx } from '../../db/client';
import { advance } from '../../db/flow-update';
import type { AppDeps } from '../../deps';
import { conflict, describeConstraint } from '../../http/errors';
import { notDueYet } from '../../jobs/not-due-yet';
import { enqueue } from '../../jobs/outbox';
import { audit } from '../audit';
import { merchantRow } from '../merchants';
import { notify } from '../notifications';
import {
  lockOrder,
  merchantView,
  orderOwn,
  orderRow,
  recordOrderNote,
  residentView,
  transitionOrder,
} from '../orders';
import { attachUploads } from '../uploads';
import { refundAutoApproveJob } from './jobs';
import { refundDecide } from './policies';
import { refunds } from './tables';

describeConstraint('refunds_one_open_per_order', 'REFUND_EXISTS', 'This order already has a refund request');

/** After the merchant accepted, the resident asks for the money back with a reason and photos. */
export async function requestRefund(
  deps: Pick<AppDeps, 'db' | 'config'>,
  actor: Actor,
  orderId: string,
  body: { reason: string; photos: string[] },
): Promise<Order> {
  const { db, config } = deps;
  await requireAccess(db, actor, orderOwn, orderId);
  await db.transaction(async (tx) => {
    const order = await lockOrder(tx, orderId);
    if (!sourcesOf(orderFlow, 'refund').includes(order!.status))
      throw conflict(
        'REFUND_NOT_ALLOWED',
        order!.status === 'paid' || order!.status === 'created'
          ? 'The merchant has not accepted yet: cancel the order instead'
          : `A ${order!.status} order cannot be refunded`,
      );
    const [refund] = await tx
      .insert(refunds)
      .values({ orderId, reason: body.reason, photos: body.photos, amountFen: order!.totalFen })
      .returning();
    // The photos become the refund's: only the requester's own refund uploads, not yet used, qualify.
    await attachUploads(tx, {
      ownerId: actor.userId,
      ids: body.photos,
      to: { type: 'refund', id: refund!.id },
      path: 'body.photos',
    });
    await recordOrderNote(tx, order!, 'refundRequested', actor, body.reason);
    await audit(
      tx,
      actor,
      'refund.requested',
      { type: 'refund', id: refund!.id },
      { orderId, reason: body.reason },
    );
    const shop = await merchantRow(tx, order!.merchantId);
    await notify(tx, {
      userId: shop!.ownerId,
      kind: 'refund.requested',
      title: '有新的退款申请',
      body: `顾客申请退款：${body.reason}。${Math.round(config.REFUND_AUTO_APPROVE_SECONDS / 60)} 分钟内未处理将自动同意`,
      link: PAGES.merchantOrders,
      dedupeKey: `refund.requested:${refund!.id}`,
    });
    await enqueue(
      tx,
      refundAutoApproveJob,
      { refundId: refund!.id },
      { delayMs: config.REFUND_AUTO_APPROVE_SECONDS * 1000 },
    );
  });
  return residentView(db, (await orderRow(db, orderId))!);
}

/**
 * Approve or reject, by the merchant or (approve only) by the timeout job with actor null. The
 * conditional update decides between a merchant and the job racing; the loser changes nothing.
 * Returns the order id when this call decided, null when the refund was already decided.
 */
export async function decideRefund(
  tx: DbOrTx,
  actor: Actor | null,
  refundId: string,
  event: 'approve' | 'reject',
  at: Date,
  note?: string,
): Promise<string | null> {
  const [pending] = await tx
    .select({ orderId: refunds.orderId })
    .from(refunds)
    .where(eq(refunds.id, refundId));
  if (!pending) return null;
  // The order's lock first, as everywhere: the refund transition below takes it anyway.
  await lockOrder(tx, pending.orderId);
  const [refund] = await advance(tx, refunds, refunds.status, refundFlow, event, eq(refunds.id, refundId), {
    merchantNote: note ?? null,
    autoApproved: actor === null,
    decidedAt: at,
  });
  if (!refund) return null;
  await audit(
    tx,
    actor,
    `refund.${refund.status}`,
    { type: 'refund', id: refundId },
    note ? { note } : undefined,
  );
  if (event === 'approve') {
    const moved = await transitionOrder(tx, {
      orderId: refund.orderId,
      event: 'refund',
      actor,
      note: actor === null ? '商家超时未处理，系统自动同意退款' : note,
    });
    if (!moved)
      throw conflict('ORDER_STATE_CHANGED', 'The order can no longer be refunded in its current state');
  } else {
    const order = (await orderRow(tx, refund.orderId))!;
    await recordOrderNote(tx, order, 'refundRejected', actor, note);
    await notify(tx, {
      userId: order.userId,
      kind: 'refund.rejected',
      title: '退款申请未通过',
      body: `商家未同意退款：${note ?? ''}`,
      link: `${PAGES.orderDetail}?id=${order.id}`,
      dedupeKey: `refund.rejected:${refundId}`,
      wechat: {
        template: 'orderStatus',
        data: { thing1: '退款申请', phrase2: '未通过', time3: refund.decidedAt!.toISOString() },
      },
    });
  }
  return refund.orderId;
}

export async function merchantDecideRefund(
  { db, clock }: Pick<AppDeps, 'db' | 'clock'>,
  actor: Actor,
  refundId: string,
  event: 'approve' | 'reject',
  note?: string,
): Promise<MerchantOrder> {
  await requireAccess(db, actor, refundDecide, refundId);
  const orderId = await db.transaction(async (tx) => {
    const decided = await decideRefund(tx, actor, refundId, event, clock.now(), note);
    if (!decided) throw conflict('REFUND_ALREADY_DECIDED', 'This refund request has already been decided');
    return decided;
  });
  return merchantView(db, (await orderRow(db, orderId))!);
}

/**
 * The job: a request still unanswered when the merchant's time is up is approved. The time is
 * re-checked here, so a forged or early job cannot take the decision away from the merchant.
 */
export async function autoApproveRefund(
  deps: Pick<AppDeps, 'db' | 'config' | 'clock'>,
  refundId: string,
): Promise<boolean> {
  return deps.db.transaction(async (tx) => {
    const [refund] = await tx
      .select({ status: refunds.status, createdAt: refunds.createdAt })
      .from(refunds)
      .where(eq(refunds.id, refundId));
    if (!refund || !sourcesOf(refundFlow, 'approve').includes(refund.status)) return false;
    const dueAt = new Date(refund.createdAt.getTime() + deps.config.REFUND_AUTO_APPROVE_SECONDS * 1000);
    const again = { job: refundAutoApproveJob, payload: { refundId } };
    if (await notDueYet(tx, deps, dueAt, again)) return false;
    return (await decideRefund(tx, null, refundId, 'approve', deps.clock.now())) !== null;
  });
}

/**
 * A refund the shop's own policy grants without a request (an overdue locker order taken back):
 * recorded as approved by the system and the order refunded, which gives the money back.
 */
export async function refundByPolicy(
  tx: DbOrTx,
  orderId: string,
  reason: string,
  at: Date,
): Promise<boolean> {
  const order = await lockOrder(tx, orderId);
  if (!order || !sourcesOf(orderFlow, 'refund').includes(order.status)) return false;
  const [refund] = await tx
    .insert(refunds)
    .values({
      orderId,
      reason,
      amountFen: order.totalFen,
      status: 'approved',
      autoApproved: true,
      decidedAt: at,
    })
    .onConflictDoNothing()
    .returning({ id: refunds.id });
  if (!refund) return false;
  await audit(tx, null, 'refund.approved', { type: 'refund', id: refund.id }, { policy: reason });
  return (await transitionOrder(tx, { orderId, event: 'refund', actor: null, note: reason })) !== null;
}

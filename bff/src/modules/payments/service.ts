import { and, desc, eq, inArray } from 'drizzle-orm';
import { paymentFlow, sourcesOf } from 'shared';
import type { Db, DbOrTx } from '../../db/client';
import { payments } from '../../db/schema';
import type { AppDeps } from '../../deps';
import { enqueue } from '../../jobs/outbox';
import { paymentRefundJob } from './jobs';
import { paymentProvider } from './provider';

export type PaymentRow = typeof payments.$inferSelect;
type PaymentEvent = keyof typeof paymentFlow.transitions;

function move(tx: DbOrTx, where: ReturnType<typeof eq>, event: PaymentEvent, set: Partial<PaymentRow> = {}) {
  return tx
    .update(payments)
    .set({ status: paymentFlow.transitions[event].to, ...set })
    .where(and(where, inArray(payments.status, sourcesOf(paymentFlow, event))))
    .returning();
}

export async function latestPayment(db: DbOrTx, orderId: string): Promise<PaymentRow | undefined> {
  const [p] = await db
    .select()
    .from(payments)
    .where(eq(payments.orderId, orderId))
    .orderBy(desc(payments.createdAt))
    .limit(1);
  return p;
}

/** One live payment per order: paying again hands back the pending one. */
export async function openPayment(
  tx: DbOrTx,
  deps: Pick<AppDeps, 'config'>,
  order: { id: string; totalFen: number; description: string },
): Promise<{ paymentId: string; provider: string; params: Record<string, string> }> {
  const provider = paymentProvider(deps.config.PAYMENT_PROVIDER);
  const existing = await latestPayment(tx, order.id);
  const payment =
    existing?.status === 'pending'
      ? existing
      : (
          await tx
            .insert(payments)
            .values({ orderId: order.id, provider: provider.name, amountFen: order.totalFen })
            .returning()
        )[0]!;
  const params = await provider.prepare({
    id: payment.id,
    amountFen: payment.amountFen,
    description: order.description,
  });
  return { paymentId: payment.id, provider: provider.name, params };
}

/**
 * Records the provider's word that the money arrived. Returns the payment when this call moved it
 * (first confirmation) and null for a replay, so callers act once.
 */
export async function recordConfirmation(
  tx: DbOrTx,
  paymentId: string,
  providerRef: string,
): Promise<PaymentRow | null> {
  const [row] = await move(tx, eq(payments.id, paymentId), 'confirm', {
    providerRef,
    succeededAt: new Date(),
  });
  return row ?? null;
}

export async function paymentById(db: DbOrTx, id: string): Promise<PaymentRow | undefined> {
  const [p] = await db.select().from(payments).where(eq(payments.id, id));
  return p;
}

/** An order cancelled before payment: its pending payment may no longer be confirmed as live. */
export async function closePendingPayment(tx: DbOrTx, orderId: string): Promise<void> {
  await move(tx, eq(payments.orderId, orderId), 'close');
}

/**
 * Starts giving an order's money back: flips the succeeded payment to refunding and queues the
 * provider call. Idempotent: a second call finds nothing succeeded and does nothing.
 */
export async function startRefund(tx: DbOrTx, orderId: string): Promise<boolean> {
  const rows = await move(tx, eq(payments.orderId, orderId), 'startRefund');
  for (const p of rows) await enqueue(tx, paymentRefundJob, { paymentId: p.id });
  return rows.length > 0;
}

/** The job: asks the provider to refund, then marks the payment refunded (once). */
export async function finishRefund(
  deps: Pick<AppDeps, 'config' | 'db'>,
  paymentId: string,
): Promise<boolean> {
  const db: Db = deps.db;
  const payment = await paymentById(db, paymentId);
  if (payment?.status !== 'refunding') return false;
  await paymentProvider(deps.config.PAYMENT_PROVIDER).refund(payment);
  const [row] = await move(db, eq(payments.id, paymentId), 'finishRefund', { refundedAt: new Date() });
  return row !== undefined;
}

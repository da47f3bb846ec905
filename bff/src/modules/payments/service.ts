import { and, desc, eq, inArray, type SQL, type SQLWrapper } from 'drizzle-orm';
import { paymentFlow, sourcesOf } from 'shared';
import type { Actor } from '../../access/actor';
import { type Policy, requireAccess } from '../../access/require-access';
import type { Db, DbOrTx } from '../../db/client';
import { advance } from '../../db/flow-update';
import type { AppDeps } from '../../deps';
import { notFound } from '../../http/errors';
import { enqueue } from '../../jobs/outbox';
import { paymentRefundJob } from './jobs';
import { paymentProvider } from './provider';
import { payments } from './tables';

export type PaymentRow = typeof payments.$inferSelect;
type PaymentEvent = keyof typeof paymentFlow.transitions;

const move = (tx: DbOrTx, where: SQL, event: PaymentEvent, set: Partial<PaymentRow> = {}) =>
  advance(tx, payments, payments.status, paymentFlow, event, where, set);

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
  at: Date,
): Promise<PaymentRow | null> {
  const [row] = await move(tx, eq(payments.id, paymentId), 'confirm', {
    providerRef,
    succeededAt: at,
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
  deps: Pick<AppDeps, 'config' | 'db' | 'clock'>,
  paymentId: string,
): Promise<boolean> {
  const db: Db = deps.db;
  const payment = await paymentById(db, paymentId);
  if (payment?.status !== 'refunding') return false;
  await paymentProvider(deps.config.PAYMENT_PROVIDER).refund(payment);
  const [row] = await move(db, eq(payments.id, paymentId), 'finishRefund', { refundedAt: deps.clock.now() });
  return row !== undefined;
}

/**
 * What a payment pays for. Payments know nothing of orders (or, later, care bookings); the module
 * that takes money registers how its thing is locked, moved when the money arrives, shown, and
 * whose payments are whose. Orders register the one subject there is today.
 */
export interface PaymentSubject {
  /** Takes the thing's row lock before the payment's (the lock order of its own transitions). */
  lock(tx: DbOrTx, payment: PaymentRow): Promise<void>;
  /** The money arrived, first confirmation only: move the thing, or give the money back. */
  paid(tx: DbOrTx, payment: PaymentRow): Promise<void>;
  /** What the payer sees once confirmed. */
  view(db: Db, payment: PaymentRow): Promise<unknown>;
  /** Whose payments are whose. */
  owner: Policy;
}

let subject: PaymentSubject | undefined;

export function registerPaymentSubject(s: PaymentSubject): void {
  subject = s;
}

function paidFor(): PaymentSubject {
  if (!subject) throw new Error('no module registered what payments pay for');
  return subject;
}

/** Ids of the payments of these orders, as a subquery (the owner policy of orders filters by it). */
export function paymentsOfOrders(db: DbOrTx, orderIds: SQLWrapper, paymentIds: string[]) {
  return db
    .select({ id: payments.id })
    .from(payments)
    .where(and(inArray(payments.orderId, orderIds), inArray(payments.id, paymentIds)));
}

/**
 * The path a provider's callback takes, and devpay's confirm. A replay changes nothing; money that
 * arrives for something already cancelled is refunded by its subject, never revived.
 */
export async function confirmPayment(
  { db, clock }: Pick<AppDeps, 'db' | 'clock'>,
  paymentId: string,
  providerRef: string,
): Promise<PaymentRow> {
  return db.transaction(async (tx) => {
    const seen = await paymentById(tx, paymentId);
    if (!seen) throw notFound('Payment');
    await paidFor().lock(tx, seen);
    const payment = await recordConfirmation(tx, paymentId, providerRef, clock.now());
    if (payment) await paidFor().paid(tx, payment);
    return payment ?? seen;
  });
}

/** devpay's stand-in for the provider's callback; it does not exist in production. */
export async function devConfirmPayment(
  deps: Pick<AppDeps, 'db' | 'config' | 'clock'>,
  actor: Actor,
  paymentId: string,
): Promise<unknown> {
  if (deps.config.NODE_ENV === 'production' || deps.config.PAYMENT_PROVIDER !== 'devpay') throw notFound();
  await requireAccess(deps.db, actor, paidFor().owner, paymentId);
  const payment = await confirmPayment(deps, paymentId, `devpay-${paymentId}`);
  return paidFor().view(deps.db, payment);
}

/** Every payment of these orders, for their views. */
export async function paymentsOfOrderIds(db: DbOrTx, orderIds: string[]): Promise<PaymentRow[]> {
  if (orderIds.length === 0) return [];
  return db.select().from(payments).where(inArray(payments.orderId, orderIds));
}

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

/** What registered subjects are called ('order', 'care_booking'). */
export type SubjectKind = string;

const ofSubject = (kind: SubjectKind, id: string) =>
  and(eq(payments.subject, kind), eq(payments.subjectId, id))!;

export async function latestPayment(
  db: DbOrTx,
  kind: SubjectKind,
  subjectId: string,
): Promise<PaymentRow | undefined> {
  const [p] = await db
    .select()
    .from(payments)
    .where(ofSubject(kind, subjectId))
    .orderBy(desc(payments.createdAt))
    .limit(1);
  return p;
}

/** One live payment per thing paid for: paying again hands back the pending one. */
export async function openPayment(
  tx: DbOrTx,
  deps: Pick<AppDeps, 'config'>,
  kind: SubjectKind,
  order: { id: string; totalFen: number; description: string },
): Promise<{ paymentId: string; provider: string; params: Record<string, string> }> {
  const provider = paymentProvider(deps.config.PAYMENT_PROVIDER);
  const existing = await latestPayment(tx, kind, order.id);
  const payment =
    existing?.status === 'pending'
      ? existing
      : (
          await tx
            .insert(payments)
            .values({
              subject: kind,
              subjectId: order.id,
              provider: provider.name,
              amountFen: order.totalFen,
            })
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

/** A thing cancelled before payment: its pending payment may no longer be confirmed as live. */
export async function closePendingPayment(tx: DbOrTx, kind: SubjectKind, subjectId: string): Promise<void> {
  await move(tx, ofSubject(kind, subjectId), 'close');
}

/**
 * Starts giving an order's money back: flips the succeeded payment to refunding and queues the
 * provider call. Idempotent: a second call finds nothing succeeded and does nothing.
 */
export async function startRefund(tx: DbOrTx, kind: SubjectKind, subjectId: string): Promise<boolean> {
  const rows = await move(tx, ofSubject(kind, subjectId), 'startRefund');
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
 * What a payment pays for. Payments know nothing of orders or care bookings; the module that takes
 * money registers, under its kind, how its thing is locked, moved when the money arrives, shown,
 * and whose payments are whose.
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

const subjects = new Map<SubjectKind, PaymentSubject>();

export function registerPaymentSubject(kind: SubjectKind, s: PaymentSubject): void {
  subjects.set(kind, s);
}

function paidFor(kind: SubjectKind): PaymentSubject {
  const s = subjects.get(kind);
  if (!s) throw new Error(`no module registered payments for ${kind}`);
  return s;
}

/** Ids of these payments for these things, as a subquery (the owner policy of a subject filters by it). */
export function paymentsOfSubjects(
  db: DbOrTx,
  kind: SubjectKind,
  subjectIds: SQLWrapper,
  paymentIds: string[],
) {
  return db
    .select({ id: payments.id })
    .from(payments)
    .where(
      and(
        eq(payments.subject, kind),
        inArray(payments.subjectId, subjectIds),
        inArray(payments.id, paymentIds),
      ),
    );
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
    const subject = paidFor(seen.subject);
    await subject.lock(tx, seen);
    const payment = await recordConfirmation(tx, paymentId, providerRef, clock.now());
    if (payment) await subject.paid(tx, payment);
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
  const seen = await paymentById(deps.db, paymentId);
  // The same 404 as for someone else's payment: the answer must not tell the two apart.
  if (!seen) throw notFound();
  const subject = paidFor(seen.subject);
  await requireAccess(deps.db, actor, subject.owner, paymentId);
  const payment = await confirmPayment(deps, paymentId, `devpay-${paymentId}`);
  return subject.view(deps.db, payment);
}

/** Every payment of these things, for their views. */
export async function paymentsOfSubjectIds(
  db: DbOrTx,
  kind: SubjectKind,
  ids: string[],
): Promise<PaymentRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(payments)
    .where(and(eq(payments.subject, kind), inArray(payments.subjectId, ids)));
}

import { and, desc, eq, inArray, type SQL, type SQLWrapper } from 'drizzle-orm';
import { paymentFlow } from 'shared';
import type { Actor } from '../../access/actor';
import { type Policy, requireAccess } from '../../access/require-access';
import type { Db, DbOrTx } from '../../db/client';
import { advance } from '../../db/flow-update';
import type { AppDeps } from '../../deps';
import { AppError, conflict, notFound } from '../../http/errors';
import { enqueue } from '../../jobs/outbox';
import { audit } from '../audit';
import { userById } from '../identity';
import { paymentCloseJob } from './jobs';
import { devpay, type PaymentProvider } from './provider';
import { payments } from './tables';
import { isWechatpayError, wechatpayConfigured, wechatpayProvider } from './wechatpay';

export type PaymentRow = typeof payments.$inferSelect;
type PaymentEvent = keyof typeof paymentFlow.transitions;
type Deps = Pick<AppDeps, 'db' | 'config' | 'clock'>;

export const move = (tx: DbOrTx, where: SQL, event: PaymentEvent, set: Partial<PaymentRow> = {}) =>
  advance(tx, payments, payments.status, paymentFlow, event, where, set);

/** What registered subjects are called ('order', 'care_booking'). */
export type SubjectKind = string;

const ofSubject = (kind: SubjectKind, id: string) =>
  and(eq(payments.subject, kind), eq(payments.subjectId, id))!;

/** The provider that took (or will take) a payment's money: stored on the row, never re-chosen. */
export function providerOf(config: AppDeps['config'], name: string): PaymentProvider {
  if (name === 'devpay') return devpay;
  if (name === 'wechatpay') {
    const p = wechatpayProvider(config);
    if (p) return p;
    throw new Error('a wechatpay payment, but WeChat Pay is not configured');
  }
  throw new Error(`unknown payment provider ${name}`);
}

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

/** A payment opened in the subject's transaction, to be prepared with the provider after it commits. */
export interface OpenedPayment {
  payment: PaymentRow;
  payerOpenid: string | null;
  description: string;
  expiresAt?: Date;
}

/**
 * One live payment per thing paid for: paying again hands back the pending one. Which provider
 * takes the money is decided here, once per payment: a payer signed in with WeChat (an openid)
 * pays with WeChat Pay when it is configured; anyone else with devpay, which production never has.
 * The payer is the person holding the phone (a family member paying for an elder pays themself).
 */
export async function openPayment(
  tx: DbOrTx,
  deps: Pick<AppDeps, 'config'>,
  kind: SubjectKind,
  thing: { id: string; totalFen: number; description: string; payBy?: Date },
  payer: { userId: string },
): Promise<OpenedPayment> {
  const openid = (await userById(tx, payer.userId))?.openid ?? null;
  const existing = await latestPayment(tx, kind, thing.id);
  const wechat = openid !== null && wechatpayConfigured(deps.config);
  const name = existing?.status === 'pending' ? existing.provider : wechat ? 'wechatpay' : 'devpay';
  // WeChat binds a prepay to the payer's openid: an elder and a family member cannot both hold the
  // same pending payment, and closing it under the first one could take their money twice.
  if (existing?.status === 'pending' && existing.payerOpenid && existing.payerOpenid !== openid)
    throw conflict(
      'PAYMENT_STARTED_BY_OTHER',
      'Someone else has started paying for this in WeChat; finish there, or wait until it times out',
    );
  if ((name === 'devpay' && deps.config.NODE_ENV === 'production') || (name === 'wechatpay' && !openid))
    throw conflict('PAYMENT_NEEDS_WECHAT', 'Payment needs WeChat Pay: open the mini-program in WeChat');
  const payment =
    existing?.status === 'pending'
      ? existing
      : (
          await tx
            .insert(payments)
            .values({ subject: kind, subjectId: thing.id, provider: name, amountFen: thing.totalFen })
            .returning()
        )[0]!;
  return { payment, payerOpenid: openid, description: thing.description, expiresAt: thing.payBy };
}

/**
 * Registers an opened payment with its provider, after the subject's transaction committed (no
 * network while a row lock is held), and keeps the prepay id for the next attempt to reuse.
 */
export async function preparePayment(
  deps: Deps,
  opened: OpenedPayment,
): Promise<{ paymentId: string; provider: string; params: Record<string, string> }> {
  const { payment } = opened;
  const provider = providerOf(deps.config, payment.provider);
  let prepared: Awaited<ReturnType<PaymentProvider['prepare']>>;
  try {
    prepared = await provider.prepare(
      payment,
      { openid: opened.payerOpenid },
      { description: opened.description, expiresAt: opened.expiresAt },
    );
  } catch (err) {
    if (isWechatpayError(err))
      throw Object.assign(
        new AppError(503, 'PAYMENT_UNAVAILABLE', 'WeChat Pay did not take the payment; try again shortly'),
        { cause: err },
      );
    throw err;
  }
  if (prepared.prepayId && prepared.prepayId !== payment.prepayId)
    await deps.db
      .update(payments)
      // The machine's clock, not the domain clock: WeChat's 2-hour prepay lifetime runs in real time.
      .set({ prepayId: prepared.prepayId, preparedAt: new Date(), payerOpenid: opened.payerOpenid })
      .where(and(eq(payments.id, payment.id), eq(payments.status, 'pending')));
  return { paymentId: payment.id, provider: provider.name, params: prepared.params };
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

/**
 * A thing cancelled before payment: its pending payment may no longer be confirmed as live, and
 * the provider's transaction is closed after commit (so the payer cannot pay it any more; money
 * that got in first is confirmed and refunded by the subject).
 */
export async function closePendingPayment(tx: DbOrTx, kind: SubjectKind, subjectId: string): Promise<void> {
  const closed = await move(tx, ofSubject(kind, subjectId), 'close');
  for (const p of closed)
    if (p.provider !== 'devpay') await enqueue(tx, paymentCloseJob, { paymentId: p.id });
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
  paid(tx: DbOrTx, payment: PaymentRow, deps: Pick<AppDeps, 'db' | 'config' | 'clock'>): Promise<void>;
  /** What the payer sees once confirmed. */
  view(db: Db, payment: PaymentRow): Promise<unknown>;
  /** Whose payments are whose. */
  owner: Policy;
  /** Ids of the things a staff member looks after, as a subquery (their failed refunds are theirs). */
  staffSees?: (db: DbOrTx, staffId: string) => SQLWrapper;
}

const subjects = new Map<SubjectKind, PaymentSubject>();

export function registerPaymentSubject(kind: SubjectKind, s: PaymentSubject): void {
  subjects.set(kind, s);
}

export const registeredSubjects = () => [...subjects.entries()];

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
 * The path a provider's notification takes, a reconciling query's, and devpay's confirm. A replay
 * changes nothing; money that arrives for something already cancelled is refunded by its subject,
 * never revived.
 */
export async function confirmPayment(
  { db, clock, config }: Pick<AppDeps, 'db' | 'clock' | 'config'>,
  paymentId: string,
  providerRef: string,
): Promise<PaymentRow> {
  return db.transaction(async (tx) => {
    const seen = await paymentById(tx, paymentId);
    if (!seen) throw notFound('Payment');
    const subject = paidFor(seen.subject);
    await subject.lock(tx, seen);
    const payment = await recordConfirmation(tx, paymentId, providerRef, clock.now());
    if (payment) {
      await audit(
        tx,
        null,
        'payment.confirmed',
        { type: 'payment', id: paymentId },
        { provider: payment.provider, providerRef, amountFen: payment.amountFen, from: seen.status },
      );
      await subject.paid(tx, payment, { db, config, clock });
    }
    return payment ?? seen;
  });
}

/** devpay's stand-in for the provider's callback; it does not exist in production. */
export async function devConfirmPayment(
  deps: Pick<AppDeps, 'db' | 'config' | 'clock'>,
  actor: Actor,
  paymentId: string,
): Promise<unknown> {
  if (deps.config.NODE_ENV === 'production') throw notFound();
  const seen = await paymentById(deps.db, paymentId);
  // The same 404 as for someone else's payment (or one WeChat Pay takes): the answer must not tell them apart.
  if (seen?.provider !== 'devpay') throw notFound();
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

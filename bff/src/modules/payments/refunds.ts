import { and, asc, desc, eq, inArray, ne, notExists, or, type SQL, sql } from 'drizzle-orm';
import { type PaymentRefundState, paymentRefundFlow, type StaffPaymentRefund } from 'shared';
import type { Actor } from '../../access/actor';
import { definePolicy, requireAccess } from '../../access/require-access';
import type { Db, DbOrTx } from '../../db/client';
import { advance } from '../../db/flow-update';
import type { AppDeps } from '../../deps';
import { conflict } from '../../http/errors';
import { enqueue } from '../../jobs/outbox';
import { audit } from '../audit';
import { paymentRefundJob } from './jobs';
import type { ProviderRefund, RefundOutcome } from './provider';
import {
  move,
  type PaymentRow,
  paymentById,
  providerOf,
  registeredSubjects,
  type SubjectKind,
} from './service';
import { paymentRefunds, payments } from './tables';

export type PaymentRefundRow = typeof paymentRefunds.$inferSelect;
type RefundEvent = keyof typeof paymentRefundFlow.transitions;
type Deps = Pick<AppDeps, 'db' | 'config' | 'clock'>;

/** A refund the provider is still processing is asked about again after this (a lost notification). */
export const REFUND_RECHECK_MS = 10 * 60_000;

const moveRefund = (tx: DbOrTx, id: string, event: RefundEvent, set: Partial<PaymentRefundRow> = {}) =>
  advance(tx, paymentRefunds, paymentRefunds.status, paymentRefundFlow, event, eq(paymentRefunds.id, id), {
    ...set,
    updatedAt: sql`now()`,
  });

/**
 * Reserves `amountFen` of a succeeded payment for a refund, or null when that would give back more
 * than was paid. One conditional UPDATE decides (concurrent refunds cannot overshoot): the refund
 * that takes the payment to its full amount also moves it to `refunding`.
 */
async function reserve(tx: DbOrTx, where: SQL, amountFen: number): Promise<PaymentRow | null> {
  const [full] = await move(
    tx,
    and(where, sql`${payments.refundedFen} + ${amountFen} = ${payments.amountFen}`)!,
    'startRefund',
    {
      refundedFen: sql`${payments.refundedFen} + ${amountFen}` as never,
    },
  );
  if (full) return full;
  const [part] = await tx
    .update(payments)
    .set({ refundedFen: sql`${payments.refundedFen} + ${amountFen}` })
    .where(
      and(
        where,
        eq(payments.status, 'succeeded'),
        sql`${payments.refundedFen} + ${amountFen} < ${payments.amountFen}`,
      ),
    )
    .returning();
  return part ?? null;
}

async function record(tx: DbOrTx, payment: PaymentRow, amountFen: number, reason: string) {
  const [r] = await tx
    .insert(paymentRefunds)
    .values({ paymentId: payment.id, amountFen, reason })
    .returning();
  await enqueue(tx, paymentRefundJob, { refundId: r!.id });
  return r!;
}

/**
 * Starts giving back what is left of a thing's payment (all of it, unless part was refunded
 * already) and queues the provider call. Idempotent: once nothing is left, it does nothing.
 */
export async function startRefund(
  tx: DbOrTx,
  kind: SubjectKind,
  subjectId: string,
  reason = '订单退款',
): Promise<boolean> {
  const live = await tx
    .select()
    .from(payments)
    .where(
      and(eq(payments.subject, kind), eq(payments.subjectId, subjectId), eq(payments.status, 'succeeded')),
    )
    .for('update');
  let started = false;
  for (const p of live) {
    const rest = p.amountFen - p.refundedFen;
    if (rest <= 0) continue;
    const reserved = await reserve(tx, eq(payments.id, p.id), rest);
    if (reserved) {
      await record(tx, reserved, rest, reason);
      started = true;
    }
  }
  return started;
}

/** Gives back part of a thing's payment; null when nothing succeeded or it would exceed what was paid. */
export async function startPartialRefund(
  tx: DbOrTx,
  kind: SubjectKind,
  subjectId: string,
  amountFen: number,
  reason: string,
): Promise<PaymentRefundRow | null> {
  if (!Number.isInteger(amountFen) || amountFen <= 0) throw new Error('a refund is a positive number of fen');
  const where = and(eq(payments.subject, kind), eq(payments.subjectId, subjectId))!;
  const reserved = await reserve(tx, where, amountFen);
  return reserved ? record(tx, reserved, amountFen, reason) : null;
}

const toProvider = (r: PaymentRefundRow, p: PaymentRow): ProviderRefund => ({
  refundId: r.id,
  payment: p,
  amountFen: r.amountFen,
  reason: r.reason,
});

/** A retryable provider failure: thrown from the job so BullMQ tries again with backoff. */
export class RefundRetryLater extends Error {
  constructor(readonly code: string) {
    super(`the refund failed at the provider (${code}); retrying later`);
    this.name = 'RefundRetryLater';
  }
}

const REFUND_OPEN = ['requested', 'processing', 'failed'] as const;

/** The job: asks the provider (with our refund id, so twice never pays twice) and records its answer. */
export async function runRefund(deps: Deps, refundId: string): Promise<boolean> {
  const [r] = await deps.db.select().from(paymentRefunds).where(eq(paymentRefunds.id, refundId));
  if (!r || !(REFUND_OPEN as readonly string[]).includes(r.status)) return false;
  const payment = (await paymentById(deps.db, r.paymentId))!;
  const provider = providerOf(deps.config, payment.provider);
  // Already with the provider: ask where it stands first (its notification may have been lost).
  const known = r.status === 'processing' ? await provider.queryRefund(toProvider(r, payment)) : null;
  const outcome = known ?? (await provider.refund(toProvider(r, payment)));
  const moved = await applyRefundOutcome(deps, r.id, outcome, { attempt: true });
  if (outcome.status === 'failed' && outcome.retryable) throw new RefundRetryLater(outcome.code);
  return moved;
}

/** The older payload: every open refund of a payment. */
export async function runRefundsOfPayment(deps: Deps, paymentId: string): Promise<boolean> {
  const open = await deps.db
    .select({ id: paymentRefunds.id })
    .from(paymentRefunds)
    .where(and(eq(paymentRefunds.paymentId, paymentId), inArray(paymentRefunds.status, [...REFUND_OPEN])))
    .orderBy(asc(paymentRefunds.createdAt));
  let moved = false;
  for (const r of open) moved = (await runRefund(deps, r.id)) || moved;
  return moved;
}

/**
 * Records what the provider said about a refund (from the job's call or a verified notification):
 * the refund moves at most once per outcome, and the payment becomes `refunded` when all of it is
 * back. The payment row is locked first so two refunds finishing at once cannot both miss that.
 */
export async function applyRefundOutcome(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  refundId: string,
  outcome: RefundOutcome,
  opts: { attempt: boolean },
): Promise<boolean> {
  return deps.db.transaction(async (tx) => {
    const [r] = await tx.select().from(paymentRefunds).where(eq(paymentRefunds.id, refundId));
    if (!r) return false;
    await tx.select({ id: payments.id }).from(payments).where(eq(payments.id, r.paymentId)).for('update');
    const attempts = opts.attempt ? sql`${paymentRefunds.attempts} + 1` : paymentRefunds.attempts;
    const now = deps.clock.now();
    let moved: PaymentRefundRow[];
    switch (outcome.status) {
      case 'succeeded':
        moved = await moveRefund(tx, r.id, 'succeed', {
          attempts: attempts as never,
          providerRefundId: outcome.providerRefundId ?? r.providerRefundId,
          lastError: null,
          succeededAt: now,
        });
        break;
      case 'processing':
        moved = await moveRefund(tx, r.id, 'submit', {
          attempts: attempts as never,
          providerRefundId: outcome.providerRefundId ?? r.providerRefundId,
          lastError: null,
        });
        // Asked again later in case its notification is lost: soon after WeChat took it, then less
        // often (a refund to a bank card may take days).
        if (moved.length || (opts.attempt && r.status === 'processing'))
          await enqueue(
            tx,
            paymentRefundJob,
            { refundId: r.id },
            { delayMs: REFUND_RECHECK_MS * Math.min(Math.max(r.attempts, 1), 12) },
          );
        if (!moved.length && opts.attempt && r.status === 'processing')
          await tx
            .update(paymentRefunds)
            .set({ attempts: sql`${paymentRefunds.attempts} + 1`, updatedAt: sql`now()` })
            .where(eq(paymentRefunds.id, r.id));
        break;
      case 'abnormal':
        moved = await moveRefund(tx, r.id, 'abnormal', {
          attempts: attempts as never,
          providerRefundId: outcome.providerRefundId ?? r.providerRefundId,
          lastError: 'ABNORMAL',
        });
        break;
      case 'closed':
        moved = await moveRefund(tx, r.id, 'fail', { attempts: attempts as never, lastError: 'CLOSED' });
        break;
      case 'failed':
        moved = await moveRefund(tx, r.id, 'fail', { attempts: attempts as never, lastError: outcome.code });
        break;
    }
    if (moved.length === 0) return false;
    if (outcome.status === 'succeeded') {
      await move(
        tx,
        and(
          eq(payments.id, r.paymentId),
          sql`${payments.refundedFen} = ${payments.amountFen}`,
          notExists(
            tx
              .select({ id: paymentRefunds.id })
              .from(paymentRefunds)
              .where(and(eq(paymentRefunds.paymentId, r.paymentId), ne(paymentRefunds.status, 'succeeded'))),
          ),
        )!,
        'finishRefund',
        { refundedAt: now },
      );
    } else if (outcome.status !== 'processing') {
      await audit(
        tx,
        null,
        outcome.status === 'abnormal' ? 'payment.refund_abnormal' : 'payment.refund_failed',
        { type: 'payment_refund', id: r.id },
        { code: moved[0]!.lastError, amountFen: r.amountFen, paymentId: r.paymentId },
      );
    }
    return true;
  });
}

const toState = (r: PaymentRefundRow): PaymentRefundState => ({
  id: r.id,
  status: r.status,
  amountFen: r.amountFen,
  lastError: r.lastError,
  attempts: r.attempts,
  updatedAt: r.updatedAt.toISOString(),
});

/** The refunds of these things' payments by thing id, oldest first, for their views. */
export async function refundsOfSubjects(
  db: DbOrTx,
  kind: SubjectKind,
  ids: string[],
): Promise<Map<string, PaymentRefundState[]>> {
  const out = new Map<string, PaymentRefundState[]>();
  if (ids.length === 0) return out;
  const rows = await db
    .select({ refund: paymentRefunds, subjectId: payments.subjectId })
    .from(paymentRefunds)
    .innerJoin(payments, eq(payments.id, paymentRefunds.paymentId))
    .where(and(eq(payments.subject, kind), inArray(payments.subjectId, ids)))
    .orderBy(asc(paymentRefunds.createdAt));
  for (const { refund, subjectId } of rows)
    out.set(subjectId, [...(out.get(subjectId) ?? []), toState(refund)]);
  return out;
}

/** Staff see the refunds of the things they look after (each subject says which those are). */
function staffScope(db: DbOrTx, staffId: string): SQL | undefined {
  const parts = registeredSubjects().flatMap(([kind, s]) =>
    s.staffSees
      ? [and(eq(payments.subject, kind), inArray(payments.subjectId, s.staffSees(db, staffId)))!]
      : [],
  );
  return parts.length ? or(...parts) : sql`false`;
}

export const paymentRefundStaff = definePolicy('payment_refund.staff', (db, actor, list) =>
  db
    .select({ id: paymentRefunds.id })
    .from(paymentRefunds)
    .innerJoin(payments, eq(payments.id, paymentRefunds.paymentId))
    .where(and(inArray(paymentRefunds.id, list), staffScope(db, actor.actorId))),
);

const staffView = (r: PaymentRefundRow, p: PaymentRow): StaffPaymentRefund => ({
  ...toState(r),
  paymentId: p.id,
  subject: p.subject,
  subjectId: p.subjectId,
  provider: p.provider,
  reason: r.reason,
  createdAt: r.createdAt.toISOString(),
});

/** Refunds the provider has not carried out, newest first, of what the staff member looks after. */
export async function staffPaymentRefunds(
  db: Db,
  actor: Actor,
  status?: 'failed' | 'abnormal',
): Promise<{ items: StaffPaymentRefund[] }> {
  const rows = await db
    .select({ r: paymentRefunds, p: payments })
    .from(paymentRefunds)
    .innerJoin(payments, eq(payments.id, paymentRefunds.paymentId))
    .where(
      and(
        status ? eq(paymentRefunds.status, status) : inArray(paymentRefunds.status, ['failed', 'abnormal']),
        staffScope(db, actor.actorId),
      ),
    )
    .orderBy(desc(paymentRefunds.updatedAt))
    .limit(200);
  return { items: rows.map(({ r, p }) => staffView(r, p)) };
}

/** Staff ask the provider again: the same refund id, so a refund that did go through is not paid twice. */
export async function retryPaymentRefund(db: Db, actor: Actor, id: string): Promise<StaffPaymentRefund> {
  await requireAccess(db, actor, paymentRefundStaff, id);
  return db.transaction(async (tx) => {
    const [r] = await moveRefund(tx, id, 'retry');
    if (!r)
      throw conflict('PAYMENT_REFUND_NOT_RETRYABLE', 'This refund is not failed; there is nothing to retry');
    await enqueue(tx, paymentRefundJob, { refundId: id });
    await audit(
      tx,
      actor,
      'payment.refund_retried',
      { type: 'payment_refund', id },
      { lastError: r.lastError },
    );
    return staffView(r, (await paymentById(tx, r.paymentId))!);
  });
}

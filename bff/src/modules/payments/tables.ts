import { sql } from 'drizzle-orm';
import { check, index, integer, pgEnum, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { paymentFlow, paymentRefundFlow } from 'shared';
import { createdAt, enumValues, idColumn, tstz } from '../../db/schema/_columns';

export const paymentStatusEnum = pgEnum('payment_status', enumValues(paymentFlow.states));
export const paymentRefundStatusEnum = pgEnum('payment_refund_status', enumValues(paymentRefundFlow.states));

export const payments = pgTable(
  'payments',
  {
    id: idColumn(),
    /** What the money is for ('order', 'care_booking'): the module that registered it moves it. */
    subject: text('subject').notNull().default('order'),
    subjectId: uuid('subject_id').notNull(),
    /** Who took the money ('devpay', 'wechatpay'): its queries, closes and refunds go there. */
    provider: text('provider').notNull(),
    amountFen: integer('amount_fen').notNull(),
    status: paymentStatusEnum('status').notNull().default('pending'),
    providerRef: text('provider_ref'),
    /** The provider's prepay id (WeChat: valid 2 hours) and for whom it was made, reused while valid. */
    prepayId: text('prepay_id'),
    preparedAt: tstz('prepared_at'),
    payerOpenid: text('payer_openid'),
    /** Sum of this payment's refunds that are not given up: one conditional UPDATE keeps it <= amount. */
    refundedFen: integer('refunded_fen').notNull().default(0),
    succeededAt: tstz('succeeded_at'),
    refundedAt: tstz('refunded_at'),
    createdAt: createdAt(),
  },
  (t) => [
    // One payment attempt that can still take or hold money per thing paid for.
    uniqueIndex('payments_one_live_per_subject')
      .on(t.subject, t.subjectId)
      .where(sql`${t.status} IN ('pending', 'succeeded', 'refunding')`),
    check('payments_amount_positive', sql`${t.amountFen} > 0`),
    check(
      'payments_refunded_within_amount',
      sql`${t.refundedFen} >= 0 AND ${t.refundedFen} <= ${t.amountFen}`,
    ),
  ],
);

/** One refund of a payment; its id (hex, no hyphens) is the provider's out_refund_no. */
export const paymentRefunds = pgTable(
  'payment_refunds',
  {
    id: idColumn(),
    paymentId: uuid('payment_id')
      .notNull()
      .references(() => payments.id),
    amountFen: integer('amount_fen').notNull(),
    reason: text('reason').notNull(),
    status: paymentRefundStatusEnum('status').notNull().default('requested'),
    /** Provider calls made for it. */
    attempts: integer('attempts').notNull().default(0),
    /** The provider's code of the last failure (NOT_ENOUGH, SYSTEM_ERROR, ABNORMAL, ...). */
    lastError: text('last_error'),
    /** The provider's id for it (WeChat's refund_id). */
    providerRefundId: text('provider_refund_id'),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
    succeededAt: tstz('succeeded_at'),
  },
  (t) => [
    index('payment_refunds_payment').on(t.paymentId),
    // The staff list reads the refunds that need someone.
    index('payment_refunds_attention').on(t.status).where(sql`${t.status} IN ('failed', 'abnormal')`),
    check('payment_refunds_amount_positive', sql`${t.amountFen} > 0`),
  ],
);

import { sql } from 'drizzle-orm';
import { check, integer, pgEnum, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { paymentFlow } from 'shared';
import { createdAt, enumValues, idColumn, tstz } from '../../db/schema/_columns';

export const paymentStatusEnum = pgEnum('payment_status', enumValues(paymentFlow.states));

export const payments = pgTable(
  'payments',
  {
    id: idColumn(),
    /** What the money is for ('order', 'care_booking'): the module that registered it moves it. */
    subject: text('subject').notNull().default('order'),
    subjectId: uuid('subject_id').notNull(),
    provider: text('provider').notNull(),
    amountFen: integer('amount_fen').notNull(),
    status: paymentStatusEnum('status').notNull().default('pending'),
    providerRef: text('provider_ref'),
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
  ],
);

import { sql } from 'drizzle-orm';
import { check, integer, pgEnum, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { paymentFlow } from 'shared';
import { createdAt, enumValues, idColumn, tstz } from '../../db/schema/_columns';
import { orders } from '../orders/tables';

export const paymentStatusEnum = pgEnum('payment_status', enumValues(paymentFlow.states));

export const payments = pgTable(
  'payments',
  {
    id: idColumn(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    provider: text('provider').notNull(),
    amountFen: integer('amount_fen').notNull(),
    status: paymentStatusEnum('status').notNull().default('pending'),
    providerRef: text('provider_ref'),
    succeededAt: tstz('succeeded_at'),
    refundedAt: tstz('refunded_at'),
    createdAt: createdAt(),
  },
  (t) => [
    // One payment attempt that can still take or hold money per order.
    uniqueIndex('payments_one_live_per_order')
      .on(t.orderId)
      .where(sql`${t.status} IN ('pending', 'succeeded', 'refunding')`),
    check('payments_amount_positive', sql`${t.amountFen} > 0`),
  ],
);

import { sql } from 'drizzle-orm';
import { boolean, integer, jsonb, pgEnum, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { refundFlow } from 'shared';
import { createdAt, enumValues, idColumn, tstz } from '../../db/schema/_columns';
import { orders } from '../orders/tables';

export const refundStatusEnum = pgEnum('refund_status', enumValues(refundFlow.states));

export const refunds = pgTable(
  'refunds',
  {
    id: idColumn(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    status: refundStatusEnum('status').notNull().default('requested'),
    reason: text('reason').notNull(),
    photos: jsonb('photos').$type<string[]>().notNull().default([]),
    amountFen: integer('amount_fen').notNull(),
    merchantNote: text('merchant_note'),
    autoApproved: boolean('auto_approved').notNull().default(false),
    decidedAt: tstz('decided_at'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('refunds_one_open_per_order')
      .on(t.orderId)
      .where(sql`${t.status} IN ('requested', 'approved')`),
  ],
);

import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { wechatDeliveryFlow } from 'shared';
import { createdAt, enumValues, idColumn, tstz } from '../../db/schema/_columns';
import { users } from '../identity/tables';

/** The in-app inbox: every notification lands here, whatever else is sent. */
export const notifications = pgTable(
  'notifications',
  {
    id: idColumn(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    link: text('link'),
    /** One event notifies a person once, however often it is replayed. */
    dedupeKey: text('dedupe_key').notNull(),
    readAt: tstz('read_at'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('notifications_dedupe').on(t.userId, t.dedupeKey),
    index('notifications_user_recent').on(t.userId, t.createdAt),
  ],
);

export const deliveryStatusEnum = pgEnum('delivery_status', enumValues(wechatDeliveryFlow.states));

/** One WeChat subscribe-message delivery per notification; its status makes sends idempotent. */
export const wechatDeliveries = pgTable('wechat_deliveries', {
  notificationId: uuid('notification_id')
    .primaryKey()
    .references(() => notifications.id, { onDelete: 'cascade' }),
  /** The purpose (e.g. reviewResult); its template id comes from config at send time. */
  template: text('template').notNull(),
  /** Template fields; UTC instants among them are shown in TZ_DISPLAY when sent. */
  data: jsonb('data').$type<Record<string, string>>().notNull(),
  /** Mini-program page the message opens, without a leading slash. */
  page: text('page'),
  status: deliveryStatusEnum('status').notNull().default('pending'),
  /** The user's quota is spent once per delivery, however often the send is retried. */
  quotaTaken: boolean('quota_taken').notNull().default(false),
  attempts: integer('attempts').notNull().default(0),
  /** When a worker took the send; a 'sending' row older than the lease is taken over (crashed worker). */
  claimedAt: tstz('claimed_at'),
  lastError: text('last_error'),
  sentAt: tstz('sent_at'),
  createdAt: createdAt(),
});

/** One accepted requestSubscribeMessage tap grants one send of that template to that user. */
export const subscribeQuotas = pgTable(
  'subscribe_quotas',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    templateId: text('template_id').notNull(),
    remaining: integer('remaining').notNull().default(0),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.templateId] }),
    check('subscribe_quotas_non_negative', sql`${t.remaining} >= 0`),
  ],
);

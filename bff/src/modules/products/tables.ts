import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgEnum, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { TEMPERATURES } from 'shared';
import { createdAt, idColumn, tstz } from '../../db/schema/_columns';
import { merchants } from '../merchants/tables';

export const temperatureEnum = pgEnum('temperature', TEMPERATURES);
export const sizeHintEnum = pgEnum('size_hint', ['S', 'M', 'L']);

export const products = pgTable(
  'products',
  {
    id: idColumn(),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id),
    name: text('name').notNull(),
    category: text('category').notNull(),
    unit: text('unit').notNull(),
    description: text('description').notNull().default(''),
    priceFen: integer('price_fen').notNull(),
    originalPriceFen: integer('original_price_fen'),
    /** Reserved at order creation by one conditional UPDATE; released when an order is cancelled. */
    stock: integer('stock').notNull(),
    perOrderLimit: integer('per_order_limit'),
    lowStockThreshold: integer('low_stock_threshold').notNull().default(5),
    temperature: temperatureEnum('temperature').notNull().default('ambient'),
    sizeHint: sizeHintEnum('size_hint').notNull().default('S'),
    /**
     * The product's pictures: ids of `product` uploads attached to it, in the merchant's order (the
     * column kept its name from when it held typed-in URLs; attachedImages skips anything else).
     */
    imageIds: text('images').array().notNull().default(sql`'{}'::text[]`),
    onShelf: boolean('on_shelf').notNull().default(true),
    sortOrder: integer('sort_order').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    check('products_stock_non_negative', sql`${t.stock} >= 0`),
    check('products_price_positive', sql`${t.priceFen} > 0`),
    check('products_limit_positive', sql`${t.perOrderLimit} IS NULL OR ${t.perOrderLimit} > 0`),
    index('products_merchant_sort').on(t.merchantId, t.sortOrder, t.id),
  ],
);

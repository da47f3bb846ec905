import { and, asc, eq, gt, ilike, inArray, or, type SQL, sql } from 'drizzle-orm';
import {
  type CreateProductBody,
  Id,
  type ImageRef,
  type MerchantProduct,
  type Product,
  type UpdateProductBody,
} from 'shared';
import type { z } from 'zod';
import type { Actor } from '../../access/actor';
import { requireAccess } from '../../access/require-access';
import type { Db, DbOrTx } from '../../db/client';
import { badRequest, describeConstraint } from '../../http/errors';
import { audit } from '../audit';
import { escapeLike, listedShops, type MerchantRow, shopOf, shopsByIds, takesOrdersAt } from '../merchants';
import { attachedImages, attachUploads } from '../uploads';
import { productManage } from './policies';
import { products } from './tables';

describeConstraint('products_stock_non_negative', 'STOCK_INSUFFICIENT', 'Stock cannot go below zero');

export type ProductRow = typeof products.$inferSelect;

/** Each product's pictures as URLs, in the merchant's order (one query for a whole page). */
export async function productImages(db: DbOrTx, rows: ProductRow[]): Promise<Map<string, ImageRef[]>> {
  return attachedImages(db, 'product', new Map(rows.map((p) => [p.id, p.imageIds])));
}

function toProduct(p: ProductRow, shop: MerchantRow, now: Date, images: ImageRef[]): Product {
  return {
    id: p.id,
    merchantId: p.merchantId,
    name: p.name,
    category: p.category,
    unit: p.unit,
    description: p.description,
    priceFen: p.priceFen,
    originalPriceFen: p.originalPriceFen,
    stock: p.stock,
    perOrderLimit: p.perOrderLimit,
    temperature: p.temperature,
    sizeHint: p.sizeHint,
    images,
    onShelf: p.onShelf,
    sortOrder: p.sortOrder,
    soldOut: p.stock === 0,
    shopOpen: takesOrdersAt(shop, now),
  };
}

const toMerchantProduct = (
  p: ProductRow,
  shop: MerchantRow,
  now: Date,
  images: ImageRef[],
): MerchantProduct => ({
  ...toProduct(p, shop, now, images),
  lowStockThreshold: p.lowStockThreshold,
});

const encodeCursor = (p: { sortOrder: number; id: string }) =>
  Buffer.from(`${p.sortOrder}|${p.id}`).toString('base64url');

function decodeCursor(cursor: string): { sortOrder: number; id: string } {
  const [order, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const sortOrder = Number(order);
  // Checked to the column types (uuid, int4): a forged cursor is a 400, not a 500.
  if (!id || !Id.safeParse(id).success || !Number.isInteger(sortOrder) || Math.abs(sortOrder) > 2 ** 31 - 1)
    throw badRequest('VALIDATION_FAILED', 'Some fields are invalid', [
      { path: 'querystring.cursor', message: 'is not a cursor we issued' },
    ]);
  return { sortOrder, id };
}

/** What the catalog shows: on-shelf products of listed shops, by shop or community. */
function catalogFilters(db: Db, q: { communityId?: string; merchantId?: string }): SQL[] {
  const where: SQL[] = [
    eq(products.onShelf, true),
    inArray(products.merchantId, listedShops(db, q.communityId)),
  ];
  if (q.merchantId) where.push(eq(products.merchantId, q.merchantId));
  return where;
}

/**
 * The catalog: on-shelf products of listed shops, by community, shop, category or keyword, in the
 * merchants' own order. Sold-out items and closed shops stay visible, flagged, so a resident
 * knows to come back.
 */
export async function listProducts(
  db: Db,
  q: {
    communityId?: string;
    merchantId?: string;
    category?: string;
    q?: string;
    cursor?: string;
    limit: number;
  },
  now: Date,
): Promise<{ items: Product[]; nextCursor: string | null }> {
  const where = catalogFilters(db, q);
  if (q.category) where.push(eq(products.category, q.category));
  if (q.q) where.push(ilike(products.name, `%${escapeLike(q.q)}%`));
  if (q.cursor) {
    const c = decodeCursor(q.cursor);
    where.push(
      or(
        gt(products.sortOrder, c.sortOrder),
        and(eq(products.sortOrder, c.sortOrder), gt(products.id, c.id)),
      )!,
    );
  }
  const found = await db
    .select()
    .from(products)
    .where(and(...where))
    .orderBy(asc(products.sortOrder), asc(products.id))
    .limit(q.limit + 1);
  const shops = await shopsByIds(
    db,
    found.slice(0, q.limit).map((p) => p.merchantId),
  );
  const page = found.slice(0, q.limit);
  const images = await productImages(db, page);
  return {
    items: page.map((p) => toProduct(p, shops.get(p.merchantId)!, now, images.get(p.id) ?? [])),
    nextCursor: found.length > q.limit ? encodeCursor(page[page.length - 1]!) : null,
  };
}

/** On-sale categories with how many products each has, most stocked first. */
export async function listCategories(db: Db, q: { communityId?: string; merchantId?: string }) {
  const rows = await db
    .select({ name: products.category, count: sql<number>`count(*)::int` })
    .from(products)
    .where(and(...catalogFilters(db, q)))
    .groupBy(products.category)
    .orderBy(sql`count(*) DESC`, asc(products.category));
  return { items: rows };
}

export async function merchantProducts(
  db: Db,
  actor: Actor,
  now: Date,
): Promise<{ items: MerchantProduct[] }> {
  const shop = await shopOf(db, actor);
  const rows = await db
    .select()
    .from(products)
    .where(eq(products.merchantId, shop.id))
    .orderBy(asc(products.sortOrder), asc(products.id));
  const images = await productImages(db, rows);
  return { items: rows.map((p) => toMerchantProduct(p, shop, now, images.get(p.id) ?? [])) };
}

export async function createProduct(
  db: Db,
  actor: Actor,
  body: z.output<typeof CreateProductBody>,
  now: Date,
): Promise<MerchantProduct> {
  return db.transaction(async (tx) => {
    const shop = await shopOf(tx, actor);
    const [p] = await tx
      .insert(products)
      .values({ ...body, merchantId: shop.id })
      .returning();
    // The merchant's own unused product pictures only: a stranger's id fails like a missing one.
    await attachUploads(tx, {
      ownerId: actor.userId,
      ids: body.imageIds,
      to: { type: 'product', id: p!.id },
      path: 'body.imageIds',
    });
    await audit(tx, actor, 'product.created', { type: 'product', id: p!.id }, { name: body.name });
    return toMerchantProduct(p!, shop, now, (await productImages(tx, [p!])).get(p!.id) ?? []);
  });
}

export async function updateProduct(
  db: Db,
  actor: Actor,
  id: string,
  body: z.output<typeof UpdateProductBody>,
  now: Date,
): Promise<MerchantProduct> {
  await requireAccess(db, actor, productManage, id);
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(products).where(eq(products.id, id)).for('update');
    const price = body.priceFen ?? current!.priceFen;
    const original = body.originalPriceFen !== undefined ? body.originalPriceFen : current!.originalPriceFen;
    if (original !== null && original < price)
      throw badRequest('VALIDATION_FAILED', 'Some fields are invalid', [
        { path: 'body.originalPriceFen', message: 'must not be below the price' },
      ]);
    if (body.imageIds) {
      // Pictures kept from before are already this product's; only new ones are attached.
      const added = body.imageIds.filter((i) => !current!.imageIds.includes(i));
      await attachUploads(tx, {
        ownerId: actor.userId,
        ids: added,
        to: { type: 'product', id },
        path: 'body.imageIds',
      });
    }
    const [p] = await tx
      .update(products)
      .set({ ...body, updatedAt: sql`now()` })
      .where(eq(products.id, id))
      .returning();
    await audit(tx, actor, 'product.updated', { type: 'product', id }, body);
    const images = await productImages(tx, [p!]);
    return toMerchantProduct(p!, await shopOf(tx, actor), now, images.get(id) ?? []);
  });
}

export async function productsByIds(db: DbOrTx, ids: string[]): Promise<ProductRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(products).where(inArray(products.id, ids));
}

export interface Reserved {
  productId: string;
  stock: number;
  lowStockThreshold: number;
  quantity: number;
  name: string;
}

/**
 * Takes stock for one order line in one conditional statement: it either finds enough stock and
 * takes it, or changes nothing. Callers reserve lines in product-id order so two multi-line
 * orders never wait on each other's rows in opposite orders.
 */
export async function reserveStock(
  tx: DbOrTx,
  merchantId: string,
  productId: string,
  quantity: number,
): Promise<Reserved | null> {
  const [row] = await tx
    .update(products)
    .set({ stock: sql`${products.stock} - ${quantity}` })
    .where(
      and(
        eq(products.id, productId),
        eq(products.merchantId, merchantId),
        eq(products.onShelf, true),
        sql`${products.stock} >= ${quantity}`,
      ),
    )
    .returning({ stock: products.stock, lowStockThreshold: products.lowStockThreshold, name: products.name });
  return row ? { productId, quantity, ...row } : null;
}

const STOCK_SHORT = 'linli:stock_short';
const STOCK_THRESHOLD = 'linli:stock_threshold';

/**
 * reserveStock for a caller that sends COMMIT right behind it without waiting for the answer
 * (checkout, so that nothing waits for the app while the product's row is locked). Then a
 * statement that merely reports "not enough" would let the COMMIT through, so this one fails
 * (aborting the transaction, which turns the COMMIT into a rollback) unless it took the stock
 * without taking it across the low-stock threshold: the order that crosses it must raise the
 * alert in its transaction, so it comes back as 'threshold' to be placed again with
 * reserveStock, waiting for the answer. The failure is a cast of a word to int (SQL has no
 * RAISE outside a function); the word says why.
 */
export async function takeStockOrAbort(
  tx: DbOrTx,
  merchantId: string,
  productId: string,
  quantity: number,
): Promise<'taken' | 'short' | 'threshold'> {
  try {
    await tx.execute(sql`
      WITH taken AS (
        UPDATE products SET stock = stock - ${quantity}
        WHERE id = ${productId} AND merchant_id = ${merchantId} AND on_shelf AND stock >= ${quantity}
        RETURNING stock, low_stock_threshold)
      SELECT (CASE
        WHEN NOT EXISTS (SELECT FROM taken) THEN ${sql.raw(`'${STOCK_SHORT}'`)}
        WHEN EXISTS (SELECT FROM taken WHERE stock <= low_stock_threshold
          AND stock + ${quantity} > low_stock_threshold) THEN ${sql.raw(`'${STOCK_THRESHOLD}'`)}
        ELSE '1' END)::int AS taken`);
    return 'taken';
  } catch (err) {
    const pg = (err as { cause?: { code?: string; message?: string } }).cause ?? (err as { code?: string });
    const message = (pg as { message?: string }).message ?? '';
    if (pg.code === '22P02' && message.includes(STOCK_SHORT)) return 'short';
    if (pg.code === '22P02' && message.includes(STOCK_THRESHOLD)) return 'threshold';
    throw err;
  }
}

/** Gives a cancelled order's stock back; called once, by the transition that cancels. */
export async function releaseStock(
  tx: DbOrTx,
  lines: { productId: string; quantity: number }[],
): Promise<void> {
  for (const l of [...lines].sort((a, b) => a.productId.localeCompare(b.productId)))
    await tx
      .update(products)
      .set({ stock: sql`${products.stock} + ${l.quantity}` })
      .where(eq(products.id, l.productId));
}

import { and, asc, eq, gt, ilike, inArray, or, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
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
import { type Bindable, type Bound, compiledSelect } from '../../db/compiled';
import { rowsFromJson, rowsJson } from '../../db/json-rows';
import { badRequest, describeConstraint } from '../../http/errors';
import { audit } from '../audit';
import {
  escapeLike,
  listedShops,
  type MerchantRow,
  shopIdOf,
  shopOf,
  shopsByIds,
  takesOrdersAt,
} from '../merchants';
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
  const [shop, rows] = await Promise.all([
    shopOf(db, actor),
    db
      .select()
      .from(products)
      .where(inArray(products.merchantId, shopIdOf(db, actor)))
      .orderBy(asc(products.sortOrder), asc(products.id)),
  ]);
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
  return productsWithIds(db, { ids });
}

/**
 * The products with these ids as a JSON value, for a caller that reads them within a statement of
 * its own (checkout); `productsFromJson` reads them back.
 */
export const productsJson = (ids: SQLWrapper): SQL =>
  rowsJson(products, sql`${products.id} = ANY(${ids}::uuid[])`);

export const productsFromJson = (json: unknown): ProductRow[] => rowsFromJson(products, json);

const productsWithIds = compiledSelect<{ ids: string[] }, ReturnType<typeof selectProducts>>((db, p) =>
  selectProducts(db, p('ids')),
);
const selectProducts = (db: DbOrTx, ids: SQLWrapper) =>
  db.select().from(products).where(sql`${products.id} = ANY(${ids}::uuid[])`);

export interface Reserved {
  productId: string;
  stock: number;
  lowStockThreshold: number;
  quantity: number;
  name: string;
}

/**
 * The stock step of an order's write, as a statement for the caller to run inside that write (a
 * data-modifying CTE): each line's quantity comes off its product, if the product is this shop's,
 * on the shelf and has enough. It answers one row per line it took, as `Reserved`'s columns
 * (product_id, stock left, low_stock_threshold, name, quantity); a line it did not take changed
 * nothing, and the caller must then fail the whole write. Stock never goes below zero: the
 * condition is re-read on the locked row.
 *
 * The lines come as two arrays (`stockLines` makes them), so the statement's text is the same for
 * any number of lines and can be built once with placeholders. They are in product-id order, and
 * the rows are locked in that order, so two multi-line orders lock shared rows in the same order.
 */
export function takeStockStatement(merchantId: Bindable<string>, lines: Bound<StockLines>): SQL {
  // The rows are locked first, in id order, by a subquery run once before any row is updated:
  // the join's own order is the plan's to choose, and a prepared statement's plan can differ
  // from one connection to the next (two orders locking in opposite orders deadlock).
  return sql`UPDATE products AS p SET stock = p.stock - v.quantity
    FROM unnest(${lines.productIds}::uuid[], ${lines.quantities}::int[]) AS v (product_id, quantity)
    WHERE p.id = v.product_id AND p.merchant_id = ${merchantId} AND p.on_shelf AND p.stock >= v.quantity
      AND (SELECT count(*) FROM (SELECT FROM products WHERE id = ANY(${lines.productIds}::uuid[])
        ORDER BY id FOR NO KEY UPDATE) AS locked) >= 0
    RETURNING p.id AS product_id, p.stock, p.low_stock_threshold, p.name, v.quantity`;
}

export interface StockLines {
  productIds: string[];
  quantities: number[];
}

/** An order's lines as `takeStockStatement` takes them: in product-id order. */
export function stockLines(lines: readonly { productId: string; quantity: number }[]): StockLines {
  const sorted = [...lines].sort((a, b) =>
    a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0,
  );
  return { productIds: sorted.map((l) => l.productId), quantities: sorted.map((l) => l.quantity) };
}

/** Whether taking `quantity` left `stock` at or under the threshold it was above: the alert's moment. */
export const crossedLowStock = (r: Pick<Reserved, 'stock' | 'lowStockThreshold' | 'quantity'>) =>
  r.stock <= r.lowStockThreshold && r.stock + r.quantity > r.lowStockThreshold;

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

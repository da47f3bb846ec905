import { and, eq, sql } from 'drizzle-orm';
import sharp from 'sharp';
import type { DbOrTx } from '../../db/client';
import { DEMO_MERCHANTS } from '../../demo';
import type { SeedContext, SeedStore } from '../../module';
import { shopsOwnedBy } from '../merchants';
import { storeAttachedImage } from '../uploads';
import { productArt } from './art';
import { products } from './tables';

/**
 * The demo shops' products: the missing ones are inserted, existing ones left alone, so stock (and
 * anything a merchant edited) survives a re-seed.
 */
export async function seedProducts(tx: DbOrTx, ctx: SeedContext): Promise<void> {
  for (const m of DEMO_MERCHANTS) {
    const [shop] = await shopsOwnedBy(tx, ctx.ids.get(m.ownerPhone)!);
    const merchantId = shop!.id;
    const existing = await tx
      .select({ name: products.name })
      .from(products)
      .where(eq(products.merchantId, merchantId));
    const have = new Set(existing.map((p) => p.name));
    const missing = m.products
      .map((p, i) => ({
        merchantId,
        name: p.name,
        category: p.category,
        unit: p.unit,
        description: p.description ?? '',
        priceFen: p.priceFen,
        originalPriceFen: p.originalPriceFen ?? null,
        stock: p.stock,
        perOrderLimit: p.perOrderLimit ?? null,
        lowStockThreshold: p.lowStockThreshold ?? 5,
        temperature: p.temperature ?? 'ambient',
        sizeHint: p.sizeHint ?? 'S',
        onShelf: p.onShelf ?? true,
        sortOrder: (i + 1) * 10,
      }))
      .filter((p) => !have.has(p.name));
    if (missing.length > 0) await tx.insert(products).values(missing);
    if (ctx.store) await seedProductImages(tx, ctx.store, merchantId, ctx.ids.get(m.ownerPhone)!);
  }
}

/** A drawing is small; this only guards the renderer against a runaway SVG. */
const ART_MAX_PIXELS = 1_000_000;

/**
 * Gives each of a demo shop's products without a picture its drawing, stored through the uploads
 * module as the owner's `product` upload, as if the merchant had uploaded it. A picture a merchant
 * chose (or removed) is left alone on a re-seed, because only products with no images are drawn.
 */
export async function seedProductImages(
  tx: DbOrTx,
  store: SeedStore,
  merchantId: string,
  ownerId: string,
): Promise<number> {
  const bare = await tx
    .select({ id: products.id, name: products.name })
    .from(products)
    .where(and(eq(products.merchantId, merchantId), sql`cardinality(${products.imageIds}) = 0`));
  let drawn = 0;
  for (const p of bare) {
    const svg = productArt(p.name);
    if (!svg) continue;
    const png = await sharp(Buffer.from(svg)).png().toBuffer();
    const id = await storeAttachedImage(
      tx,
      { store, maxPixels: ART_MAX_PIXELS },
      { ownerId, data: png, to: { type: 'product', id: p.id } },
    );
    await tx
      .update(products)
      .set({ imageIds: [id] })
      .where(eq(products.id, p.id));
    drawn++;
  }
  return drawn;
}

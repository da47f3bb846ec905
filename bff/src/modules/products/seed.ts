import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { DEMO_MERCHANTS } from '../../demo';
import type { SeedContext } from '../../module';
import { shopsOwnedBy } from '../merchants';
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
  }
}

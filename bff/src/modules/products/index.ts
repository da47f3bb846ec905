import { eq } from 'drizzle-orm';
import type { LinliModule } from '../../module';
import { registerPublicShownCheck } from '../uploads';
import { productRoutes } from './routes';
import { seedProducts } from './seed';
import { products } from './tables';

// A product's picture is on show while the product lists it (removed from the form, it is gone);
// an off-shelf product keeps its pictures, which its merchant still sees in their own list.
registerPublicShownCheck('product', async (db, productId, uploadId) => {
  const [p] = await db
    .select({ imageIds: products.imageIds })
    .from(products)
    .where(eq(products.id, productId));
  return p?.imageIds.includes(uploadId) ?? false;
});

/** The catalog and each shop's products and stock. */
export const productsModule: LinliModule = {
  seed: seedProducts,
  name: 'products',
  routes: productRoutes,
};

export {
  crossedLowStock,
  merchantProducts,
  type ProductRow,
  productsByIds,
  productsFromJson,
  productsJson,
  type Reserved,
  releaseStock,
  type StockLines,
  stockLines,
  takeStockStatement,
} from './service';

import type { LinliModule } from '../../module';
import { productRoutes } from './routes';
import { seedProducts } from './seed';

/** The catalog and each shop's products and stock. */
export const productsModule: LinliModule = {
  seed: seedProducts,
  name: 'products',
  routes: productRoutes,
};

export { type ProductRow, productsByIds, type Reserved, releaseStock, reserveStock } from './service';

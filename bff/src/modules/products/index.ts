import type { LinliModule } from '../../module';
import { productRoutes } from './routes';

/** The catalog and each shop's products and stock. */
export const productsModule: LinliModule = { name: 'products', routes: productRoutes };

export { type ProductRow, productsByIds, type Reserved, releaseStock, reserveStock } from './service';

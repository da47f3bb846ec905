import type { LinliModule } from '../../module';
import { productRoutes } from './routes';

export const productsModule: LinliModule = { name: 'products', routes: productRoutes };

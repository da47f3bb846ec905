import type { LinliModule } from '../../module';
import { merchantRoutes } from './routes';

export const merchantsModule: LinliModule = { name: 'merchants', routes: merchantRoutes };

import type { LinliModule } from '../../module';
import { meRoutes } from './routes';

export const meModule: LinliModule = { name: 'me', routes: meRoutes };

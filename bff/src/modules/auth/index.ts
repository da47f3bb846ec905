import type { LinliModule } from '../../module';
import { authRoutes } from './routes';

export const authModule: LinliModule = { name: 'auth', routes: authRoutes };

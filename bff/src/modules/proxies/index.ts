import type { LinliModule } from '../../module';
import { proxyRoutes } from './routes';

export const proxiesModule: LinliModule = { name: 'proxies', routes: proxyRoutes };

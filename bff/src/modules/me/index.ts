import type { LinliModule } from '../../module';
import { meRoutes } from './routes';

export { describeMe } from './service';

export const meModule: LinliModule = { name: 'me', routes: meRoutes };

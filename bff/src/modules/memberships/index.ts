import type { LinliModule } from '../../module';
import { membershipRoutes } from './routes';

export const membershipsModule: LinliModule = { name: 'memberships', routes: membershipRoutes };

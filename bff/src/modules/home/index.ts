import type { LinliModule } from '../../module';
import { homeRoutes } from './routes';

/**
 * 首页: one read per person that gathers, through the other modules' public faces, what each of
 * their roles opens the app for. It owns no table and nothing depends on it: last in the list.
 */
export const homeModule: LinliModule = { name: 'home', routes: homeRoutes };

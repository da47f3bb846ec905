import type { LinliModule } from '../../module';
import { authRoutes } from './routes';
import { sessionRoles } from './session';
import { verifyAccessToken } from './tokens';

/** Sign-in (WeChat, dev login), rotating refresh tokens, and the request's session check. */
export const authModule: LinliModule = {
  name: 'auth',
  routes: authRoutes,
  auth: { verifyAccessToken, sessionRoles },
};

export { signAccessToken } from './tokens';

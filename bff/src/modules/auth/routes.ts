import type { FastifyInstance } from 'fastify';
import { route } from '../../http/route';
import { devLogin, logout, refresh, wechatLogin } from './service';

export async function authRoutes(app: FastifyInstance) {
  const { deps } = app;
  // Keyed by client IP; the limiter's store is Redis so limits hold across instances.
  const rateLimit = { max: deps.config.AUTH_RATE_LIMIT_PER_MINUTE, timeWindow: '1 minute' };
  route(app, 'wechatLogin', { config: { rateLimit }, handler: ({ body }) => wechatLogin(deps, body.code) });
  if (deps.config.AUTH_DEV_LOGIN) {
    route(app, 'devLogin', { config: { rateLimit }, handler: ({ body }) => devLogin(deps, body.phone) });
  }
  route(app, 'refresh', { config: { rateLimit }, handler: ({ body }) => refresh(deps, body.refreshToken) });
  route(app, 'logout', {
    handler: async ({ actor, body }) => {
      await logout(deps, actor.actorId, body.refreshToken);
      return { ok: true as const };
    },
  });
}

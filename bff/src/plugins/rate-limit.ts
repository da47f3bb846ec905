import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Limits live in Redis so they hold across BFF instances. Off by default; routes opt in with
 * `config.rateLimit` (the auth routes do).
 */
export default fp(
  async (app: FastifyInstance) => {
    await app.register(rateLimit, {
      global: false,
      redis: app.deps.redis,
      nameSpace: `${app.deps.config.QUEUE_PREFIX}:rl:`,
      // Fails open: with Redis down, the auth routes go unlimited rather than refused. Refusing
      // would sign everyone out within one access-token lifetime (refresh is limited too) while
      // ordering and paying still work on Postgres alone, and the limit guards nothing guessable
      // (WeChat codes are checked by WeChat, refresh tokens are random). The request-side client's
      // command timeout bounds what a paused Redis costs each sign-in.
      skipOnError: true,
      errorResponseBuilder: (_req, ctx) => ({
        statusCode: 429,
        error: {
          code: 'RATE_LIMITED',
          message: `Too many attempts, try again in ${Math.ceil(ctx.ttl / 1000)} seconds`,
        },
      }),
    });
  },
  { name: 'rate-limit', dependencies: ['infrastructure'] },
);

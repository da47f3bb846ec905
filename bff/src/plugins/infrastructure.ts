import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { AppDeps } from '../deps';
import { redisConnected } from '../infra/redis';

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
  }
}

/** Hands the infrastructure (db, redis, queues, wechat) to every module, nothing more. */
export default fp<{ deps: AppDeps }>(
  async (app: FastifyInstance, { deps }) => {
    app.decorate('deps', deps);
    // The request-side Redis client refuses commands until it is connected (it queues nothing).
    app.addHook('onReady', () => redisConnected(deps.redis, deps.config.REDIS_COMMAND_TIMEOUT_MS));
  },
  { name: 'infrastructure' },
);

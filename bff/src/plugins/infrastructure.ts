import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { AppDeps } from '../deps';

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
  }
}

/** Hands the infrastructure (db, redis, queues, wechat) to every module, nothing more. */
export default fp<{ deps: AppDeps }>(
  async (app: FastifyInstance, { deps }) => {
    app.decorate('deps', deps);
  },
  { name: 'infrastructure' },
);

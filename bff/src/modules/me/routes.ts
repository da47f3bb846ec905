import type { FastifyInstance } from 'fastify';
import { route } from '../../http/route';
import { describeMe, rename } from './service';

export async function meRoutes(app: FastifyInstance) {
  const { db } = app.deps;
  route(app, 'me', { handler: ({ actor }) => describeMe(db, actor) });
  route(app, 'updateMe', { handler: ({ actor, body }) => rename(app.deps, actor, body.name) });
}

import type { FastifyInstance } from 'fastify';
import { route } from '../../http/route';
import { describeMe, updateMe } from './service';

export async function meRoutes(app: FastifyInstance) {
  const { db } = app.deps;
  route(app, 'me', { handler: ({ actor }) => describeMe(db, actor, app.deps.clock.now()) });
  route(app, 'updateMe', { handler: ({ actor, body }) => updateMe(app.deps, actor, body) });
}

import type { FastifyInstance } from 'fastify';
import { route } from '../../http/route';
import { homeOf } from './service';

export async function homeRoutes(app: FastifyInstance) {
  route(app, 'home', { handler: ({ actor }) => homeOf(app.deps, actor) });
}

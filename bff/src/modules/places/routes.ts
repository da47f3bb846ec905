import type { FastifyInstance } from 'fastify';
import { route } from '../../http/route';
import { communityTree, listCommunities } from './service';

export async function placeRoutes(app: FastifyInstance) {
  const { db } = app.deps;
  route(app, 'communities', { handler: () => listCommunities(db) });
  // Community structure is public knowledge within the app (like a building directory).
  route(app, 'community', { handler: ({ params }) => communityTree(db, params.id) });
}

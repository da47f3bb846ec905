import type { FastifyInstance } from 'fastify';
import { route } from '../../http/route';
import { bringLockerOrder, errandConsent, saveErrandConsent } from './errands';

/** The produce run: the elder's (or family's) standing consent, and asking now for one order. */
export async function errandRoutes(app: FastifyInstance) {
  const deps = app.deps;
  route(app, 'errandConsent', { handler: ({ actor }) => errandConsent(deps, actor) });
  route(app, 'saveErrandConsent', { handler: ({ actor, body }) => saveErrandConsent(deps, actor, body) });
  route(app, 'bringLockerOrder', {
    status: 201,
    handler: ({ actor, body }) => bringLockerOrder(deps, actor, body),
  });
}

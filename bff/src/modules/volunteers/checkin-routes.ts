import type { FastifyInstance } from 'fastify';
import { route } from '../../http/route';
import { checkIn, checkinToday, saveCheckinPlan, staffCheckinBoard } from './checkins';

/** Well-being check-ins: the elder's side (proxy routes) and staff's board. */
export async function checkinRoutes(app: FastifyInstance) {
  const deps = app.deps;
  route(app, 'checkinToday', { handler: ({ actor }) => checkinToday(deps, actor) });
  route(app, 'checkIn', { handler: ({ actor }) => checkIn(deps, actor) });
  route(app, 'saveCheckinPlan', { handler: ({ actor, body }) => saveCheckinPlan(deps, actor, body) });
  route(app, 'staffCheckinBoard', {
    config: { roles: ['staff'] },
    handler: ({ actor }) => staffCheckinBoard(deps, actor),
  });
}

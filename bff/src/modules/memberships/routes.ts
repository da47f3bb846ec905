import type { FastifyInstance } from 'fastify';
import { route } from '../../http/route';
import { membershipsOf, requestMembership, reviewMembership, staffMemberships } from './service';

export async function membershipRoutes(app: FastifyInstance) {
  const { db } = app.deps;
  route(app, 'myMemberships', {
    handler: async ({ actor }) => ({ items: await membershipsOf(db, actor.userId) }),
  });
  route(app, 'requestMembership', {
    status: 201,
    handler: ({ actor, body }) => requestMembership(db, actor, body.householdId),
  });
  route(app, 'staffMemberships', {
    config: { roles: ['staff'] },
    handler: ({ actor, query }) => staffMemberships(db, actor, query.status),
  });
  route(app, 'approveMembership', {
    config: { roles: ['staff'] },
    handler: ({ actor, params, body }) => reviewMembership(app.deps, actor, params.id, 'approve', body.note),
  });
  route(app, 'rejectMembership', {
    config: { roles: ['staff'] },
    handler: ({ actor, params, body }) => reviewMembership(app.deps, actor, params.id, 'reject', body.note),
  });
}

import type { FastifyInstance } from 'fastify';
import { route } from '../../http/route';
import { listNotifications, markRead, quotaFor, recordGrants } from './service';
import { templateIds } from './templates';

export async function notificationRoutes(app: FastifyInstance) {
  const { db } = app.deps;
  route(app, 'notifications', {
    handler: ({ actor, query }) => listNotifications(db, actor.userId, query),
  });
  route(app, 'markNotificationsRead', {
    handler: async ({ actor, body }) => {
      await markRead(app.deps, actor, body);
      return { ok: true as const };
    },
  });
  route(app, 'grantSubscriptions', {
    handler: ({ actor, body }) => recordGrants(app.deps, actor.userId, body.results),
  });
  route(app, 'subscribeTemplates', { handler: async () => templateIds(app.deps.config) });
  route(app, 'subscriptionQuota', { handler: ({ actor }) => quotaFor(db, actor.userId) });
}

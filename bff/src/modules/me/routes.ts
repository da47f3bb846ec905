import { and, eq, ne } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { maskPhone } from 'shared';
import { proxyLinks, users } from '../../db/schema';
import { notFound } from '../../http/errors';
import { route } from '../../http/route';
import { loadRoles } from '../../plugins/auth';
import { membershipsOf } from '../memberships/service';
import { unreadCount } from '../notifications/service';

export async function meRoutes(app: FastifyInstance) {
  const { db } = app.deps;
  // Under X-On-Behalf-Of this describes the elder, which is what the proxy's screens show.
  route(app, 'me', {
    config: { proxy: true },
    handler: async ({ actor }) => {
      // Independent reads: in parallel, so the page waits for the slowest, not the sum.
      const [[user], elders, memberships, unread, roles] = await Promise.all([
        db.select().from(users).where(eq(users.id, actor.userId)),
        db
          .select({ l: proxyLinks, name: users.name })
          .from(proxyLinks)
          .innerJoin(users, eq(users.id, proxyLinks.elderId))
          .where(and(eq(proxyLinks.proxyId, actor.userId), ne(proxyLinks.consentStatus, 'revoked'))),
        membershipsOf(db, actor.userId),
        unreadCount(db, actor.userId),
        actor.onBehalfOf ? loadRoles(app, actor.userId) : actor.roles,
      ]);
      if (!user) throw notFound('User');
      return {
        user: {
          id: user.id,
          name: user.name,
          phoneMasked: maskPhone(user.phone),
          birthDate: user.birthDate,
          isElder: user.birthDate !== null,
        },
        roles,
        memberships,
        elders: elders.map(({ l, name }) => ({
          linkId: l.id,
          elderId: l.elderId,
          name,
          relationship: l.relationship,
          consentStatus: l.consentStatus,
        })),
        unreadNotifications: unread,
      };
    },
  });
}

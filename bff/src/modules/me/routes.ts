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
      const [user] = await db.select().from(users).where(eq(users.id, actor.userId));
      if (!user) throw notFound('User');
      const elders = await db
        .select({ l: proxyLinks, name: users.name })
        .from(proxyLinks)
        .innerJoin(users, eq(users.id, proxyLinks.elderId))
        .where(and(eq(proxyLinks.proxyId, actor.userId), ne(proxyLinks.consentStatus, 'revoked')));
      return {
        user: {
          id: user.id,
          name: user.name,
          phoneMasked: maskPhone(user.phone),
          birthDate: user.birthDate,
          isElder: user.birthDate !== null,
        },
        roles: actor.onBehalfOf ? await loadRoles(app, actor.userId) : actor.roles,
        memberships: await membershipsOf(db, actor.userId),
        elders: elders.map(({ l, name }) => ({
          linkId: l.id,
          elderId: l.elderId,
          name,
          relationship: l.relationship,
          consentStatus: l.consentStatus,
        })),
        unreadNotifications: await unreadCount(db, actor.userId),
      };
    },
  });
}

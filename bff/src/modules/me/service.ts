import { eq } from 'drizzle-orm';
import { type Me, maskPhone } from 'shared';
import type { Actor } from '../../access/actor';
import { rolesOf } from '../../access/roles';
import type { Db } from '../../db/client';
import { users } from '../../db/schema';
import { notFound } from '../../http/errors';
import { audit } from '../audit/service';
import { membershipsOf } from '../memberships/service';
import { unreadCount } from '../notifications/service';
import { eldersOf } from '../proxies/service';

/** The person the request acts for: under X-On-Behalf-Of that is the elder, as the proxy's screens show. */
export async function describeMe(db: Db, actor: Actor): Promise<Me> {
  // Independent reads: in parallel, so the page waits for the slowest, not the sum.
  const [[user], elders, memberships, unread, roles] = await Promise.all([
    db.select().from(users).where(eq(users.id, actor.userId)),
    eldersOf(db, actor.userId),
    membershipsOf(db, actor.userId),
    unreadCount(db, actor.userId),
    actor.onBehalfOf ? rolesOf(db, actor.userId) : actor.roles,
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
    elders,
    unreadNotifications: unread,
  };
}

/** The name neighbours, staff and family see. */
export async function rename(db: Db, actor: Actor, name: string): Promise<Me> {
  await db.transaction(async (tx) => {
    await tx.update(users).set({ name, updatedAt: new Date() }).where(eq(users.id, actor.userId));
    await audit(tx, actor, 'user.renamed', { type: 'user', id: actor.userId }, { name });
  });
  return describeMe(db, actor);
}

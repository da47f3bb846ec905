import { type Me, maskPhone } from 'shared';
import type { Actor } from '../../access/actor';
import type { Db } from '../../db/client';
import type { AppDeps } from '../../deps';
import { notFound } from '../../http/errors';
import { audit } from '../audit';
import { renameUser, rolesOf, userById } from '../identity';
import { membershipsOf } from '../memberships';
import { unreadCount } from '../notifications';
import { communitiesRunBy } from '../places';
import { eldersOf } from '../proxies';

/** The person the request acts for: under X-On-Behalf-Of that is the elder, as the proxy's screens show. */
export async function describeMe(db: Db, actor: Actor): Promise<Me> {
  // Independent reads: in parallel, so the page waits for the slowest, not the sum.
  const [user, elders, memberships, unread, roles, staffCommunities] = await Promise.all([
    userById(db, actor.userId),
    eldersOf(db, actor.userId),
    membershipsOf(db, actor.userId),
    unreadCount(db, actor.userId),
    actor.onBehalfOf ? rolesOf(db, actor.userId) : actor.roles,
    // Only staff run communities; everyone else is spared the read.
    !actor.onBehalfOf && actor.roles.includes('staff') ? communitiesRunBy(db, actor.userId) : [],
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
    staffCommunities,
    unreadNotifications: unread,
  };
}

/** The name neighbours, staff and family see. */
export async function rename(deps: Pick<AppDeps, 'db' | 'clock'>, actor: Actor, name: string): Promise<Me> {
  const { db } = deps;
  await db.transaction(async (tx) => {
    await renameUser(tx, actor.userId, name, deps.clock.now());
    await audit(tx, actor, 'user.renamed', { type: 'user', id: actor.userId }, { name });
  });
  return describeMe(db, actor);
}

import { DISPLAY_TZ, localClock, type Me, maskPhone, prefersReachable, type UpdateMeBody } from 'shared';
import type { z } from 'zod';
import type { Actor } from '../../access/actor';
import type { Db } from '../../db/client';
import type { AppDeps } from '../../deps';
import { notFound } from '../../http/errors';
import { audit } from '../audit';
import { renameUser, rolesOf, setElderModeChoice, setReachChoice, userById } from '../identity';
import { membershipsOf } from '../memberships';
import { unreadCount } from '../notifications';
import { communitiesRunBy } from '../places';
import { eldersOf } from '../proxies';

/**
 * The person the request acts for: under X-On-Behalf-Of that is the elder, as the proxy's screens show.
 * `now` (deps.clock) dates the age behind the automatic locker-reach preference.
 */
export async function describeMe(db: Db, actor: Actor, now: Date = new Date()): Promise<Me> {
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
      elderMode: user.elderMode,
      reachableCompartments: {
        choice: user.reachableCompartments,
        on: prefersReachable({
          choice: user.reachableCompartments,
          birthDate: user.birthDate,
          today: localClock(now, DISPLAY_TZ).date,
        }),
      },
    },
    roles,
    memberships,
    elders,
    staffCommunities,
    unreadNotifications: unread,
  };
}

/**
 * What a person changes about themself: the name neighbours, staff and family see, and their own
 * elder-mode choice (remembered per person, so it follows them to another phone).
 */
export async function updateMe(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  actor: Actor,
  body: z.output<typeof UpdateMeBody>,
): Promise<Me> {
  const { db } = deps;
  const at = deps.clock.now();
  await db.transaction(async (tx) => {
    if (body.name !== undefined) {
      await renameUser(tx, actor.userId, body.name, at);
      await audit(tx, actor, 'user.renamed', { type: 'user', id: actor.userId }, { name: body.name });
    }
    // A display preference, not an act on anyone's data: no audit entry.
    if (body.elderMode !== undefined) await setElderModeChoice(tx, actor.userId, body.elderMode, at);
    // Also a preference about the person, not an act on data: no audit entry either.
    if (body.reachableCompartments !== undefined)
      await setReachChoice(tx, actor.userId, body.reachableCompartments, at);
  });
  return describeMe(db, actor, at);
}

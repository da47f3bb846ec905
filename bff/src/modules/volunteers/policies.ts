import { and, eq, inArray } from 'drizzle-orm';
import { definePolicy } from '../../access/require-access';
import { compoundsRunBy, staffCommunityIds } from '../places';
import { helpTasks, volunteers } from './tables';

/** The elder's own tasks (a consented proxy acts as the elder, so `userId` is the elder). */
export const helpTaskOwn = definePolicy('volunteers.task.own', (db, actor, list) =>
  db
    .select({ id: helpTasks.id })
    .from(helpTasks)
    .where(and(inArray(helpTasks.id, list), eq(helpTasks.elderId, actor.userId))),
);

/**
 * A verified volunteer may look at tasks of their own community (offers, the board and their own);
 * the view decides what of the household it shows.
 */
export const helpTaskVolunteer = definePolicy('volunteers.task.volunteer', (db, actor, list) =>
  db
    .select({ id: helpTasks.id })
    .from(helpTasks)
    .where(
      and(
        inArray(helpTasks.id, list),
        inArray(
          helpTasks.communityId,
          db
            .select({ id: volunteers.communityId })
            .from(volunteers)
            .where(and(eq(volunteers.userId, actor.actorId), eq(volunteers.status, 'verified'))),
        ),
      ),
    ),
);

/** Staff handle the tasks in the compounds they run. */
export const helpTaskStaff = definePolicy('volunteers.task.staff', (db, actor, list) =>
  db
    .select({ id: helpTasks.id })
    .from(helpTasks)
    .where(
      and(inArray(helpTasks.id, list), inArray(helpTasks.compoundId, compoundsRunBy(db, actor.actorId))),
    ),
);

/** Staff review the volunteers of the communities they run. */
export const volunteerStaff = definePolicy('volunteers.volunteer.staff', (db, actor, list) =>
  db
    .select({ id: volunteers.userId })
    .from(volunteers)
    .where(
      and(
        inArray(volunteers.userId, list),
        inArray(volunteers.communityId, staffCommunityIds(db, actor.actorId)),
      ),
    ),
);

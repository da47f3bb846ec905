import { and, eq, inArray } from 'drizzle-orm';
import { definePolicy } from '../../access/require-access';
import { staffCommunityIds } from '../places';
import { emergencyTeams, volunteerActivities, volunteers } from './tables';

/** A verified volunteer sees and signs up for the activities of their own community. */
export const activityVolunteer = definePolicy('volunteers.activity.volunteer', (db, actor, list) =>
  db
    .select({ id: volunteerActivities.id })
    .from(volunteerActivities)
    .where(
      and(
        inArray(volunteerActivities.id, list),
        inArray(
          volunteerActivities.communityId,
          db
            .select({ id: volunteers.communityId })
            .from(volunteers)
            .where(and(eq(volunteers.userId, actor.actorId), eq(volunteers.status, 'verified'))),
        ),
      ),
    ),
);

/** Staff run the activities of the communities they run. */
export const activityStaff = definePolicy('volunteers.activity.staff', (db, actor, list) =>
  db
    .select({ id: volunteerActivities.id })
    .from(volunteerActivities)
    .where(
      and(
        inArray(volunteerActivities.id, list),
        inArray(volunteerActivities.communityId, staffCommunityIds(db, actor.actorId)),
      ),
    ),
);

/** Staff keep and call out the emergency teams of the communities they run. */
export const teamStaff = definePolicy('volunteers.team.staff', (db, actor, list) =>
  db
    .select({ id: emergencyTeams.id })
    .from(emergencyTeams)
    .where(
      and(
        inArray(emergencyTeams.id, list),
        inArray(emergencyTeams.communityId, staffCommunityIds(db, actor.actorId)),
      ),
    ),
);

import { Id } from 'shared';
import { z } from 'zod';
import { defineJob } from '../../module';

/**
 * A reminder to the volunteers signed up for an activity, the day before and an hour before. It
 * carries the start it was queued for: a cancelled activity, or one whose time is no longer that
 * start, makes the job do nothing.
 */
export const activityReminderJob = defineJob({
  queue: 'volunteers',
  name: 'volunteers.activityReminder',
  payload: z.object({
    activityId: Id,
    kind: z.enum(['24h', '1h']),
    startsAt: z.iso.datetime({ offset: true }),
  }),
});

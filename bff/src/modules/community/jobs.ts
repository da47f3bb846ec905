import { Id } from 'shared';
import { z } from 'zod';
import { defineJob, type QueueSpec } from '../../module';

/**
 * The community office's queue: fan-out chunks of alerts and notices (several at once, so 10,000
 * members are reached within seconds) and activity reminders. Every job re-reads its rows and acts
 * only if what it was queued for still holds, so a replayed or forged job changes nothing.
 */
export const COMMUNITY_QUEUE: QueueSpec = { name: 'community', concurrency: 4 };

/** Write the inbox rows of one planned chunk of an alert's or a notice's members. */
export const fanoutChunkJob = defineJob({
  queue: 'community',
  name: 'community.fanoutChunk',
  payload: z.object({
    kind: z.enum(['alert', 'notice']),
    subjectId: Id,
    seq: z.number().int().min(0).max(100_000),
  }),
});

/** The day-before or hour-before reminder of a community activity, for the start it was queued for. */
export const communityReminderJob = defineJob({
  queue: 'community',
  name: 'community.activityReminder',
  payload: z.object({
    activityId: Id,
    kind: z.enum(['24h', '1h']),
    startsAt: z.iso.datetime({ offset: true }),
  }),
});

import { Id } from 'shared';
import { z } from 'zod';
import { defineJob } from '../../module';

/**
 * Escalation round `round` (1-based) of a one-tap emergency call. The call's own `round` column
 * says which rounds went out, so a replayed or out-of-order round changes nothing.
 */
export const emergencyEscalateJob = defineJob({
  queue: 'volunteers',
  name: 'volunteers.emergencyEscalate',
  payload: z.object({ callId: Id, round: z.number().int().min(1).max(1000) }),
});

/** The check-in sweep, fired by a job scheduler every few minutes; it carries nothing. */
export const checkinSweepJob = defineJob({
  queue: 'volunteers',
  name: 'volunteers.checkinSweep',
  payload: z.object({}),
});

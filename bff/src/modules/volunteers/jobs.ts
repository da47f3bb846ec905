import { Id } from 'shared';
import { z } from 'zod';
import { defineJob, type QueueSpec } from '../../module';

/**
 * The volunteers queue: offer waves, the staff alert and the deadline of a help task, the hours'
 * auto-confirmation, emergency escalation, check-in alerts and the produce-run scan. Every job
 * re-reads its row and acts only if what it was queued for still holds (the task's version, the
 * call's round), so a replayed or forged job changes nothing.
 */
export const VOLUNTEERS_QUEUE: QueueSpec = { name: 'volunteers', concurrency: 4 };

const Instant = z.iso.datetime({ offset: true });

/** Send wave `wave` (1-based) of offers for a task still in the version it was queued for. */
export const offerWaveJob = defineJob({
  queue: 'volunteers',
  name: 'volunteers.offerWave',
  payload: z.object({ taskId: Id, wave: z.number().int().min(1).max(20), version: z.number().int() }),
});
/** Nobody took it and the deadline is near: tell staff. */
export const taskStaffAlertJob = defineJob({
  queue: 'volunteers',
  name: 'volunteers.staffAlert',
  payload: z.object({ taskId: Id, version: z.number().int() }),
});
/** The deadline passed with nobody: the task expires (any held hours go back). */
export const taskDeadlineJob = defineJob({
  queue: 'volunteers',
  name: 'volunteers.deadline',
  payload: z.object({ taskId: Id, deadline: Instant }),
});
/** The elder's side of the hours confirms itself unless it was disputed meanwhile. */
export const hoursAutoConfirmJob = defineJob({
  queue: 'volunteers',
  name: 'volunteers.hoursAutoConfirm',
  payload: z.object({ taskId: Id, confirmBy: Instant }),
});
/** Monday morning: the week's well-being visits, assigned together (a job scheduler runs it). */
export const weekVisitPlanJob = defineJob({
  queue: 'volunteers',
  name: 'volunteers.weekVisitPlan',
  payload: z.object({}),
});

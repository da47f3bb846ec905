import { Id } from 'shared';
import { z } from 'zod';
import { defineJob, type QueueSpec } from '../../module';

/**
 * The requests queue: the two time limits of a request and its auto-close. Each job carries what it
 * checks (the request and the exact deadline it was queued for); the handler acts only when the
 * row still has that deadline, so a replayed, stale or forged job changes nothing.
 */
export const REQUESTS_QUEUE: QueueSpec = { name: 'requests', concurrency: 4 };

const Instant = z.iso.datetime({ offset: true });

export const DEADLINE_KINDS = ['respond', 'resolve'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

/** A time limit is due: escalate to the lead if it was missed (once per deadline). */
export const requestDeadlineJob = defineJob({
  queue: 'requests',
  name: 'requests.deadline',
  payload: z.object({ requestId: Id, kind: z.enum(DEADLINE_KINDS), deadline: Instant }),
});
/** N days after it was resolved: close it unless the resident rated or reopened it meanwhile. */
export const requestAutoCloseJob = defineJob({
  queue: 'requests',
  name: 'requests.autoClose',
  payload: z.object({ requestId: Id, resolvedAt: Instant }),
});
/** Re-arms the timers of open requests whose jobs went missing (a job scheduler runs it too). */
export const requestSweepJob = defineJob({
  queue: 'requests',
  name: 'requests.sweep',
  payload: z.object({}),
});

import { Id } from 'shared';
import { z } from 'zod';
import { defineJob, type QueueSpec } from '../../module';

/**
 * The lockers queue: cut-offs fired by the schedulers, the build flow (one child per bank, a
 * parent that closes the batch), reminders and the overdue check. All are safe to run twice.
 */
export const LOCKERS_QUEUE: QueueSpec = { name: 'lockers', concurrency: 4 };

const Instant = z.iso.datetime({ offset: true });

export const scheduleCutoffJob = defineJob({
  queue: 'lockers',
  name: 'schedule.cutoff',
  payload: z.object({ scheduleId: Id.optional() }),
});
export const assignBankJob = defineJob({
  queue: 'lockers',
  name: 'batch.assignBank',
  payload: z.object({ batchId: Id, bankId: Id }),
});
export const finalizeBatchJob = defineJob({
  queue: 'lockers',
  name: 'batch.finalize',
  payload: z.object({ batchId: Id }),
});
export const lockerReminderJob = defineJob({
  queue: 'lockers',
  name: 'locker.reminder',
  payload: z.object({ orderId: Id, kind: z.enum(['uncollected', 'deadline']), deadline: Instant }),
});
export const lockerOverdueJob = defineJob({
  queue: 'lockers',
  name: 'locker.overdue',
  payload: z.object({ orderId: Id, deadline: Instant.optional() }),
});

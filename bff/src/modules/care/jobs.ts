import { Id } from 'shared';
import { z } from 'zod';
import { defineJob, type QueueSpec } from '../../module';

/**
 * The care queue: visit reminders, the no-clock-in and overrun alerts, the provider's confirmation
 * timeout, the unpaid-booking timeout, the monthly vouchers and the meal cut-offs. Every job
 * re-reads the booking (or plan) and acts only if what it was queued for still holds, so a replayed
 * or stale job does nothing.
 */
export const CARE_QUEUE: QueueSpec = { name: 'care', concurrency: 4 };

const Instant = z.iso.datetime({ offset: true });

export const careReminderJob = defineJob({
  queue: 'care',
  name: 'care.reminder',
  payload: z.object({ bookingId: Id, kind: z.enum(['24h', '1h']), dueAt: Instant }),
});
/** 10 minutes after the start with no clock-in: tell the provider, staff and family. */
export const careNoClockInJob = defineJob({
  queue: 'care',
  name: 'care.noClockIn',
  payload: z.object({ bookingId: Id, startsAt: Instant }),
});
/** 30 minutes past the end and still in service: tell the provider. */
export const careOverrunJob = defineJob({
  queue: 'care',
  name: 'care.overrun',
  payload: z.object({ bookingId: Id, endsAt: Instant }),
});
/** A `requested` booking the provider has not confirmed in time: reassign it or tell the family. */
export const careConfirmTimeoutJob = defineJob({
  queue: 'care',
  name: 'care.confirmTimeout',
  payload: z.object({ bookingId: Id, version: z.number().int() }),
});
/** Self-pay still unpaid at the booking's pay deadline: cancel it and free the caregiver's time. */
export const careUnpaidJob = defineJob({
  queue: 'care',
  name: 'care.unpaid',
  payload: z.object({ bookingId: Id, payBy: Instant }),
});

import { Id } from 'shared';
import { z } from 'zod';
import { defineJob, type QueueSpec } from '../../module';

export const PAYMENTS_QUEUE: QueueSpec = { name: 'payments', concurrency: 4 };

/** Asks the provider to give a refunding payment's money back (only a `refunding` one moves). */
export const paymentRefundJob = defineJob({
  queue: 'payments',
  name: 'payment.refund',
  payload: z.object({ paymentId: Id }),
});

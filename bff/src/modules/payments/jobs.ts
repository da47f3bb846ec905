import { Id } from 'shared';
import { z } from 'zod';
import { defineJob, type QueueSpec } from '../../module';

export const PAYMENTS_QUEUE: QueueSpec = { name: 'payments', concurrency: 4 };

/**
 * Asks the provider to carry out a refund (`refundId`), or every open refund of a payment
 * (`paymentId`, the older payload). A retryable failure throws, so BullMQ retries it with backoff;
 * a refund the provider is still processing is asked about again later.
 */
export const paymentRefundJob = defineJob({
  queue: 'payments',
  name: 'payment.refund',
  payload: z
    .object({ refundId: Id.optional(), paymentId: Id.optional() })
    .refine((p) => p.refundId || p.paymentId, 'needs refundId or paymentId'),
});

/** Closes a cancelled payment's transaction at the provider; money that got in first is confirmed (and refunded). */
export const paymentCloseJob = defineJob({
  queue: 'payments',
  name: 'payment.close',
  payload: z.object({ paymentId: Id }),
});

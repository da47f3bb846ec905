import { Id } from 'shared';
import { z } from 'zod';
import { defineJob } from '../../module';

/**
 * Approves a refund request the merchant left unanswered. It rides the orders queue: it ends in an
 * order transition, and jobs already queued under this name there keep working.
 */
export const refundAutoApproveJob = defineJob({
  queue: 'orders',
  name: 'refund.autoApprove',
  payload: z.object({ refundId: Id }),
});

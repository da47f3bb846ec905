import type { JobProcessor } from '../../jobs/registry';
import { autoApproveRefund } from '../refunds/service';
import { afterTransition, type PublishedTransition } from './after-transition';
import { transitionOrder } from './transition';

/**
 * The orders queue: the unpaid-order timeout, the refund timeout, completion after the
 * after-sales window, and the after-commit hooks of every transition. Each is a no-op when replayed: the timeouts are conditional transitions that
 * only fire from the state they expect.
 */
export const orderJobs: JobProcessor = {
  queue: 'orders',
  concurrency: 8,
  async process(job, deps) {
    const { db } = deps;
    switch (job.name) {
      case 'order.expire':
        return db.transaction(
          async (tx) =>
            (await transitionOrder(tx, {
              orderId: String(job.data.orderId),
              event: 'expire',
              actor: null,
              set: { cancelReason: 'timeout' },
            })) !== null,
        );
      case 'refund.autoApprove':
        return autoApproveRefund(db, String(job.data.refundId));
      case 'order.transitioned':
        return afterTransition(deps, job.data as PublishedTransition);
      case 'order.complete':
        return db.transaction(
          async (tx) =>
            (await transitionOrder(tx, {
              orderId: String(job.data.orderId),
              event: 'complete',
              actor: null,
            })) !== null,
        );
      default:
        throw new Error(`unknown orders job ${job.name}`);
    }
  },
};

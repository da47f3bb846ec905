import type { JobProcessor } from '../../jobs/registry';
import { autoApproveRefund } from '../refunds/service';
import { afterTransition, type PublishedTransition } from './after-transition';
import { completeAfterWindow, expireUnpaid } from './timeouts';

/**
 * The orders queue: the unpaid-order timeout, the refund timeout, completion after the
 * after-sales window, and the after-commit hooks of every transition. None takes a job's word for
 * anything: the timeouts re-check their deadline and fire only from the state they expect, and the
 * after-commit hooks run only for a transition the timeline recorded, so a replayed or forged job
 * changes nothing.
 */
export const orderJobs: JobProcessor = {
  queue: 'orders',
  concurrency: 8,
  async process(job, deps) {
    switch (job.name) {
      case 'order.expire':
        return expireUnpaid(deps, String(job.data.orderId));
      case 'refund.autoApprove':
        return autoApproveRefund(deps, String(job.data.refundId));
      case 'order.transitioned':
        return afterTransition(deps, job.data as PublishedTransition);
      case 'order.complete':
        return completeAfterWindow(deps, String(job.data.orderId));
      default:
        throw new Error(`unknown orders job ${job.name}`);
    }
  },
};

import type { JobProcessor } from '../../jobs/registry';
import { finishRefund } from './service';

export const paymentJobs: JobProcessor = {
  queue: 'payments',
  concurrency: 4,
  async process(job, deps) {
    if (job.name === 'payment.refund') return finishRefund(deps, String(job.data.paymentId));
    throw new Error(`unknown payments job ${job.name}`);
  },
};

import type { JobProcessor } from '../../jobs/registry';
import { deliverWechat } from './service';

/** Sends WeChat subscribe messages; the limiter keeps us under WeChat's send rate. */
export const notificationJobs: JobProcessor = {
  queue: 'notifications',
  concurrency: 4,
  limiter: (config) => ({ max: config.NOTIFY_WECHAT_PER_MINUTE, duration: 60_000 }),
  async process(job, deps) {
    if (job.name !== 'wechat-send') throw new Error(`unknown job ${job.name}`);
    const { notificationId } = job.data as { notificationId: string };
    const isLast = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    return deliverWechat(deps, notificationId, { isLast });
  },
};

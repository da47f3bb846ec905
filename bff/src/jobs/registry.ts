import type { Job } from 'bullmq';
import type { Config } from '../config';
import type { AppDeps } from '../deps';
import { lockerJobs } from '../modules/lockers/jobs';
import { notificationJobs } from '../modules/notifications/jobs';
import { orderJobs } from '../modules/orders/jobs';
import { paymentJobs } from '../modules/payments/jobs';
import type { QueueName } from './queues';

export interface JobProcessor {
  queue: QueueName;
  concurrency: number;
  limiter?: (config: Config) => { max: number; duration: number };
  process(job: Job, deps: AppDeps): Promise<unknown>;
}

/** Each module's jobs.ts contributes its processors here. */
export const processors: JobProcessor[] = [notificationJobs, orderJobs, paymentJobs, lockerJobs];

import { type JobsOptions, Queue } from 'bullmq';
import { Redis } from 'ioredis';

/** Every queue name in one place, so the relay and the workers agree. */
export const QUEUE_NAMES = ['notifications', 'orders', 'payments', 'lockers'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

/**
 * Completed jobs are kept for a week: BullMQ ignores an add whose jobId still exists, which is
 * what makes an outbox replay a no-op.
 */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
  removeOnFail: { age: 14 * 24 * 3600 },
};

export interface Queues {
  prefix: string;
  connection: Redis;
  get(name: QueueName): Queue;
  all(): Queue[];
  close(): Promise<void>;
}

export function redisConnection(url: string): Redis {
  // BullMQ needs maxRetriesPerRequest null for blocking commands.
  return new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
}

export function createQueues(redisUrl: string, prefix: string): Queues {
  const connection = redisConnection(redisUrl);
  const queues = new Map<QueueName, Queue>();
  const get = (name: QueueName) => {
    let q = queues.get(name);
    if (!q) {
      q = new Queue(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
      queues.set(name, q);
    }
    return q;
  };
  return {
    prefix,
    connection,
    get,
    all: () => QUEUE_NAMES.map(get),
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
      // BullMQ does not quit a connection it was handed.
      connection.disconnect();
    },
  };
}

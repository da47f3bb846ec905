import { FlowProducer, type JobsOptions, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { failFastRedis, redisNotConnected } from '../infra/redis';

/** Queue names come from the modules that own them (see `queues` in each module's face). */
export type QueueName = string;

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
  /** For jobs added as a flow (a parent that waits for its children). */
  flows(): FlowProducer;
  all(): Queue[];
  close(): Promise<void>;
}

/** The workers' connection: it waits an outage out, and carries on when Redis is back. */
export function redisConnection(url: string): Redis {
  // BullMQ needs maxRetriesPerRequest null for blocking commands.
  return new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
}

interface Producer {
  waitUntilReady(): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * One long-lived producer, made on first use. BullMQ talks to Redis once when it makes a producer
 * and a producer whose first contact failed (made during an outage) stays broken, so such a one is
 * dropped and the next use makes another. Making one per call is no way out: a new producer waits
 * for a disconnected Redis to come back instead of failing. So once the connection has been up,
 * none is made while it is down: the caller gets Redis's unavailable error at once (a 503 on the
 * HTTP side, a retry for the relay), not a wait as long as the outage. Before the first connect
 * (at start) one is made and waits, as the start-up hooks need.
 */
function kept<P extends Producer>(lost: () => boolean, make: () => P) {
  let current: P | undefined;
  return {
    get(): P {
      if (!current) {
        if (lost()) throw redisNotConnected();
        const made = make();
        current = made;
        made.waitUntilReady().catch(() => {
          if (current === made) current = undefined;
          void made.close().catch(() => {});
        });
      }
      return current;
    },
    close: async () => current?.close(),
  };
}

/**
 * The queues as the HTTP side (and the outbox relay) add to them: on a fail-fast connection, so an
 * add during an outage fails within `commandTimeoutMs` instead of holding a request (or the relay's
 * transaction) until Redis returns. Every add here is safe to repeat: the relay's job ids are outbox
 * row ids, the build flow's are fixed per batch.
 */
export function createQueues(
  redisUrl: string,
  prefix: string,
  commandTimeoutMs: number,
  names: readonly string[],
): Queues {
  const connection = failFastRedis(redisUrl, commandTimeoutMs);
  let connectedOnce = false;
  connection.on('ready', () => {
    connectedOnce = true;
  });
  const lost = () => connectedOnce && connection.status !== 'ready';
  const queues = new Map(
    names.map((name) => [
      name,
      kept(lost, () => new Queue(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS })),
    ]),
  );
  const flows = kept(lost, () => new FlowProducer({ connection, prefix }));
  const get = (name: QueueName) => {
    const q = queues.get(name);
    if (!q) throw new Error(`no module owns a queue named ${name}`);
    return q.get();
  };
  return {
    prefix,
    connection,
    get,
    flows: flows.get,
    all: () => names.map(get),
    async close() {
      await Promise.all([...queues.values(), flows].map((q) => q.close()));
      // BullMQ does not quit a connection it was handed.
      connection.disconnect();
    },
  };
}

import { Worker } from 'bullmq';
import type { FastifyBaseLogger } from 'fastify';
import type { AppDeps } from '../deps';
import { upsertCutoffSchedulers } from '../modules/lockers/scheduler';
import { startOutboxRelay } from './outbox';
import { redisConnection } from './queues';
import { processors as defaultProcessors, type JobProcessor } from './registry';

export interface WorkerRuntime {
  workers: Worker[];
  /** Stops taking jobs, waits for in-flight ones to finish, stops the relay. */
  close(): Promise<void>;
}

/** The worker process: BullMQ workers for every queue plus the outbox relay. */
export function startWorkers(
  deps: AppDeps,
  log: Pick<FastifyBaseLogger, 'info' | 'error' | 'warn'>,
  opts: { processors?: JobProcessor[]; relayIntervalMs?: number; schedulers?: boolean } = {},
): WorkerRuntime {
  const connection = redisConnection(deps.config.REDIS_URL);
  const workers = (opts.processors ?? defaultProcessors).map((p) => {
    const w = new Worker(p.queue, (job) => p.process(job, deps), {
      connection,
      prefix: deps.queues.prefix,
      concurrency: p.concurrency,
      limiter: p.limiter?.(deps.config),
    });
    w.on('failed', (job, err) => log.warn({ queue: p.queue, jobId: job?.id, err }, 'job failed'));
    w.on('error', (err) => log.error({ queue: p.queue, err }, 'worker error'));
    return w;
  });
  // The cut-off schedulers are created at boot; their fixed ids make this a no-op when they exist.
  if (opts.schedulers !== false)
    void upsertCutoffSchedulers(deps).catch((err) =>
      log.error({ err }, 'could not create the cut-off schedulers'),
    );
  const relay = startOutboxRelay(deps.db, deps.queues, {
    intervalMs: opts.relayIntervalMs,
    onError: (err) => log.error({ err }, 'outbox relay failed'),
  });
  return {
    workers,
    async close() {
      await relay.stop();
      await Promise.all(workers.map((w) => w.close()));
      connection.disconnect();
    },
  };
}

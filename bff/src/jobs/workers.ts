import { Worker } from 'bullmq';
import type { FastifyBaseLogger } from 'fastify';
import type { AppDeps } from '../deps';
import { startOutboxRelay } from './outbox';
import type { JobProcessor } from './processor';
import { redisConnection } from './queues';

export interface WorkerRuntime {
  workers: Worker[];
  /** Stops taking jobs, waits for in-flight ones to finish, stops the relay. */
  close(): Promise<void>;
}

type Log = Pick<FastifyBaseLogger, 'info' | 'error' | 'warn'>;

export interface WorkerPlan {
  processors: JobProcessor[];
  /** Start-up hooks the modules contribute (job schedulers); a failure is logged, not fatal. */
  onStart?: Array<{ name: string; run: (deps: AppDeps, log: Log) => Promise<void> }>;
  relayIntervalMs?: number;
}

/** The worker process: a BullMQ worker per queue plus the outbox relay, for what it is handed. */
export function runWorkers(deps: AppDeps, log: Log, plan: WorkerPlan): WorkerRuntime {
  const connection = redisConnection(deps.config.REDIS_URL);
  const workers = plan.processors.map((p) => {
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
  for (const hook of plan.onStart ?? [])
    void hook
      .run(deps, log)
      .catch((err) => log.error({ err, module: hook.name }, 'worker start-up hook failed'));
  const relay = startOutboxRelay(deps.db, deps.queues, {
    intervalMs: plan.relayIntervalMs,
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

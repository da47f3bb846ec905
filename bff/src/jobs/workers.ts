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

/** While something keeps failing, one line per this long. */
const OUTAGE_LOG_EVERY_MS = 10_000;

/**
 * With Redis or PostgreSQL away the relay fails every pass (four a second) and every worker at
 * every reconnect: the first failure is logged, then one line per OUTAGE_LOG_EVERY_MS with how
 * long it has lasted and how many were left out, and one line when it is over.
 */
function outageLog(log: Log, what: string) {
  let since: number | undefined;
  let last = 0;
  let left = 0;
  return {
    failed(err: unknown, context: Record<string, unknown> = {}) {
      const now = Date.now();
      since ??= now;
      if (now - last < OUTAGE_LOG_EVERY_MS) {
        left += 1;
        return;
      }
      log.error({ ...context, err, failingForMs: now - since, notLogged: left }, `${what} failed`);
      last = now;
      left = 0;
    },
    ok() {
      if (since === undefined) return;
      log.warn({ failedForMs: Date.now() - since }, `${what} works again`);
      since = undefined;
      last = 0;
      left = 0;
    },
  };
}

export interface WorkerPlan {
  processors: JobProcessor[];
  /** Start-up hooks the modules contribute (job schedulers); a failure is logged, not fatal. */
  onStart?: Array<{ name: string; run: (deps: AppDeps, log: Log) => Promise<void> }>;
  relayIntervalMs?: number;
}

/** The worker process: a BullMQ worker per queue plus the outbox relay, for what it is handed. */
export function runWorkers(deps: AppDeps, log: Log, plan: WorkerPlan): WorkerRuntime {
  const connection = redisConnection(deps.config.REDIS_URL);
  const workerErrors = outageLog(log, 'BullMQ worker');
  // BullMQ reconnects the workers by itself; this only says so in the log.
  connection.on('ready', () => workerErrors.ok());
  const workers = plan.processors.map((p) => {
    const w = new Worker(p.queue, (job) => p.process(job, deps), {
      connection,
      prefix: deps.queues.prefix,
      concurrency: p.concurrency,
      limiter: p.limiter?.(deps.config),
    });
    w.on('failed', (job, err) => log.warn({ queue: p.queue, jobId: job?.id, err }, 'job failed'));
    w.on('error', (err) => workerErrors.failed(err, { queue: p.queue }));
    return w;
  });
  for (const hook of plan.onStart ?? [])
    void hook
      .run(deps, log)
      .catch((err) => log.error({ err, module: hook.name }, 'worker start-up hook failed'));
  const relayErrors = outageLog(log, 'outbox relay');
  const relay = startOutboxRelay(deps.db, deps.queues, {
    intervalMs: plan.relayIntervalMs,
    onError: (err) => relayErrors.failed(err),
    onPass: () => relayErrors.ok(),
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

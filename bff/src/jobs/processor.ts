import { type Job, UnrecoverableError } from 'bullmq';
import type { Config } from '../config';
import type { AppDeps } from '../deps';
import type { JobHandler, QueueSpec } from '../module';

/** What a BullMQ worker runs for one queue. */
export interface JobProcessor {
  queue: string;
  concurrency: number;
  limiter?: (config: Config) => { max: number; duration: number };
  process(job: Job, deps: AppDeps): Promise<unknown>;
}

/**
 * One queue's processor from the handlers the modules declared for it. A job whose name nobody
 * handles, or whose payload does not match its declaration, fails for good with a message that
 * says so (in the log and the queue board) and never reaches a handler: retrying cannot fix it.
 */
export function queueProcessor(spec: QueueSpec, handlers: JobHandler[]): JobProcessor {
  const byName = new Map<string, JobHandler>();
  for (const h of handlers) {
    if (h.job.queue !== spec.name) continue;
    if (byName.has(h.job.name)) throw new Error(`job ${spec.name}/${h.job.name} is handled twice`);
    byName.set(h.job.name, h);
  }
  return {
    queue: spec.name,
    concurrency: spec.concurrency,
    limiter: spec.limiter,
    async process(job, deps) {
      const handler = byName.get(job.name);
      if (!handler) throw new UnrecoverableError(`no handler for job ${spec.name}/${job.name}`);
      const parsed = handler.job.payload.safeParse(job.data);
      if (!parsed.success) {
        const why = parsed.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`);
        throw new UnrecoverableError(`job ${spec.name}/${job.name} has a bad payload: ${why.join('; ')}`);
      }
      return handler.handle(parsed.data, deps, job);
    },
  };
}

/** Every queue's processor, from what the modules contribute. */
export function processorsOf(modules: { queues?: QueueSpec[]; jobs?: JobHandler[] }[]): JobProcessor[] {
  const handlers = modules.flatMap((m) => m.jobs ?? []);
  const queues = modules.flatMap((m) => m.queues ?? []);
  for (const h of handlers)
    if (!queues.some((q) => q.name === h.job.queue))
      throw new Error(`job ${h.job.name} is declared on queue ${h.job.queue}, which no module owns`);
  return queues.map((q) => queueProcessor(q, handlers));
}

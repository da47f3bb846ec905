import type { FastifyBaseLogger } from 'fastify';
import type { AppDeps } from './deps';
import { type JobProcessor, processorsOf } from './jobs/processor';
import { runWorkers, type WorkerRuntime } from './jobs/workers';
import { MODULES } from './modules';

export type { WorkerRuntime };

/** Every queue's processor, from the module list. */
export const processors: JobProcessor[] = processorsOf(MODULES);

/**
 * The workers for the module list: a worker per queue the modules own, their start-up hooks
 * (the cut-off schedulers), the outbox relay. Tests pass their own processors, or turn the
 * start-up hooks off.
 */
export function startWorkers(
  deps: AppDeps,
  log: Pick<FastifyBaseLogger, 'info' | 'error' | 'warn'>,
  opts: { processors?: JobProcessor[]; relayIntervalMs?: number; schedulers?: boolean } = {},
): WorkerRuntime {
  return runWorkers(deps, log, {
    processors: opts.processors ?? processors,
    relayIntervalMs: opts.relayIntervalMs,
    onStart:
      opts.schedulers === false
        ? []
        : MODULES.flatMap((m) => (m.onWorkerStart ? [{ name: m.name, run: m.onWorkerStart }] : [])),
  });
}

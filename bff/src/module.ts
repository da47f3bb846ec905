import type { Job } from 'bullmq';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type { Config } from './config';
import type { DbOrTx } from './db/client';
import type { AppDeps } from './deps';
import type { AuthHooks } from './plugins/auth';

/**
 * A job declared once: its queue, its name, the schema of its payload and its options. Enqueueing
 * (through the outbox) and processing both go through the declaration, so a misspelt name or a
 * wrong payload is a type error, and a payload that does not parse fails the job with a clear
 * message instead of reaching the handler.
 */
export interface JobSpec<P extends z.ZodType = z.ZodType> {
  queue: string;
  name: string;
  payload: P;
  /** BullMQ options for this job (attempts, backoff); the queue's defaults otherwise. */
  attempts?: number;
}

export function defineJob<P extends z.ZodType>(spec: JobSpec<P>): JobSpec<P> {
  return spec;
}

export interface JobHandler<P extends z.ZodType = z.ZodType> {
  job: JobSpec<P>;
  handle(payload: z.output<P>, deps: AppDeps, job: Job): Promise<unknown>;
}

/** Pairs a declaration with the function that carries it out (keeps the payload type). */
export function handles<P extends z.ZodType>(
  job: JobSpec<P>,
  handle: (payload: z.output<P>, deps: AppDeps, job: Job) => Promise<unknown>,
): JobHandler {
  return { job, handle } as JobHandler;
}

/** A queue a module owns: how many of its jobs run at once, and how fast. */
export interface QueueSpec {
  name: string;
  concurrency: number;
  limiter?: (config: Config) => { max: number; duration: number };
}

/** What the seed steps hand on to the ones after them (filled in module order). */
export interface SeedContext {
  /** Demo account ids by phone number (identity). */
  ids: Map<string, string>;
  /** The demo community (places). */
  communityId: string;
  /** Its households, in the order DEMO_ACCOUNTS' `household` indexes them (places). */
  householdIds: string[];
  /** When the seed runs: recorded consents, reviews and verifications carry it. */
  now: Date;
  /**
   * Where seeded images go (the products' drawings). Absent, the seed adds no images: the test
   * template is shared by test files that each have a store of their own.
   */
  store?: SeedStore;
}

/** The part of the uploads module's object store a seed writes with (structural: no import cycle). */
export interface SeedStore {
  put(key: string, body: Buffer, contentType: string): Promise<void>;
}

/**
 * A module's public face, as the entry points see it: they loop over the list in
 * `modules/index.ts` and never name a feature. Everything optional: a module contributes what it
 * has.
 */
export interface LinliModule {
  name: string;
  /** Registers the module's HTTP routes (a Fastify plugin, encapsulated). */
  routes?: (app: FastifyInstance) => Promise<void>;
  /** Queues the module owns, and the jobs it processes on them. */
  queues?: QueueSpec[];
  jobs?: JobHandler[];
  /** Runs once when a worker process starts (job schedulers and the like). */
  onWorkerStart?: (deps: AppDeps, log: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>) => Promise<void>;
  /** The module's part of request authentication (token check, session, acting for an elder). */
  auth?: Partial<AuthHooks>;
  /** Demo data, in module order, inside the seed's transaction. */
  seed?: (tx: DbOrTx, ctx: SeedContext) => Promise<void>;
}

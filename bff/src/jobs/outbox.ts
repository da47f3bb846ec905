import { inArray, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db, DbOrTx } from '../db/client';
import type { Bindable } from '../db/compiled';
import { outbox } from '../db/schema';
import type { JobSpec } from '../module';
import type { QueueName, Queues } from './queues';

/**
 * Call inside the transaction that makes the change: the job exists if and only if the change
 * committed. The declaration gives the queue and name and types the payload.
 */
export async function enqueue<P extends z.ZodType>(
  tx: DbOrTx,
  job: JobSpec<P>,
  payload: z.input<P>,
  opts: { delayMs?: number } = {},
): Promise<string> {
  const [row] = await outboxEntry(tx, job, payload, opts).returning({ id: outbox.id });
  return row!.id;
}

/**
 * The same row as a statement not yet run, for a caller that writes everything in one statement
 * (embedded as a data-modifying CTE): the job exists if and only if that statement commits.
 */
export function outboxEntry<P extends z.ZodType>(
  db: DbOrTx,
  job: JobSpec<P>,
  payload: Bindable<z.input<P>>,
  /** `id` for a compiled statement, which must not carry the id drizzle makes when it builds. */
  opts: { delayMs?: Bindable<number>; id?: Bindable<string> } = {},
) {
  const delay = opts.delayMs ?? 0;
  return db.insert(outbox).values({
    ...(opts.id === undefined ? {} : { id: opts.id }),
    queue: job.queue,
    jobName: job.name,
    payload: payload as Bindable<Record<string, unknown>>,
    // A placeholder's value is the caller's to round (a compiled statement binds it as given).
    delayMs: typeof delay === 'number' ? Math.max(0, Math.round(delay)) : delay,
  });
}

/** One row of `outboxEntries`. */
export interface OutboxRow<P extends z.ZodType> {
  id: string;
  payload: z.input<P>;
  delayMs: number;
}

/**
 * Rows of one job as one statement not yet run, for a statement that writes many changes at once
 * (checkout's combined write). `rows` is the JSON text of an `OutboxRow[]`, delays already rounded.
 */
export function outboxEntries<P extends z.ZodType>(
  job: JobSpec<P>,
  rows: Bindable<string>,
): { returning(): SQL } {
  return {
    returning: () => sql`
      INSERT INTO outbox (id, queue, job_name, payload, delay_ms)
      SELECT r.id, ${job.queue}, ${job.name}, r.payload, r."delayMs"
      FROM jsonb_to_recordset(${rows}::jsonb) AS r (id uuid, payload jsonb, "delayMs" int)
      RETURNING id`,
  };
}

interface PendingRow extends Record<string, unknown> {
  id: string;
  queue: QueueName;
  job_name: string;
  payload: Record<string, unknown>;
  delay_ms: number;
  created_at: Date | string;
}

/**
 * Moves committed outbox rows to BullMQ. Rows are claimed with SKIP LOCKED so several relays never
 * block each other; the jobId is the row id, so a row enqueued but not yet marked sent (a crash in
 * between) is enqueued again as a no-op. Delays count from when the change committed.
 */
export async function relayOutbox(db: Db, queues: Queues, batch = 100): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = (await tx.execute(sql`
      SELECT id, queue, job_name, payload, delay_ms, created_at FROM outbox
      WHERE sent_at IS NULL ORDER BY created_at LIMIT ${batch} FOR UPDATE SKIP LOCKED`)) as unknown as PendingRow[];
    if (rows.length === 0) return 0;
    for (const row of rows) {
      const due = new Date(row.created_at).getTime() + row.delay_ms;
      await queues
        .get(row.queue)
        // Real time, not deps.clock: BullMQ counts a delay on the machines' clocks, and each
        // timeout job re-checks its own deadline against the domain clock when it runs.
        .add(row.job_name, row.payload, { jobId: row.id, delay: Math.max(0, due - Date.now()) });
    }
    await tx
      .update(outbox)
      .set({ sentAt: sql`now()`, attempts: sql`${outbox.attempts} + 1` })
      .where(
        inArray(
          outbox.id,
          rows.map((r) => r.id),
        ),
      );
    return rows.length;
  });
}

/**
 * Sent rows are history once BullMQ has the job; they are kept for a week (for replays and
 * questions about what happened), then deleted in small batches so the table stays small.
 */
export const OUTBOX_RETENTION_MS = 7 * 24 * 3600 * 1000;

export async function purgeSentOutbox(
  db: Db,
  olderThanMs = OUTBOX_RETENTION_MS,
  batch = 1000,
): Promise<number> {
  const rows = (await db.execute(sql`
    DELETE FROM outbox WHERE id IN (
      SELECT id FROM outbox WHERE sent_at < now() - make_interval(secs => ${olderThanMs / 1000}) LIMIT ${batch})
    RETURNING id`)) as unknown as { id: string }[];
  return rows.length;
}

export interface RelayLoop {
  stop(): Promise<void>;
}

/** Polls the outbox; a short interval keeps latency low without a second moving part. */
export function startOutboxRelay(
  db: Db,
  queues: Queues,
  opts: { intervalMs?: number; onError?: (err: unknown) => void; onPass?: () => void } = {},
): RelayLoop {
  const interval = opts.intervalMs ?? 250;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;

  let passes = 0;
  const pass = async () => {
    try {
      // Drain: keep going while full batches come back.
      while (!stopped && (await relayOutbox(db, queues)) === 100) {}
      // Now and then, not every tick: the purge is housekeeping.
      if (passes++ % 1000 === 0) await purgeSentOutbox(db);
      opts.onPass?.();
    } catch (err) {
      opts.onError?.(err);
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = pass().then(schedule);
    }, interval);
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Job } from 'bullmq';
import { eq, isNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { outbox, users } from '../../src/db/schema';
import { enqueue, purgeSentOutbox, relayOutbox } from '../../src/jobs/outbox';
import type { JobProcessor } from '../../src/jobs/processor';
import type { Queues } from '../../src/jobs/queues';
import { startWorkers } from '../../src/workers';
import { probeJob } from '../fixtures/jobs';
import { setupTestApp, type TestApp } from '../helper';

let t: TestApp;
const seen: string[] = [];
const probe: JobProcessor = {
  queue: 'notifications',
  concurrency: 4,
  async process(job: Job) {
    seen.push(job.id!);
  },
};
const silent = { info() {}, warn() {}, error() {} };

beforeAll(async () => {
  t = await setupTestApp();
});
afterAll(() => t?.close());
beforeEach(async () => {
  seen.length = 0;
  await t.deps.queues.get('notifications').obliterate({ force: true });
  await t.deps.db.delete(outbox);
});

async function runWorkersUntil(expected: number) {
  const rt = startWorkers(t.deps, silent, { processors: [probe], relayIntervalMs: 20 });
  const deadline = Date.now() + 10_000;
  while (seen.length < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  // A little longer, so a duplicate would have time to show up.
  await new Promise((r) => setTimeout(r, 300));
  await rt.close();
}

describe('transactional outbox', () => {
  it('a process killed right after commit loses nothing: the relay later enqueues the job exactly once', async () => {
    const child = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        fileURLToPath(new URL('../fixtures/commit-and-die.ts', import.meta.url)),
        t.deps.config.DATABASE_URL!,
        '已提交',
      ],
      { encoding: 'utf8', timeout: 30_000 },
    );
    expect(child.signal).toBe('SIGKILL');
    const [user] = await t.deps.db.select().from(users).where(eq(users.phone, '13800000010'));
    expect(user!.name).toBe('已提交');
    const pending = await t.deps.db.select().from(outbox).where(isNull(outbox.sentAt));
    expect(pending).toHaveLength(1);

    await runWorkersUntil(1);
    await relayOutbox(t.deps.db, t.deps.queues); // a replay of the relay
    await runWorkersUntil(1);
    expect(seen).toEqual([pending[0]!.id]);
    const [row] = await t.deps.db.select().from(outbox).where(eq(outbox.id, pending[0]!.id));
    expect(row!.sentAt).not.toBeNull();
  });

  it('a relay that dies after enqueue but before marking sent enqueues nothing twice when replayed', async () => {
    const id = await enqueue(t.deps.db, probeJob, {});
    // Queues whose add() succeeds and then the process "dies" before the transaction commits.
    const dying: Queues = {
      ...t.deps.queues,
      get: (name) => {
        const q = t.deps.queues.get(name);
        return new Proxy(q, {
          get(target, prop, recv) {
            if (prop === 'add')
              return async (...args: Parameters<typeof q.add>) => {
                await target.add(...args);
                throw new Error('killed');
              };
            return Reflect.get(target, prop, recv);
          },
        });
      },
    };
    await expect(relayOutbox(t.deps.db, dying)).rejects.toThrow('killed');
    const [unsent] = await t.deps.db.select().from(outbox).where(eq(outbox.id, id));
    expect(unsent!.sentAt).toBeNull();

    expect(await relayOutbox(t.deps.db, t.deps.queues)).toBe(1);
    expect(await relayOutbox(t.deps.db, t.deps.queues)).toBe(0);
    const counts = await t.deps.queues.get('notifications').getJobCounts('waiting', 'delayed');
    expect((counts.waiting ?? 0) + (counts.delayed ?? 0)).toBe(1);
    await runWorkersUntil(1);
    expect(seen).toEqual([id]);
  });

  it('relays racing over 60 rows hand each row to the queue once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) ids.push(await enqueue(t.deps.db, probeJob, { i }));
    const handed = await Promise.all(
      Array.from({ length: 6 }, () => relayOutbox(t.deps.db, t.deps.queues, 15)),
    );
    const more = await Promise.all(
      Array.from({ length: 6 }, () => relayOutbox(t.deps.db, t.deps.queues, 15)),
    );
    expect([...handed, ...more].reduce((a, b) => a + b, 0)).toBe(60);
    await runWorkersUntil(60);
    expect(seen.sort()).toEqual(ids.sort());
  });

  it('sent rows older than the retention are purged; unsent and recent ones stay', async () => {
    const old = await enqueue(t.deps.db, probeJob, {});
    const recent = await enqueue(t.deps.db, probeJob, {});
    const unsent = await enqueue(t.deps.db, probeJob, {});
    await t.deps.db.execute(sql`UPDATE outbox SET sent_at = now() - interval '8 days' WHERE id = ${old}`);
    await t.deps.db.execute(sql`UPDATE outbox SET sent_at = now() - interval '1 day' WHERE id = ${recent}`);
    expect(await purgeSentOutbox(t.deps.db)).toBe(1);
    const left = (await t.deps.db.select({ id: outbox.id }).from(outbox)).map((r) => r.id).sort();
    expect(left).toEqual([recent, unsent].sort());
  });

  it('a rolled-back change leaves no job behind', async () => {
    await t.deps.db
      .transaction(async (tx) => {
        await enqueue(tx, probeJob, {});
        throw new Error('business rule failed');
      })
      .catch(() => {});
    const rows = (await t.deps.db.execute(sql`SELECT count(*)::int AS n FROM outbox`)) as unknown as {
      n: number;
    }[];
    expect(rows[0]!.n).toBe(0);
  });
});

import type { Job } from 'bullmq';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { JobProcessor } from '../../src/jobs/processor';
import { startWorkers } from '../../src/workers';
import { setupTestApp, type TestApp } from '../helper';

let t: TestApp;
beforeAll(async () => {
  t = await setupTestApp();
});
afterAll(() => t?.close());

it('graceful shutdown lets an in-flight job finish before the workers close', async () => {
  let started = false;
  let finished = false;
  const slow: JobProcessor = {
    queue: 'notifications',
    concurrency: 1,
    async process(_job: Job) {
      started = true;
      await new Promise((r) => setTimeout(r, 800));
      finished = true;
      return 'done';
    },
  };
  const rt = startWorkers(t.deps, { info() {}, warn() {}, error() {} }, { processors: [slow] });
  const job = await t.deps.queues.get('notifications').add('slow', {});
  while (!started) await new Promise((r) => setTimeout(r, 10));

  await rt.close();
  expect(finished).toBe(true);
  expect(await job.getState()).toBe('completed');
  expect((await t.deps.queues.get('notifications').getJob(job.id!))?.returnvalue).toBe('done');
});

import type { z } from 'zod';
import type { DbOrTx } from '../db/client';
import type { AppDeps } from '../deps';
import type { JobSpec } from '../module';
import { enqueue } from './outbox';

/**
 * A timeout job re-checks its own deadline against the data, not against the job's word: a forged
 * job, or one that fires a moment early because two machines' clocks differ, changes nothing.
 * When the deadline is still ahead it queues itself again for the time left, so an early run
 * never loses the timeout.
 */
export async function notDueYet<P extends z.ZodType>(
  tx: DbOrTx,
  deps: Pick<AppDeps, 'clock'>,
  dueAt: Date,
  again: { job: JobSpec<P>; payload: z.input<P> },
): Promise<boolean> {
  const left = dueAt.getTime() - deps.clock.now().getTime();
  if (left <= 0) return false;
  await enqueue(tx, again.job, again.payload, { delayMs: left });
  return true;
}

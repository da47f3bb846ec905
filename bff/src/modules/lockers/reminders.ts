import type { DbOrTx } from '../../db/client';
import type { AppDeps } from '../../deps';
import { enqueue } from '../../jobs/outbox';
import { lockerOverdueJob, lockerReminderJob } from './jobs';

type Deps = Pick<AppDeps, 'config'>;

/** Reminder 2 h after the drop, one 2 h before the deadline, and the overdue check at it. */
export async function scheduleLockerJobs(
  tx: DbOrTx,
  deps: Deps,
  orderId: string,
  from: Date,
  deadline: Date,
) {
  const remind = deps.config.LOCKER_REMINDER_MINUTES * 60_000;
  const until = (at: number) => Math.max(0, at - from.getTime());
  const jobs: string[] = [];
  if (from.getTime() + remind < deadline.getTime() - remind)
    jobs.push(
      await enqueue(
        tx,
        lockerReminderJob,
        { orderId, kind: 'uncollected', deadline: deadline.toISOString() },
        { delayMs: remind },
      ),
    );
  jobs.push(
    await enqueue(
      tx,
      lockerReminderJob,
      { orderId, kind: 'deadline', deadline: deadline.toISOString() },
      { delayMs: until(deadline.getTime() - remind) },
    ),
  );
  jobs.push(
    await enqueue(
      tx,
      lockerOverdueJob,
      { orderId, deadline: deadline.toISOString() },
      { delayMs: until(deadline.getTime()) },
    ),
  );
  return jobs;
}

import type { JobProcessor } from '../../jobs/registry';
import { assignBank, finalizeBatch, runCutoff } from './batches';
import { markOverdue, sendReminder } from './pickup';
import { cutoffsDue } from './scheduler';

/**
 * The lockers queue: cut-offs fired by the schedulers, the build flow (one child per bank, a
 * parent that closes the batch), reminders and the overdue check. All are safe to run twice.
 */
export const lockerJobs: JobProcessor = {
  queue: 'lockers',
  concurrency: 4,
  async process(job, deps) {
    const d = job.data as Record<string, string>;
    switch (job.name) {
      case 'schedule.cutoff': {
        const due = await cutoffsDue(deps, d.scheduleId);
        for (const windowId of due) await runCutoff(deps, windowId);
        return due.length;
      }
      case 'window.cutoff':
        return (await runCutoff(deps, d.windowId!)) !== null;
      case 'batch.assignBank':
        return assignBank(deps, d.batchId!, d.bankId!);
      case 'batch.finalize':
        return finalizeBatch(deps, d.batchId!);
      case 'locker.reminder':
        return sendReminder(deps, d.orderId!, d.kind!, d.deadline!);
      case 'locker.overdue':
        return markOverdue(deps, d.orderId!);
      default:
        throw new Error(`unknown lockers job ${job.name}`);
    }
  },
};

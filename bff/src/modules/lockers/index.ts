import { handles, type LinliModule } from '../../module';
import { registerDeliveryMode, registerOrderViewPart } from '../orders';
import { registerPaymentSubject } from '../payments';
import { assignBank, finalizeBatch, runCutoff, runMissedCutoffs } from './batches';
import { lockerCheckout } from './checkout';
import { EXTENSION_SUBJECT, extensionsArePaidFor } from './extension-fee';
import {
  assignBankJob,
  finalizeBatchJob,
  LOCKERS_QUEUE,
  lockerOverdueJob,
  lockerReminderJob,
  scheduleCutoffJob,
} from './jobs';
import { markOverdue, orderLockers, sendReminder } from './pickup';
import { lockerRoutes } from './routes';
import { cutoffsDue, upsertCutoffSchedulers } from './scheduler';
import { seedLockers } from './seed';

// Lockers take part in checkout and in order views; orders never import lockers.
registerDeliveryMode('locker', lockerCheckout);
registerOrderViewPart('locker', orderLockers);
// The extension fee is what lockers take money for.
registerPaymentSubject(EXTENSION_SUBJECT, extensionsArePaidFor);

/** Smart lockers, delivery windows and batches, the courier's run, pickups at the panel. */
export const lockersModule: LinliModule = {
  seed: seedLockers,
  name: 'lockers',
  routes: lockerRoutes,
  queues: [LOCKERS_QUEUE],
  jobs: [
    handles(scheduleCutoffJob, async (p, deps) => {
      const due = await cutoffsDue(deps, p.scheduleId);
      for (const windowId of due) await runCutoff(deps, windowId);
      return due.length;
    }),
    handles(assignBankJob, (p, deps) => assignBank(deps, p.batchId, p.bankId)),
    handles(finalizeBatchJob, (p, deps) => finalizeBatch(deps, p.batchId)),
    handles(lockerReminderJob, (p, deps) => sendReminder(deps, p.orderId, p.kind, p.deadline)),
    handles(lockerOverdueJob, (p, deps) => markOverdue(deps, p.orderId)),
  ],
  // The cut-off schedulers are created at boot; their fixed ids make this a no-op when they exist.
  // Cut-offs missed while no worker ran are caught up first (a scheduler fires only at its next one).
  onWorkerStart: async (deps, log) => {
    const missed = await runMissedCutoffs(deps);
    if (missed.length) log.info({ windows: missed }, 'missed delivery cut-offs run at start');
    await upsertCutoffSchedulers(deps);
  },
};

// What 首页 reads: the next window, the courier's batches, the staff's overdue list.
export { courierBatches } from './batches';
// What the volunteers module reads and does here for the produce run (a volunteer collects an
// elder's order with a one-time delegated code).
export {
  collectedByDelegate,
  delegationFor,
  issueDelegation,
  lockerOrdersWaiting,
  revokeDelegations,
  type WaitingLockerOrder,
} from './delegations';
export { staffOverdue } from './pickup';
export { openWindows, windowRow } from './windows';

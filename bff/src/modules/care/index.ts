import type { FastifyInstance } from 'fastify';
import { handles, type LinliModule } from '../../module';
import { registerPaymentSubject } from '../payments';
import { bookingRoutes } from './booking-routes';
import { careBookingsArePaidFor, expireUnpaidBooking, reassignRequest } from './bookings';
import { catalogRoutes } from './catalog-routes';
import {
  CARE_QUEUE,
  careConfirmTimeoutJob,
  careNoClockInJob,
  careOverrunJob,
  careReminderJob,
  careUnpaidJob,
} from './jobs';
import { mealRoutes } from './meal-routes';
import { mealJobs, startMealSchedulers } from './meals';
import { providerRoutes } from './provider-routes';
import { alertNoClockIn, alertOverrun, confirmTimedOut, sendReminder } from './reminders';
import { seedCare } from './seed';
import { startVoucherScheduler, statementJobs } from './statements';
import { visitRoutes } from './visit-routes';
import { voucherRoutes } from './voucher-routes';

// Care bookings' self-pay goes through payments, which never imports care.
registerPaymentSubject('care_booking', careBookingsArePaidFor);

async function careRoutes(app: FastifyInstance) {
  await catalogRoutes(app);
  await providerRoutes(app);
  await bookingRoutes(app);
  await visitRoutes(app);
  await voucherRoutes(app);
  await mealRoutes(app);
}

/**
 * Home care for elders: the catalogue, providers and caregivers, availability and bookings (by
 * the elder or a consented family member), vouchers, visits with clock-in/out, meal plans, the
 * personal-data access log and the family dashboard.
 */
export const careModule: LinliModule = {
  name: 'care',
  seed: seedCare,
  routes: careRoutes,
  queues: [CARE_QUEUE],
  jobs: [
    handles(careReminderJob, (p, deps) => sendReminder(deps, p.bookingId, p.kind, p.dueAt)),
    handles(careNoClockInJob, (p, deps) => alertNoClockIn(deps, p.bookingId, p.startsAt)),
    handles(careOverrunJob, (p, deps) => alertOverrun(deps, p.bookingId, p.endsAt)),
    handles(careConfirmTimeoutJob, (p, deps) =>
      confirmTimedOut(deps, p.bookingId, p.version, (tx, b) => reassignRequest(tx, deps, b)),
    ),
    handles(careUnpaidJob, (p, deps) => expireUnpaidBooking(deps, p.bookingId, p.payBy)),
    ...mealJobs,
    ...statementJobs,
  ],
  onWorkerStart: async (deps) => {
    await startMealSchedulers(deps);
    await startVoucherScheduler(deps);
  },
};

export { careItemsByIds } from './catalog';
// What the volunteers module reads of care: the elder's profile and place, the access log, the
// family, and the volunteer-performed items.
export { type ElderContext, elderContext, logElderRead, type SensitiveField } from './elders';
export { staffCareProviders } from './providers';
export { familyOf } from './reminders';

import type { FastifyInstance } from 'fastify';
import type { LinliModule } from '../../module';
import { bookingRoutes } from './booking-routes';
import { catalogRoutes } from './catalog-routes';
import { CARE_QUEUE } from './jobs';
import { mealRoutes } from './meal-routes';
import { mealJobs, startMealSchedulers } from './meals';
import { providerRoutes } from './provider-routes';
import { seedCare } from './seed';
import { startVoucherScheduler, statementJobs } from './statements';
import { visitRoutes } from './visit-routes';
import { voucherRoutes } from './voucher-routes';

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
  jobs: [...mealJobs, ...statementJobs],
  onWorkerStart: async (deps) => {
    await startMealSchedulers(deps);
    await startVoucherScheduler(deps);
  },
};

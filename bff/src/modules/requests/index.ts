import type { LinliModule } from '../../module';
import { rearmTimers, requestJobs, startRequestSweep } from './deadlines';
import { REQUESTS_QUEUE } from './jobs';
import { requestRoutes } from './routes';
import { seedRequests } from './seed';

/**
 * Resident requests (the one-number service): needs, complaints and repairs raised by verified
 * residents, dispatched by staff to a staff member or a home-service shop, answered and resolved
 * within per-category time limits (delayed jobs through the outbox, escalated once to the
 * community's lead when missed, re-armed on every worker start), rated or reopened once, and
 * counted in public monthly figures.
 */
export const requestsModule: LinliModule = {
  name: 'requests',
  seed: seedRequests,
  routes: requestRoutes,
  queues: [REQUESTS_QUEUE],
  jobs: requestJobs,
  onWorkerStart: async (deps, log) => {
    const added = await rearmTimers(deps);
    if (added) log.info({ added }, 'requests: re-armed missing time-limit jobs');
    await startRequestSweep(deps);
  },
};

export { HOME_SERVICE_CATEGORIES, staffRequests } from './service';

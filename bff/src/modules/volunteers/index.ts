import type { FastifyInstance } from 'fastify';
import { handles, type LinliModule } from '../../module';
import { activityJobs } from './activities';
import { activityRoutes } from './activity-routes';
import { checkinRoutes } from './checkin-routes';
import { checkinJobs, startCheckinScheduler } from './checkins';
import { emergencyJobs } from './emergency';
import { emergencyRoutes } from './emergency-routes';
import { errandRoutes } from './errand-routes';
import { errandJobs, startErrandScheduler } from './errands';
import {
  hoursAutoConfirmJob,
  offerWaveJob,
  taskDeadlineJob,
  taskStaffAlertJob,
  VOLUNTEERS_QUEUE,
  weekVisitPlanJob,
} from './jobs';
import { seedVolunteers } from './seed';
import { taskRoutes } from './task-routes';
import { alertStaff, autoConfirmHours, expireTask, sendWave } from './tasks';
import { planWeekVisits, startWeekPlanScheduler } from './visit-plan';

async function volunteerRoutes(app: FastifyInstance) {
  await taskRoutes(app);
  await activityRoutes(app);
  await emergencyRoutes(app);
  await checkinRoutes(app);
  await errandRoutes(app);
}

/**
 * Volunteers: real-name profiles, help tasks offered in fair waves, the time bank (好人好事银行),
 * activities and emergency teams, one-tap emergency help, well-being check-ins, and the produce
 * run that brings an elder's locker order to the door.
 */
export const volunteersModule: LinliModule = {
  name: 'volunteers',
  seed: seedVolunteers,
  routes: volunteerRoutes,
  queues: [VOLUNTEERS_QUEUE],
  jobs: [
    handles(offerWaveJob, (p, deps) => sendWave(deps, p.taskId, p.wave, p.version)),
    handles(taskStaffAlertJob, (p, deps) => alertStaff(deps, p.taskId, p.version)),
    handles(taskDeadlineJob, (p, deps) => expireTask(deps, p.taskId, p.deadline)),
    handles(hoursAutoConfirmJob, (p, deps) => autoConfirmHours(deps, p.taskId, p.confirmBy)),
    handles(weekVisitPlanJob, (_p, deps) => planWeekVisits(deps)),
    ...emergencyJobs,
    ...checkinJobs,
    ...activityJobs,
    ...errandJobs,
  ],
  onWorkerStart: async (deps) => {
    await startCheckinScheduler(deps);
    await startErrandScheduler(deps);
    await startWeekPlanScheduler(deps);
  },
};

/** Shared with the community office's activities: the staff member's community, the code-try counter. */
export { MAX_ACTIVITY_CODE_TRIES, staffCommunity, takeCodeTry } from './activities';
export { staffVolunteers } from './profiles';

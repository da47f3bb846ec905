import type { JobHandler } from '../../module';

export const checkinJobs: JobHandler[] = [];

/** Job schedulers the check-ins need in a worker (created once; fixed ids make a restart a no-op). */
export async function startCheckinScheduler(_deps: import('../../deps').AppDeps): Promise<void> {}

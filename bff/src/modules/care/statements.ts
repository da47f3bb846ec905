import type { AppDeps } from '../../deps';
import type { JobHandler } from '../../module';

export const statementJobs: JobHandler[] = [];

/** Creates the monthly voucher scheduler (worker start-up). */
export async function startVoucherScheduler(_deps: AppDeps): Promise<void> {}

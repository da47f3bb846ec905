import type { JobHandler } from '../../module';

export const statementJobs: JobHandler[] = [];

import type { JobHandler } from '../../module';

export const mealJobs: JobHandler[] = [];

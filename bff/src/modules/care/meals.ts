import type { AppDeps } from '../../deps';
import type { JobHandler } from '../../module';

export const mealJobs: JobHandler[] = [];

/** Creates the meal cut-off schedulers (worker start-up). */
export async function startMealSchedulers(_deps: AppDeps): Promise<void> {}

import { z } from 'zod';
import { defineJob } from '../../module';

/**
 * Every five minutes: elders 80 and over who consented get a produce-run task for each locker
 * order waiting longer than they chose. Safe to run twice (one task per order).
 */
export const errandScanJob = defineJob({
  queue: 'volunteers',
  name: 'volunteers.errandScan',
  payload: z.object({}),
});
/** The scan's job scheduler: a fixed id, so every worker start upserts the same one. */
export const ERRAND_SCHEDULER_ID = 'volunteers-errand-scan';
export const ERRAND_SCAN_EVERY_MS = 5 * 60_000;

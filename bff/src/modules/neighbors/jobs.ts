import { Id } from 'shared';
import { z } from 'zod';
import { defineJob, type QueueSpec } from '../../module';

/**
 * The neighbors queue: WeChat's image check of a post's new photos, after the commit that
 * attached them (the photo must be stored and attached before it can be read back). The job
 * re-reads the post and checks only photos it still shows, so a replayed or forged job changes
 * nothing it should not.
 */
export const NEIGHBORS_QUEUE: QueueSpec = { name: 'neighbors', concurrency: 2 };

export const imageCheckJob = defineJob({
  queue: 'neighbors',
  name: 'neighbors.imageCheck',
  payload: z.object({ postId: Id, imageIds: z.array(Id).min(1).max(9) }),
  attempts: 3,
});

import { eq } from 'drizzle-orm';
import { handles, type LinliModule } from '../../module';
import { registerPublicShownCheck } from '../uploads';
import { checkImages } from './image-check';
import { imageCheckJob, NEIGHBORS_QUEUE } from './jobs';
import { neighborRoutes } from './routes';
import { seedNeighbors } from './seed';
import { neighborPosts } from './tables';

// A post's photo is on show while the post is published and still shows it (not hidden or
// removed by moderation, deleted, or edited without it).
registerPublicShownCheck('post', async (db, postId, uploadId) => {
  const [post] = await db
    .select({ status: neighborPosts.status, imageIds: neighborPosts.imageIds })
    .from(neighborPosts)
    .where(eq(neighborPosts.id, postId));
  return post?.status === 'published' && post.imageIds.includes(uploadId);
});

/**
 * Neighbors (邻里): posts by topic with images, comments with one level of replies, likes,
 * reports that hide a post once enough members agree, staff's review queue, a community's
 * sensitive-word list and WeChat's content check before anything is published, and the 推荐
 * posts a shop page shows.
 */
export const neighborsModule: LinliModule = {
  name: 'neighbors',
  routes: neighborRoutes,
  seed: seedNeighbors,
  queues: [NEIGHBORS_QUEUE],
  jobs: [handles(imageCheckJob, (p, deps) => checkImages(deps, p.postId, p.imageIds))],
};

export { moderationQueue } from './moderation';
export { feedRows } from './posts';

import { eq } from 'drizzle-orm';
import { neighborContentFlow } from 'shared';
import { advance } from '../../db/flow-update';
import type { AppDeps } from '../../deps';
import { audit } from '../audit';
import { notify } from '../notifications';
import { type ObjectStore, storeFromConfig, uploadBytes } from '../uploads';
import { openCase, postLink } from './cases';
import { neighborPosts } from './tables';

let store: { key: AppDeps['config']; store: ObjectStore } | undefined;
/** The uploads' store, built once per configuration (it is a client to keep). */
function storeFor(deps: AppDeps): ObjectStore {
  if (store?.key !== deps.config) store = { key: deps.config, store: storeFromConfig(deps.config) };
  return store.store;
}

/**
 * WeChat's imgSecCheck on each new photo of a post (its thumbnail, within WeChat's size limits),
 * after the post was published. A risky photo hides the post for staff to review and tells the
 * author; WeChat unreachable opens a review entry instead (the post stays up), so no photo goes
 * unchecked silently. Photos the post no longer shows, and posts that are gone, are skipped.
 */
export async function checkImages(deps: AppDeps, postId: string, imageIds: string[]): Promise<void> {
  if (!deps.config.NEIGHBOR_WECHAT_CHECK) return;
  const [post] = await deps.db.select().from(neighborPosts).where(eq(neighborPosts.id, postId));
  if (!post || (post.status !== 'published' && post.status !== 'hidden')) return;
  const reader = { db: deps.db, store: storeFor(deps) };
  let risky = false;
  let unavailable = false;
  for (const id of imageIds.filter((i) => post.imageIds.includes(i))) {
    const file = await uploadBytes(reader, id, 'thumb');
    if (!file) continue;
    try {
      const verdict = await deps.wechat.imgSecCheck({ data: file.data, contentType: file.contentType });
      if (verdict.suggest === 'risky') risky = true;
    } catch {
      unavailable = true;
    }
    if (risky) break;
  }
  if (!risky && !unavailable) return;
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    if (risky) {
      const [hidden] = await advance(
        tx,
        neighborPosts,
        neighborPosts.status,
        neighborContentFlow,
        'hide',
        eq(neighborPosts.id, postId),
        { moderationReason: '图片未通过内容安全检查', moderatedAt: now },
      );
      await openCase(tx, {
        communityId: post.communityId,
        targetType: 'post',
        targetId: postId,
        postId,
        cause: 'content_review',
        checkLabel: 'image:87014',
        at: now,
      });
      if (hidden) {
        await audit(tx, null, 'neighbors.image_hidden', { type: 'neighbor_post', id: postId });
        await notify(tx, {
          userId: post.authorId,
          kind: 'neighbors.hidden',
          title: '你的动态已被暂时隐藏',
          body: '动态中的图片未通过内容安全检查，社区工作人员审核前仅你自己可见',
          link: postLink(postId),
          dedupeKey: `neighbors.image_hidden:${postId}:${now.getTime()}`,
        });
      }
    } else {
      await openCase(tx, {
        communityId: post.communityId,
        targetType: 'post',
        targetId: postId,
        postId,
        cause: 'check_unavailable',
        at: now,
      });
    }
  });
}

import Taro from '@tarojs/taro';
import { useState } from 'react';
import type { LikeResult, Post } from 'shared';
import { call } from '../../api';
import { errorMessage } from '../../api/errors';
import { type LikeState, toggledLike } from './feed-model';

/**
 * What the post pages tell the feed without reloading it (a reload would drop the pages scrolled
 * so far): the likes changed since it loaded, and that a post was written, edited or deleted.
 */
const likes = new Map<string, LikeState>();
let stale = false;

/** A post was written, edited or deleted: the feed starts again from the top when shown next. */
export function markFeedStale(): void {
  stale = true;
}

/** Whether the feed must reload; asking clears it. */
export function takeFeedStale(): boolean {
  const was = stale;
  stale = false;
  return was;
}

/** The like as last changed here, else as the post came. */
export function likeOf(post: Pick<Post, 'id' | 'likedByMe' | 'likeCount'>): LikeState {
  return likes.get(post.id) ?? { liked: post.likedByMe, likeCount: post.likeCount };
}

/** Fresh posts from the BFF: what they say replaces what was remembered. */
export function forgetLikes(posts: readonly { id: string }[]): void {
  for (const p of posts) likes.delete(p.id);
}

/**
 * 赞 / 取消赞, shown at once and taken back if the BFF refuses (with its reason in a toast). The
 * server's count wins when it answers. One tap at a time per post.
 */
export function useLike(): {
  like: (post: Pick<Post, 'id' | 'likedByMe' | 'likeCount'>) => Promise<void>;
  pending: ReadonlySet<string>;
} {
  const [, rerender] = useState(0);
  const [pending, setPending] = useState<ReadonlySet<string>>(new Set());

  async function like(post: Pick<Post, 'id' | 'likedByMe' | 'likeCount'>) {
    if (pending.has(post.id)) return;
    const before = likeOf(post);
    const after = toggledLike(before);
    likes.set(post.id, after);
    setPending((s) => new Set(s).add(post.id));
    rerender((n) => n + 1);
    try {
      const res: LikeResult = after.liked
        ? await call('likePost', { params: { id: post.id }, body: {} })
        : await call('unlikePost', { params: { id: post.id } });
      likes.set(post.id, { liked: res.liked, likeCount: res.likeCount });
    } catch (err) {
      likes.set(post.id, before);
      void Taro.showToast({
        title: `${after.liked ? '点赞' : '取消赞'}失败：${errorMessage(err)}`,
        icon: 'none',
      });
    } finally {
      setPending((s) => {
        const next = new Set(s);
        next.delete(post.id);
        return next;
      });
      rerender((n) => n + 1);
    }
  }

  return { like, pending };
}

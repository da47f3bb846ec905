import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { CONTENT_STATUS_LABELS, PAGES, POST_TOPIC_LABELS, type Post } from 'shared';
import { tappable } from '../../components/a11y';
import { Btn } from '../../components/Btn';
import { useElderMode } from '../../elder/use-elder-mode';
import { authorName, avatarChar, charsPerLine, countText, needsFold, relativeTime } from './feed-model';
import { likeOf } from './feed-store';
import { ImageGrid } from './ImageGrid';

export const openPost = (id: string, focus?: 'comment') =>
  void Taro.navigateTo({ url: `${PAGES.neighborPost}?id=${id}${focus ? `&focus=${focus}` : ''}` });

export const openShop = (id: string) => void Taro.navigateTo({ url: `${PAGES.shop}?id=${id}` });

/** 王阿姨, and 银杏院 · 3小时前 · 已编辑 under it, with the round badge and the topic. */
export function AuthorRow({ post }: { post: Post }) {
  return (
    <View className="nb-author">
      <View className="nb-avatar" aria-hidden>
        <Text>{avatarChar(post.author.name)}</Text>
      </View>
      <View className="nb-author__main">
        <Text className="nb-author__name" data-testid="nb-author">
          {authorName(post.author.name)}
        </Text>
        <Text className="nb-author__meta">
          {post.author.compound ? `${post.author.compound} · ` : ''}
          <Text className="nb-author__time">{relativeTime(post.createdAt)}</Text>
          {post.editedAt ? ' · 已编辑' : ''}
        </Text>
      </View>
      <Text className="tag nb-topic-tag">{POST_TOPIC_LABELS[post.topic]}</Text>
    </View>
  );
}

/** For the author only: their post is hidden or removed, and why. */
export function ModerationNote({ post }: { post: Pick<Post, 'status' | 'moderation'> }) {
  if (post.status !== 'hidden' && post.status !== 'removed') return null;
  const reason = post.moderation?.reason;
  return (
    <Text className="nb-status" data-testid="nb-moderation">
      {`${CONTENT_STATUS_LABELS[post.status]}${reason ? `。原因：${reason}` : ''}${
        post.status === 'hidden'
          ? '。社区审核前其他邻居暂时看不到这条动态。'
          : '。其他邻居已看不到这条动态，如有疑问可联系社区工作人员。'
      }`}
    </Text>
  );
}

/** The words of a post: folded after six lines with 全文 in the feed, whole on the post page. */
export function PostText({ text, fold }: { text: string; fold: boolean }) {
  const [elder] = useElderMode();
  const [open, setOpen] = useState(false);
  const foldable = fold && needsFold(text, charsPerLine(elder));
  const folded = foldable && !open;
  return (
    <View>
      <Text className={`nb-text${folded ? ' nb-text--folded' : ''}`} data-testid="nb-text" userSelect>
        {text}
      </Text>
      {foldable ? (
        <Text
          {...tappable()}
          className="nb-more tap-text"
          onClick={(e) => {
            e.stopPropagation();
            setOpen(!open);
          }}
          data-testid="nb-fold"
        >
          {open ? '收起' : '全文'}
        </Text>
      ) : null}
    </View>
  );
}

/** 推荐商家：邻里快修 › (only on a 推荐 post naming a shop) */
export function MerchantChip({ merchant }: { merchant: Post['merchant'] }) {
  if (!merchant) return null;
  return (
    <View
      {...tappable()}
      className="nb-merchant"
      onClick={(e) => {
        e.stopPropagation();
        openShop(merchant.id);
      }}
      data-testid="nb-merchant"
    >
      <Text>{`推荐商家：${merchant.name}`}</Text>
      <Text>去看看 ›</Text>
    </View>
  );
}

/** 赞 and 评论 under a post: the like shown at once (see useLike), the comments a tap away. */
export function PostActions({
  post,
  onLike,
  likeBusy,
  onComment,
}: {
  post: Post;
  onLike: () => void;
  likeBusy: boolean;
  onComment: () => void;
}) {
  const like = likeOf(post);
  if (post.status !== 'published') return null;
  return (
    <View className="nb-actions">
      <View className={like.liked ? 'nb-liked' : ''} style={{ flex: 1 }}>
        <Btn variant="ghost small" onClick={onLike} disabled={likeBusy} testId="nb-like">
          {`${like.liked ? '已赞' : '赞'} ${countText(like.likeCount, '')}`.trim()}
        </Btn>
      </View>
      <View style={{ flex: 1 }}>
        <Btn variant="ghost small" onClick={onComment} testId="nb-comment">
          {`评论 ${countText(post.commentCount, '')}`.trim()}
        </Btn>
      </View>
    </View>
  );
}

/** A post in a list (the feed, my posts, a shop's 邻居推荐): tap it to open it. */
export function PostCard({
  post,
  onLike,
  likeBusy,
  body,
  showStatus = false,
}: {
  post: Post;
  onLike: () => void;
  likeBusy: boolean;
  /** In place of the folded text: search draws its highlighted excerpt here. */
  body?: React.ReactNode;
  /** 我的动态: say 已发布 too (hidden and removed ones always say so, with why). */
  showStatus?: boolean;
}) {
  return (
    // The whole card opens the post for a finger; for a screen reader and a keyboard the author line
    // is the control (the tap bubbles to the card), since a card holding 点赞 and 评论 cannot be a
    // button itself.
    <View
      data-tap-passive
      className="card nb-post"
      onClick={() => openPost(post.id)}
      data-testid={`nb-post-${post.id}`}
    >
      <View {...tappable()}>
        <AuthorRow post={post} />
      </View>
      {showStatus && post.status === 'published' ? (
        <Text className="tag tag--approved nb-published" data-testid="nb-post-status">
          {CONTENT_STATUS_LABELS.published}
        </Text>
      ) : null}
      <ModerationNote post={post} />
      {post.title ? <Text className="nb-title">{post.title}</Text> : null}
      {body ?? <PostText text={post.text} fold />}
      <ImageGrid images={post.images} />
      <MerchantChip merchant={post.merchant} />
      <View data-tap-passive onClick={(e) => e.stopPropagation()}>
        <PostActions
          post={post}
          onLike={onLike}
          likeBusy={likeBusy}
          onComment={() => openPost(post.id, 'comment')}
        />
      </View>
    </View>
  );
}

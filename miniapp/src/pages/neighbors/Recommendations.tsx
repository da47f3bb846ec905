import { Text, View } from '@tarojs/components';
import type { Post } from 'shared';
import { call } from '../../api';
import { useCursorList } from '../../hooks/use-cursor-list';
import { MoreButton } from '../../market/MoreButton';
import { useLike } from './feed-store';
import { PostCard } from './PostCard';

/**
 * 邻居推荐 on a shop's page: neighbours' 推荐 posts naming it, three at a time. Quietly absent when
 * there are none, or when they cannot load (the shop page works without them). The shop page
 * imports neighbors.scss after its market styles, as the 邻里 pages do: one order for the CSS.
 */
export function Recommendations({ merchantId }: { merchantId: string }) {
  const list = useCursorList<Post>(
    (cursor) => call('merchantRecommendations', { params: { id: merchantId }, query: { cursor, limit: 3 } }),
    { key: merchantId },
  );
  const { like, pending } = useLike();
  if (!list.items.length) return null;
  return (
    <View className="stack" data-testid="shop-recommendations" style={{ marginBottom: '12px' }}>
      <Text className="card__title">{`邻居推荐（${list.items.length}${list.hasMore ? '+' : ''}）`}</Text>
      {list.items.map((p) => (
        <PostCard key={p.id} post={p} onLike={() => void like(p)} likeBusy={pending.has(p.id)} />
      ))}
      <MoreButton list={list} />
    </View>
  );
}

import { Text, View } from '@tarojs/components';
import { useReachBottom, useRouter } from '@tarojs/taro';
import { useState } from 'react';
import { type Post, SEARCH_MAX_CHARS } from 'shared';
import { call } from '../api';
import { ErrorState, LoadingState, Page } from '../components/Page';
import { useApi } from '../hooks/use-api';
import { useCursorList } from '../hooks/use-cursor-list';
import { MoreButton } from '../market/MoreButton';
import { SearchBox } from '../market/SearchBox';
import { homeCommunity } from '../pages/neighbors/feed-model';
import { useLike } from '../pages/neighbors/feed-store';
import { PostCard } from '../pages/neighbors/PostCard';
import { excerptAround, highlightSpans } from './search-model';
import '../market/market.scss';
import '../market/market-elder.scss';
import '../pages/neighbors/neighbors.scss';
import '../pages/neighbors/neighbors-elder.scss';

/** The text with the words searched for marked: plain Text spans, never HTML. */
export function Highlighted({ text, query, className }: { text: string; query: string; className: string }) {
  return (
    <Text className={className} data-testid="nb-hit-text">
      {highlightSpans(text, query).map((s, i) =>
        s.match ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the spans of one text never reorder
          <Text key={i} className="nb-hit">
            {s.text}
          </Text>
        ) : (
          s.text
        ),
      )}
    </Text>
  );
}

/** 搜索动态 (?communityId=): posts whose title or text holds the words, newest first. */
export default function NeighborSearchPage() {
  const params = useRouter().params;
  const community = useApi(async () => {
    if (params.communityId) return params.communityId;
    return homeCommunity((await call('me')).memberships)?.communityId ?? null;
  });
  const [q, setQ] = useState('');
  return (
    <Page name="neighborSearch" state={community}>
      <SearchBox placeholder="搜索动态，如：猫、羽毛球、钥匙" onSearch={setQ} testId="nb-search" />
      {community.data === null ? (
        <View className="card empty">
          <Text>完成住户认证后才能搜索邻里动态</Text>
        </View>
      ) : community.data && q ? (
        <Results communityId={community.data} q={q.slice(0, SEARCH_MAX_CHARS)} />
      ) : (
        <Text className="muted">输入关键词，搜索本社区邻居们发的动态。</Text>
      )}
    </Page>
  );
}

function Results({ communityId, q }: { communityId: string; q: string }) {
  const list = useCursorList<Post>(
    (cursor) => call('neighborSearch', { query: { communityId, q, cursor, limit: 20 } }),
    { key: `${communityId}:${q}` },
  );
  const { like, pending } = useLike();
  useReachBottom(() => {
    if (list.hasMore && !list.loadingMore && !list.moreError) void list.loadMore();
  });
  if (list.data === undefined)
    return list.error ? <ErrorState error={list.error} onRetry={list.reload} /> : <LoadingState />;
  return (
    <View data-testid="nb-results">
      {list.error ? <ErrorState error={list.error} onRetry={list.reload} compact /> : null}
      {list.items.length === 0 ? (
        <View className="card empty" data-testid="nb-search-empty">
          <Text>{`没有找到包含「${q}」的动态，换个词试试`}</Text>
        </View>
      ) : null}
      {list.items.map((p) => (
        <PostCard
          key={p.id}
          post={{ ...p, title: null }}
          onLike={() => void like(p)}
          likeBusy={pending.has(p.id)}
          body={
            <View>
              {p.title ? <Highlighted text={p.title} query={q} className="nb-title" /> : null}
              <Highlighted text={excerptAround(p.text, q)} query={q} className="nb-text" />
            </View>
          }
        />
      ))}
      <MoreButton list={list} />
    </View>
  );
}

import { ScrollView, Text, View } from '@tarojs/components';
import Taro, { useDidShow, useReachBottom } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { PAGES, POST_TOPIC_LABELS, POST_TOPICS, type Post, type PostTopic } from 'shared';
import { call } from '../../api';
import { Btn } from '../../components/Btn';
import { ErrorState, LoadingState, Page } from '../../components/Page';
import { useApi } from '../../hooks/use-api';
import { useCursorList } from '../../hooks/use-cursor-list';
import { usePullRefresh } from '../../hooks/use-pull-refresh';
import { MoreButton } from '../../market/MoreButton';
import { homeCommunity, myPostsHeading } from './feed-model';
import { forgetLikes, takeFeedStale, useLike } from './feed-store';
import { PostCard } from './PostCard';
import '../../market/market.scss';
import '../../market/market-elder.scss';
import './neighbors.scss';
import './neighbors-elder.scss';
import { tappable } from '../../components/a11y';

type FeedView = 'all' | PostTopic | 'mine';
const go = (url: string) => void Taro.navigateTo({ url });

/**
 * 邻里: the community's posts, newest first, by topic (全部 + eight), with 我的动态 (my own, hidden
 * and removed ones with why). A tab of its own: 首页 stays what is waiting for me (locker codes,
 * deliveries); this is what neighbours browse.
 */
export default function NeighborsPage() {
  const me = useApi(
    async () => {
      const who = await call('me');
      const home = homeCommunity(who.memberships)?.communityId ?? null;
      // Staff read the feed of the community they serve without living there.
      const served =
        !home && who.roles.includes('staff') ? ((await call('communities')).items[0]?.id ?? null) : null;
      return { who, communityId: home ?? served };
    },
    { refreshOnShow: true },
  );
  const data = me.data;
  return (
    <Page name="neighbors" state={me}>
      {data ? (
        data.communityId ? (
          <Feed communityId={data.communityId} />
        ) : (
          <JoinCard pending={data.who.memberships.some((m) => m.status === 'pending')} />
        )
      ) : null}
    </Page>
  );
}

/** Not (yet) a verified member: what the feed is, and the way in — not an error. */
function JoinCard({ pending }: { pending: boolean }) {
  return (
    <View className="card stack nb-join" data-testid="nb-join">
      <Text className="card__title">邻里圈</Text>
      <Text>和同一个社区的邻居分享新鲜事：宠物、运动、二手闲置、失物招领、求助、好店推荐……</Text>
      {pending ? (
        <Text className="muted">您的住户认证正在审核中，通过后就能看到邻居们的动态、发动态了。</Text>
      ) : (
        <Text className="muted">为了让这里只有真正的邻居，需要先完成住户认证。</Text>
      )}
      <Btn onClick={() => go(PAGES.membership)} testId="nb-join-membership">
        {pending ? '查看认证进度' : '去住户认证'}
      </Btn>
    </View>
  );
}

function Feed({ communityId }: { communityId: string }) {
  const [view, setView] = useState<FeedView>('all');
  const list = useCursorList<Post>(
    (cursor) =>
      view === 'mine'
        ? call('myPosts', { query: { communityId, cursor, limit: 20 } })
        : call('neighborFeed', {
            query: { communityId, topic: view === 'all' ? undefined : view, cursor, limit: 20 },
          }),
    { key: `${communityId}:${view}` },
  );
  const { like, pending } = useLike();
  const switchView = (next: FeedView) => {
    setView(next);
    // The row of buttons may be scrolled past: show the switched list from its top.
    void Taro.pageScrollTo({ scrollTop: 0, duration: 0 }).catch(() => undefined);
  };

  // What the BFF just said about likes replaces what this page remembered.
  useEffect(() => {
    if (list.data) forgetLikes(list.data.items);
  }, [list.data]);
  // Back from a post: start again from the top when one was written, edited or deleted; else draw
  // again, for the likes given there.
  const [, redraw] = useState(0);
  useDidShow(() => {
    if (takeFeedStale()) void list.reload();
    else redraw((n) => n + 1);
  });
  usePullRefresh(list.reload);
  useReachBottom(() => {
    if (list.hasMore && !list.loadingMore && !list.moreError) void list.loadMore();
  });

  const chips: { id: FeedView; label: string }[] = [
    { id: 'all', label: '全部' },
    ...POST_TOPICS.map((t) => ({ id: t, label: POST_TOPIC_LABELS[t] })),
  ];

  return (
    <View data-testid="nb-feed">
      <View className="nb-bar">
        <View
          {...tappable()}
          className="nb-search-entry"
          onClick={() => go(`${PAGES.neighborSearch}?communityId=${communityId}`)}
          data-testid="nb-search-entry"
        >
          <Text>搜索邻里动态</Text>
        </View>
        <Btn
          variant={view === 'mine' ? 'small' : 'ghost small'}
          onClick={() => switchView(view === 'mine' ? 'all' : 'mine')}
          testId="nb-mine"
        >
          {view === 'mine' ? '全部动态' : '我的动态'}
        </Btn>
      </View>
      {view === 'mine' ? null : (
        <ScrollView className="nb-topics" scrollX enableFlex data-testid="nb-topics">
          <View className="nb-topics__row">
            {/* Real buttons, so a screen reader names each topic and which one is on. */}
            {chips.map((c) => (
              <Btn
                key={c.id}
                variant={c.id === view ? 'small' : 'ghost small'}
                onClick={() => switchView(c.id)}
                testId={`nb-topic-${c.id}`}
              >
                {c.id === view ? `✓ ${c.label}` : c.label}
              </Btn>
            ))}
          </View>
        </ScrollView>
      )}
      {list.data === undefined ? (
        list.error ? (
          <ErrorState error={list.error} onRetry={list.reload} />
        ) : (
          <LoadingState />
        )
      ) : (
        <View data-testid="nb-list">
          {list.error ? <ErrorState error={list.error} onRetry={list.reload} compact /> : null}
          {list.items.length === 0 ? (
            <View className="card empty" data-testid="nb-empty">
              <Text>
                {view === 'mine'
                  ? '您还没有发过动态'
                  : view === 'all'
                    ? '还没有邻居发动态，来发第一条吧'
                    : `「${POST_TOPIC_LABELS[view]}」话题下还没有动态`}
              </Text>
            </View>
          ) : null}
          {view === 'mine' && list.items.length > 0 ? (
            <Text className="card__title nb-mine-title" data-testid="nb-mine-title">
              {myPostsHeading(list.items.length, list.hasMore)}
            </Text>
          ) : null}
          {list.items.map((p) => (
            <PostCard
              key={p.id}
              post={p}
              onLike={() => void like(p)}
              likeBusy={pending.has(p.id)}
              showStatus={view === 'mine'}
            />
          ))}
          <MoreButton list={list} />
          {!list.hasMore && list.items.length > 0 ? <Text className="nb-end">没有更多了</Text> : null}
        </View>
      )}
      <View className="nb-fab">
        <Btn
          onClick={() =>
            go(
              `${PAGES.neighborEdit}?communityId=${communityId}${view !== 'all' && view !== 'mine' ? `&topic=${view}` : ''}`,
            )
          }
          testId="nb-new-post"
        >
          发动态
        </Btn>
      </View>
    </View>
  );
}

import { Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useEffect, useRef } from 'react';
import { type HomeResident, PAGES } from 'shared';
import { call } from '../../api';
import { tappable } from '../../components/a11y';
import { useApi } from '../../hooks/use-api';
import { usePoll } from '../../hooks/use-poll';
import { countText } from './home-model';
import './community-home.scss';
import './community-home-elder.scss';

const go = (url: string) => () => void Taro.navigateTo({ url });

/**
 * Loads again each time 首页 is shown. Not useApi's refreshOnShow: these mount once `me` has
 * loaded, after 首页's first show, so the first show they hear of is already a return.
 */
function useReloadOnShow(reload: () => Promise<void>) {
  useDidShow(() => void reload());
}

/**
 * 首页's red strip for an urgent alert (紧急通知) the resident has not acknowledged: large, at the
 * very top, until 我知道了 on the alert's page. It needs no subscribe-message quota: the app asks
 * each time 首页 is shown, and every minute while it stays open.
 */
export function CommunityAlertBanner() {
  const live = useApi(() => call('communityLiveAlerts'));
  useReloadOnShow(live.reload);
  usePoll(live.reload, 60_000);
  const a = live.data?.items[0];
  // 首页 keeps its scroll position between shows and polls, so a new alert could appear above the
  // fold: bring the page up to it once, the first time each alert is seen here.
  const shown = useRef<string | null>(null);
  useEffect(() => {
    if (!a || shown.current === a.id) return;
    shown.current = a.id;
    void Taro.pageScrollTo({ scrollTop: 0, duration: 200 }).catch(() => undefined);
  }, [a]);
  if (!a) return null;
  const more = (live.data?.items.length ?? 1) - 1;
  return (
    <View
      className="alert-banner"
      onClick={go(`${PAGES.communityAlert}?id=${a.id}`)}
      data-testid="home-alert"
      {...tappable()}
    >
      <Text className="alert-banner__title">{`紧急通知${more > 0 ? `（另有 ${more} 条）` : ''}`}</Text>
      <Text className="alert-banner__text" data-testid="home-alert-text">
        {a.text}
      </Text>
      <Text className="alert-banner__more">点击查看并确认 ›</Text>
    </View>
  );
}

/** 社区公告 (unread count, the newest pinned title) and the ways into 社区活动, 议事, 兴趣小组. */
export function CommunityCard({
  notices,
  noticesOnly,
}: {
  notices: NonNullable<HomeResident['notices']>;
  /** An elder's 首页: the notices row alone, fewest choices. */
  noticesOnly?: boolean;
}) {
  const unreadText =
    notices.unread > 0 ? countText(notices.unread, notices.more).replace(' 条', ' 条未读') : null;
  return (
    <View className="card" data-testid="home-community">
      <View
        className="link-row"
        onClick={go(PAGES.communityNotices)}
        {...tappable()}
        data-testid="home-notices"
      >
        <View className="home-notices__main">
          <Text>社区公告</Text>
          {notices.pinnedTitle ? (
            <Text className="muted home-notices__pinned" data-testid="home-notices-pinned">
              {`置顶：${notices.pinnedTitle}`}
            </Text>
          ) : null}
        </View>
        {unreadText ? (
          <Text className="badge" data-testid="home-notices-unread">
            {unreadText}
          </Text>
        ) : (
          <Text className="muted">›</Text>
        )}
      </View>
      {noticesOnly ? null : (
        <>
          <View
            className="link-row"
            onClick={go(PAGES.communityActivities)}
            {...tappable()}
            data-testid="home-activities"
          >
            <Text>社区活动</Text>
            <Text className="muted">报名、签到 ›</Text>
          </View>
          <View
            className="link-row"
            onClick={go(PAGES.communityPolls)}
            {...tappable()}
            data-testid="home-polls"
          >
            <Text>议事</Text>
            <Text className="muted">每户一票 ›</Text>
          </View>
          <View
            className="link-row"
            onClick={go(PAGES.communityGroups)}
            {...tappable()}
            data-testid="home-groups"
          >
            <Text>兴趣小组</Text>
            <Text className="muted">找同好 ›</Text>
          </View>
        </>
      )}
    </View>
  );
}

import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { PAGES } from 'shared';
import { call } from '../api';
import { Btn } from '../components/Btn';
import { AsyncContent, Page } from '../components/Page';
import { RequestRow } from '../components/RequestViews';
import { ToggleButtons } from '../components/ToggleButtons';
import { useApi } from '../hooks/use-api';
import { useCursorList } from '../hooks/use-cursor-list';
import { usePullRefresh } from '../hooks/use-pull-refresh';
import { MoreButton } from '../market/MoreButton';
import '../common/care-console.scss';
import '../common/care-console-elder.scss';
import './requests.scss';
import './requests-elder.scss';

type Scope = 'open' | 'done' | 'all';
const SCOPES: { value: Scope; label: string }[] = [
  { value: 'open', label: '办理中' },
  { value: 'done', label: '已结束' },
  { value: 'all', label: '全部' },
];
const EMPTY: Record<Scope, string> = {
  open: '没有正在办理的诉求。家里或小区有事，点上面的「我要反映」告诉社区。',
  done: '还没有已结束的诉求',
  all: '还没有反映过诉求',
};

/** 我的诉求: what I raised, where each stands and by when it is due; 我要反映 on top. */
export default function RequestsPage() {
  const [scope, setScope] = useState<Scope>('open');
  const me = useApi(() => call('me'), { refreshOnShow: true });
  const home = me.data?.memberships.find((m) => m.status === 'approved');
  // Only a verified resident has requests (the BFF answers 403 to anyone else): no call before that.
  const list = useCursorList(
    (cursor) =>
      home
        ? call('myRequests', { query: { scope, cursor, limit: 20 } })
        : Promise.resolve({ items: [], nextCursor: null }),
    {
      key: `${scope}-${home ? 'y' : 'n'}`,
      refreshOnShow: true,
    },
  );
  usePullRefresh(me.reload, list.reload);

  return (
    <Page name="requests" state={me}>
      {me.data && !home ? (
        <View className="card stack" data-testid="requests-not-resident">
          <Text className="card__title">认证住户后才能反映诉求</Text>
          <Text className="muted">社区需要知道是哪一户的事，才能安排人上门处理。</Text>
          <Btn onClick={() => void Taro.navigateTo({ url: PAGES.membership })} testId="requests-verify">
            去认证住户
          </Btn>
        </View>
      ) : null}
      {home ? (
        <>
          <View className="rqr-top">
            <Btn onClick={() => void Taro.navigateTo({ url: PAGES.requestNew })} testId="requests-new">
              我要反映
            </Btn>
          </View>
          <View className="rqr-tabs">
            <ToggleButtons options={SCOPES} selected={[scope]} onToggle={setScope} testId="requests-scope" />
          </View>
          <AsyncContent state={list}>
            {list.items.length === 0 ? (
              <View className="card" data-testid="requests-empty">
                <Text className="muted">{EMPTY[scope]}</Text>
              </View>
            ) : null}
            {list.items.map((r) => (
              <RequestRow
                key={r.id}
                r={r}
                onOpen={() => void Taro.navigateTo({ url: `${PAGES.requestDetail}?id=${r.id}` })}
              />
            ))}
            <MoreButton list={list} />
          </AsyncContent>
          <Btn
            variant="ghost"
            onClick={() => void Taro.navigateTo({ url: `${PAGES.officeStats}?id=${home.communityId}` })}
            testId="requests-stats"
          >
            社区诉求办理情况（每月公开）
          </Btn>
        </>
      ) : null}
    </Page>
  );
}

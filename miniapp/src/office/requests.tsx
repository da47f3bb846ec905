import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import {
  PAGES,
  REQUEST_CATEGORIES,
  REQUEST_CATEGORY_LABELS,
  REQUEST_STATUS_LABELS,
  type RequestCategory,
  type RequestSummary,
} from 'shared';
import { call } from '../api';
import { lateText, sortQueue } from '../common/request-model';
import { Btn } from '../components/Btn';
import { AsyncContent, Page } from '../components/Page';
import { RequestRow } from '../components/RequestViews';
import { ToggleButtons } from '../components/ToggleButtons';
import { useCursorList } from '../hooks/use-cursor-list';
import { usePoll } from '../hooks/use-poll';
import { usePullRefresh } from '../hooks/use-pull-refresh';
import { MoreButton } from '../market/MoreButton';
import { RequestSettingsCard } from './request-settings';
import '../common/care-console.scss';
import '../common/care-console-elder.scss';
import './requests.scss';
import './requests-elder.scss';

type StatusFilter =
  | 'open'
  | 'late'
  | 'submitted'
  | 'dispatched'
  | 'accepted'
  | 'resolved'
  | 'reopened'
  | 'all';
const STATUS_FILTERS: { value: StatusFilter; label: string }[] = [
  { value: 'open', label: '待办' },
  { value: 'late', label: '已超时' },
  { value: 'submitted', label: REQUEST_STATUS_LABELS.submitted },
  { value: 'reopened', label: '重新打开' },
  { value: 'dispatched', label: REQUEST_STATUS_LABELS.dispatched },
  { value: 'accepted', label: REQUEST_STATUS_LABELS.accepted },
  { value: 'resolved', label: REQUEST_STATUS_LABELS.resolved },
  { value: 'all', label: '全部' },
];

/** What the folded filters are set to, when not the defaults. */
function filterSummary(whose: 'all' | 'mine', category: CategoryFilter): string | null {
  const parts = [
    whose === 'mine' ? '派给我的' : null,
    category === 'any' ? null : REQUEST_CATEGORY_LABELS[category],
  ];
  const set = parts.filter(Boolean);
  return set.length ? `筛选：${set.join('、')}` : null;
}
type CategoryFilter = RequestCategory | 'any';
const CATEGORY_FILTERS: { value: CategoryFilter; label: string }[] = [
  { value: 'any', label: '全部类别' },
  ...REQUEST_CATEGORIES.map((c) => ({ value: c, label: REQUEST_CATEGORY_LABELS[c] })),
];
type Tab = 'queue' | 'settings';

/**
 * 诉求派单: the community's requests, what is past a time limit first and then by the time left;
 * filters by status and category. 时限设置: the limits per category and who is told when one is missed.
 */
export default function OfficeRequestsPage() {
  const [tab, setTab] = useState<Tab>('queue');
  const [status, setStatus] = useState<StatusFilter>('open');
  const [category, setCategory] = useState<CategoryFilter>('any');
  const [whose, setWhose] = useState<'all' | 'mine'>('all');
  const [more, setMore] = useState(false);
  const list = useCursorList(
    (cursor) =>
      call('staffRequests', {
        query: {
          status,
          cursor,
          limit: 50,
          ...(category === 'any' ? {} : { category }),
          ...(whose === 'mine' ? { mine: 'true' as const } : {}),
        },
      }),
    { key: `${status}-${category}-${whose}`, refreshOnShow: true },
  );
  usePullRefresh(list.reload);
  // Time left changes under the reader: refresh the queue every minute while it is on screen.
  usePoll(list.reload, 60_000, tab === 'queue');
  const items = sortQueue(list.items);

  return (
    <Page name="officeRequests">
      <View className="filter-bar">
        <ToggleButtons
          options={[
            { value: 'queue', label: '诉求队列' },
            { value: 'settings', label: '时限设置' },
          ]}
          selected={[tab]}
          onToggle={setTab}
          testId="office-requests-tab"
        />
      </View>
      {tab === 'settings' ? <RequestSettingsCard /> : null}
      {tab === 'queue' ? (
        <>
          <View className="card rqo-filters" data-testid="office-requests-filters">
            <ToggleButtons
              options={STATUS_FILTERS}
              selected={[status]}
              onToggle={setStatus}
              testId="office-requests-status"
            />
            {more ? (
              <>
                <ToggleButtons
                  options={[
                    { value: 'all', label: '全社区' },
                    { value: 'mine', label: '派给我的' },
                  ]}
                  selected={[whose]}
                  onToggle={setWhose}
                  testId="office-requests-whose"
                />
                <ToggleButtons
                  options={CATEGORY_FILTERS}
                  selected={[category]}
                  onToggle={setCategory}
                  testId="office-requests-category"
                />
              </>
            ) : null}
            <View className="rqo-more">
              <Text className="muted rqo-more__text">
                {filterSummary(whose, category) ?? '已超时的排在最前，其余按剩余时间排序'}
              </Text>
              <Btn variant="ghost small" onClick={() => setMore(!more)} testId="office-requests-more-filters">
                {more ? '收起' : '更多筛选'}
              </Btn>
            </View>
          </View>
          <AsyncContent state={list}>
            {items.length === 0 ? (
              <View className="card" data-testid="office-requests-empty">
                <Text className="muted">
                  {whose === 'mine'
                    ? '没有派给您处理的诉求'
                    : status === 'late'
                      ? '没有超时的诉求'
                      : '这里暂时没有诉求'}
                </Text>
              </View>
            ) : null}
            {items.map((r) => (
              <QueueRow key={r.id} r={r} />
            ))}
            <MoreButton list={list} />
          </AsyncContent>
        </>
      ) : null}
    </Page>
  );
}

function QueueRow({ r }: { r: RequestSummary }) {
  const late = lateText(r);
  return (
    <RequestRow
      r={r}
      desk
      testId={`office-request-${r.id}`}
      onOpen={() => void Taro.navigateTo({ url: `${PAGES.officeRequest}?id=${r.id}` })}
    >
      {late ? (
        <View className="rqo-tags">
          <Text className="rqo-late">{late}</Text>
        </View>
      ) : null}
    </RequestRow>
  );
}

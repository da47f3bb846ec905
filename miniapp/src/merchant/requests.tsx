import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useState } from 'react';
import { PAGES, type RequestDetail } from 'shared';
import { call } from '../api';
import { residentContactView, sortQueue } from '../common/request-model';
import { Btn } from '../components/Btn';
import { AsyncContent, Page } from '../components/Page';
import { RequestHandlerActions } from '../components/RequestHandlerActions';
import {
  DeadlineLine,
  PhoneRow,
  RequestContent,
  RequestHeadRow,
  RequestRow,
  RequestTimeline,
  ResolutionCard,
} from '../components/RequestViews';
import { ToggleButtons } from '../components/ToggleButtons';
import { useAnswered } from '../hooks/use-answered';
import { useCursorList } from '../hooks/use-cursor-list';
import { usePullRefresh } from '../hooks/use-pull-refresh';
import { MoreButton } from '../market/MoreButton';
import '../common/care-console.scss';
import '../common/care-console-elder.scss';
import './merchant.scss';
import './merchant-elder.scss';

type Scope = 'open' | 'done' | 'all';
const SCOPES: { value: Scope; label: string }[] = [
  { value: 'open', label: '待处理' },
  { value: 'done', label: '已完成' },
  { value: 'all', label: '全部' },
];

/**
 * 上门报修: the residents' requests the community dispatched to this shop. The list, or with `?id=`
 * one of them: accept it, call the resident, and close it with a note and photos of the work.
 */
export default function MerchantRequestsPage() {
  const { id } = useRouter().params;
  return id ? <RequestView id={id} /> : <RequestList />;
}

function RequestList() {
  const [scope, setScope] = useState<Scope>('open');
  const list = useCursorList((cursor) => call('merchantRequests', { query: { scope, cursor, limit: 20 } }), {
    key: scope,
    refreshOnShow: true,
  });
  usePullRefresh(list.reload);
  // Like the staff queue: overdue first, then the least time left, then the done ones newest first.
  const items = sortQueue(list.items);

  return (
    <Page name="merchantRequests">
      <View className="filter-bar">
        <ToggleButtons
          options={SCOPES}
          selected={[scope]}
          onToggle={setScope}
          testId="merchant-requests-scope"
        />
      </View>
      <AsyncContent state={list}>
        {list.items.length === 0 ? (
          <View className="card" data-testid="merchant-requests-empty">
            <Text className="muted">
              {scope === 'open' ? '暂时没有待处理的报修，社区派单后会通知您' : '还没有报修单'}
            </Text>
          </View>
        ) : null}
        {items.map((r) => (
          <RequestRow
            key={r.id}
            r={r}
            desk
            testId={`merchant-request-${r.id}`}
            onOpen={() => void Taro.navigateTo({ url: `${PAGES.merchantRequests}?id=${r.id}` })}
          />
        ))}
        <MoreButton list={list} />
      </AsyncContent>
    </Page>
  );
}

function RequestView({ id }: { id: string }) {
  const {
    state,
    current: r,
    answer: setAnswered,
  } = useAnswered(() => call('merchantRequest', { params: { id } }), id);

  return (
    <Page name="merchantRequest" state={state}>
      {r ? (
        <>
          <View className="card stack rq-card" data-testid="merchant-request-head">
            <RequestHeadRow r={r} desk />
            <DeadlineLine r={r} />
            {r.resident ? <ResidentLine r={r} /> : null}
          </View>
          <View className="card stack rq-card" data-testid="merchant-request-content">
            <Text className="card__title">报修内容</Text>
            <RequestContent r={r} />
          </View>
          <RequestHandlerActions r={r} side="merchant" onDone={setAnswered} />
          <ResolutionCard r={r} />
          <RequestTimeline r={r} />
          <Btn
            variant="ghost"
            onClick={() => void Taro.redirectTo({ url: PAGES.merchantRequests })}
            testId="merchant-request-all"
          >
            查看全部报修单
          </Btn>
        </>
      ) : null}
    </Page>
  );
}

/**
 * The resident and, once the shop accepted, their number to call (masked before); when they asked
 * not to be called, only that wish.
 */
function ResidentLine({ r }: { r: RequestDetail }) {
  const c = residentContactView(r);
  return (
    <View className="rq-handler" data-testid="merchant-request-resident">
      <Text className="rq-line">{c.label}</Text>
      {c.phone ? (
        <PhoneRow phone={c.phone} dial={c.dial} note={c.note} testId="merchant-request-resident" />
      ) : c.note ? (
        <Text className="rq-line" data-testid="merchant-request-resident-note">
          {c.note}
        </Text>
      ) : null}
    </View>
  );
}

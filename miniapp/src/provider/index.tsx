import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { type CareProvider, PAGES } from 'shared';
import { call } from '../api';
import { dayTitle, localToday, statusSummary } from '../common/care-console';
import { Btn } from '../components/Btn';
import { AsyncContent, Page } from '../components/Page';
import { useApi } from '../hooks/use-api';
import { usePullRefresh } from '../hooks/use-pull-refresh';
import { NoProvider, ProviderHeader, useMyProvider, useWaitingRequests } from './use-provider';

/**
 * Today at a glance, and the requests waiting for 确认 on any day families can book (a request for
 * Friday waits as much as one for today), with the way to each list.
 */
function Today({ provider }: { provider: CareProvider }) {
  const today = localToday();
  const bookings = useApi(() => call('providerBookings', { query: { date: today } }), {
    refreshOnShow: true,
  });
  const requests = useWaitingRequests(true);
  const items = bookings.data?.items ?? [];
  const live = items.filter((b) => b.status !== 'cancelled');
  const waitingDays = requests.data ?? [];
  const waiting = waitingDays.reduce((n, d) => n + d.count, 0);
  const first = waitingDays[0]?.date;
  const go = (url: string) => void Taro.navigateTo({ url });

  return (
    <>
      <View className="card stack cc-card" data-testid="provider-today">
        <Text className="card__title">预约概况</Text>
        <AsyncContent state={bookings}>
          <View className="cc-figures">
            <View className="cc-figure">
              <Text className="cc-figure__value" data-testid="provider-today-count">
                {live.length}
              </Text>
              <Text className="cc-figure__label">今日上门</Text>
            </View>
            <View className="cc-figure">
              <Text className="cc-figure__value">{items.filter((b) => b.status === 'completed').length}</Text>
              <Text className="cc-figure__label">今日已完成</Text>
            </View>
            <View className="cc-figure">
              <Text className="cc-figure__value" data-testid="provider-waiting">
                {requests.data ? waiting : '…'}
              </Text>
              <Text className="cc-figure__label">待确认</Text>
            </View>
          </View>
          <Text className="muted">{`今天：${statusSummary(items)}`}</Text>
          {first ? (
            <Text className="cc-warn" data-testid="provider-waiting-note">
              {`有 ${waiting} 个预约等您确认，最近的在${dayTitle(first, today)}。超时未确认会改派或通知家属。`}
            </Text>
          ) : requests.data ? (
            <Text className="muted">没有待确认的预约</Text>
          ) : null}
        </AsyncContent>
      </View>
      <View className="card cc-actions cc-actions--column" data-testid="provider-entries">
        <Btn
          onClick={() => go(first ? `${PAGES.providerBookings}?date=${first}` : PAGES.providerBookings)}
          testId="provider-go-bookings"
        >
          {waiting ? `预约与确认（${waiting} 个待确认）` : '预约与确认'}
        </Btn>
        <Btn variant="ghost" onClick={() => go(PAGES.providerCaregivers)} testId="provider-go-caregivers">
          护理员管理
        </Btn>
        {provider.servesMeals ? (
          <Btn variant="ghost" onClick={() => go(PAGES.providerMeals)} testId="provider-go-meals">
            助餐名单
          </Btn>
        ) : null}
      </View>
    </>
  );
}

/** 机构工作台: the provider's status, today's numbers and the consoles. */
export default function ProviderHomePage() {
  const provider = useMyProvider();
  usePullRefresh(provider.reload);
  const p = provider.data;
  return (
    <Page name="provider-home" state={provider}>
      {p === null ? <NoProvider /> : null}
      {p ? (
        <>
          <ProviderHeader provider={p} />
          {p.status === 'verified' ? (
            <Today key={p.id} provider={p} />
          ) : (
            <View className="card stack cc-card">
              <Text className="muted">{`联系电话：${p.contactPhone}`}</Text>
              <Text className="muted">审核通过后，这里会显示今日预约、护理员和助餐名单。</Text>
            </View>
          )}
        </>
      ) : null}
    </Page>
  );
}

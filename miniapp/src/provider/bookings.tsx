import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { call } from '../api';
import { describeError } from '../api/errors';
import { localToday, statusSummary } from '../common/care-console';
import { confirm } from '../common/confirm';
import { Btn } from '../components/Btn';
import { CareBookingCard, type DayBooking } from '../components/CareBookingCard';
import { DaySwitcher } from '../components/DaySwitcher';
import { AsyncContent, Page } from '../components/Page';
import { useAction } from '../hooks/use-action';
import { useApi } from '../hooks/use-api';
import { usePullRefresh } from '../hooks/use-pull-refresh';
import { NoProvider, useMyProvider, VerifiedOnly } from './use-provider';

const confirmError = (err: unknown) =>
  describeError(err, { codes: { NOT_FOUND: '没有找到这个预约，可能已被取消或改派，请刷新' } });

function ConfirmButton({ booking, onDone }: { booking: DayBooking; onDone: () => Promise<void> }) {
  const { busy, error, run } = useAction(confirmError);
  async function go() {
    const ok = await confirm(
      '确认预约',
      `确认由「${booking.caregiverName}」为${booking.elderName}提供「${booking.itemName}」吗？确认后会通知老人和家属。`,
      { confirmText: '确认' },
    );
    if (!ok) return;
    const done = await run(() => call('confirmCareBooking', { params: { id: booking.id }, body: {} }));
    if (done) {
      void Taro.showToast({ title: '已确认', icon: 'success' });
      await onDone();
    } else {
      await onDone();
    }
  }
  return (
    <>
      {error ? <Text className="state__message">{error}</Text> : null}
      <Btn disabled={busy} onClick={() => void go()} testId={`booking-confirm-${booking.id}`}>
        {busy ? '确认中…' : '确认'}
      </Btn>
    </>
  );
}

/** 预约与确认: the provider's bookings of a day; requested ones wait for 确认. */
export default function ProviderBookingsPage() {
  const provider = useMyProvider();
  const [date, setDate] = useState(localToday());
  const list = useApi(() => call('providerBookings', { query: { date } }), {
    key: date,
    refreshOnShow: true,
  });
  usePullRefresh(list.reload);
  const items = list.data?.items ?? [];
  const waiting = items.filter((b) => b.status === 'requested');
  const rest = items.filter((b) => b.status !== 'requested');

  return (
    <Page name="provider-bookings" state={provider}>
      {provider.data === null ? <NoProvider /> : null}
      {provider.data ? (
        <VerifiedOnly provider={provider.data}>
          <DaySwitcher date={date} onChange={setDate} />
          <AsyncContent state={list}>
            <Text className="muted filter-bar" data-testid="provider-bookings-summary">
              {statusSummary(items)}
            </Text>
            {waiting.length ? <Text className="card__title">{`待确认（${waiting.length}）`}</Text> : null}
            {waiting.map((b) => (
              <CareBookingCard key={b.id} booking={b}>
                <ConfirmButton booking={b} onDone={list.reload} />
              </CareBookingCard>
            ))}
            {rest.length && waiting.length ? <Text className="card__title">其他预约</Text> : null}
            {rest.map((b) => (
              <CareBookingCard key={b.id} booking={b} />
            ))}
            {items.length === 0 ? (
              <View className="card">
                <Text className="muted">这一天没有预约</Text>
              </View>
            ) : null}
          </AsyncContent>
        </VerifiedOnly>
      ) : null}
    </Page>
  );
}

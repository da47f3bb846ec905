import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useState } from 'react';
import { call } from '../api';
import { describeError } from '../api/errors';
import { dayTitle, localToday, statusSummary } from '../common/care-console';
import { confirm } from '../common/confirm';
import { Btn } from '../components/Btn';
import { CareBookingCard, type DayBooking } from '../components/CareBookingCard';
import { DaySwitcher } from '../components/DaySwitcher';
import { AsyncContent, Page } from '../components/Page';
import { useAction } from '../hooks/use-action';
import { useApi } from '../hooks/use-api';
import { usePullRefresh } from '../hooks/use-pull-refresh';
import { NoProvider, useMyProvider, useWaitingRequests, VerifiedOnly } from './use-provider';

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
        {busy ? '确认中…' : '确认预约'}
      </Btn>
    </>
  );
}

/** The other days with requests waiting for 确认: one tap shows that day. */
function WaitingDays({
  days,
  shown,
  onPick,
}: {
  days: readonly { date: string; count: number }[];
  shown: string;
  onPick: (date: string) => void;
}) {
  const others = days.filter((d) => d.date !== shown);
  if (others.length === 0) return null;
  const today = localToday();
  return (
    <View className="card stack cc-card" data-testid="provider-waiting-days">
      <Text className="cc-warn">{`其他日期还有 ${others.reduce((n, d) => n + d.count, 0)} 个预约待确认`}</Text>
      <View className="cc-actions">
        {others.map((d) => (
          <Btn
            key={d.date}
            variant="ghost small"
            onClick={() => onPick(d.date)}
            testId={`waiting-day-${d.date}`}
          >
            {`${dayTitle(d.date, today)}（${d.count}）`}
          </Btn>
        ))}
      </View>
    </View>
  );
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** 预约与确认: the provider's bookings of a day; requested ones wait for 确认. */
export default function ProviderBookingsPage() {
  const provider = useMyProvider();
  const asked = useRouter().params.date ?? '';
  const [date, setDate] = useState(ISO_DATE.test(asked) ? asked : localToday());
  const list = useApi(() => call('providerBookings', { query: { date } }), {
    key: date,
    refreshOnShow: true,
  });
  const waitingDays = useWaitingRequests(provider.data?.status === 'verified');
  const reload = async () => {
    await Promise.all([list.reload(), waitingDays.reload()]);
  };
  usePullRefresh(reload);
  const items = list.data?.items ?? [];
  const waiting = items.filter((b) => b.status === 'requested');
  const rest = items.filter((b) => b.status !== 'requested');

  return (
    <Page name="provider-bookings" state={provider}>
      {provider.data === null ? <NoProvider /> : null}
      {provider.data ? (
        <VerifiedOnly provider={provider.data}>
          <DaySwitcher date={date} onChange={setDate} />
          <WaitingDays days={waitingDays.data ?? []} shown={date} onPick={setDate} />
          <AsyncContent state={list}>
            <Text className="muted cc-summary" data-testid="provider-bookings-summary">
              {items.length
                ? `这一天共 ${items.length} 个预约：${statusSummary(items)}`
                : statusSummary(items)}
            </Text>
            {waiting.length ? <Text className="card__title">{`待确认（${waiting.length}）`}</Text> : null}
            {waiting.map((b) => (
              <CareBookingCard key={b.id} booking={b}>
                <ConfirmButton booking={b} onDone={reload} />
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

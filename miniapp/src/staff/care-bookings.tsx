import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { call } from '../api';
import { localToday, statusSummary } from '../common/care-console';
import { CareBookingCard } from '../components/CareBookingCard';
import { DaySwitcher } from '../components/DaySwitcher';
import { AsyncContent, Page } from '../components/Page';
import { useApi } from '../hooks/use-api';
import { usePullRefresh } from '../hooks/use-pull-refresh';
import '../common/care-console.scss';
import '../common/care-console-elder.scss';

/** 每日上门预约: every care booking of a day in my communities, with its provider and caregiver. */
export default function StaffCareBookingsPage() {
  const [date, setDate] = useState(localToday());
  const list = useApi(() => call('staffCareBookings', { query: { date } }), {
    key: date,
    refreshOnShow: true,
  });
  usePullRefresh(list.reload);
  const items = list.data?.items ?? [];

  return (
    <Page name="staff-care-bookings">
      <DaySwitcher date={date} onChange={setDate} />
      <AsyncContent state={list}>
        <Text className="muted cc-summary" data-testid="staff-care-bookings-summary">
          {items.length
            ? `这一天共 ${items.length} 个上门预约：${statusSummary(items)}`
            : statusSummary(items)}
        </Text>
        {items.length === 0 ? (
          <View className="card">
            <Text className="muted">这一天没有上门预约</Text>
          </View>
        ) : null}
        {items.map((b) => (
          <CareBookingCard key={b.id} booking={b} showProvider />
        ))}
      </AsyncContent>
    </Page>
  );
}

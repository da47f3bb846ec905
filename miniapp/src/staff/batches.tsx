import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { addDays, formatDisplayTime, localClock } from 'shared';
import { call } from '../api';
import { BatchStatusTag } from '../components/BatchStatusTag';
import { Btn } from '../components/Btn';
import { AsyncContent, Page } from '../components/Page';
import { useApi } from '../hooks/use-api';
import { usePullRefresh } from '../hooks/use-pull-refresh';
import { dayTime } from '../lockers/labels';
import { DateField } from './fields';
import '../market/market.scss';
import '../market/market-elder.scss';
import '../lockers/lockers.scss';
import '../lockers/lockers-elder.scss';

/** 配送批次: the batches delivering on a local date (today by default), and orders left overdue. */
export default function StaffBatchesPage() {
  const today = localClock(new Date()).date;
  const [date, setDate] = useState(today);
  const batches = useApi(() => call('staffBatches', { query: { date } }), { key: date, refreshOnShow: true });
  const overdue = useApi(() => call('staffOverdueOrders'), { refreshOnShow: true });
  usePullRefresh(batches.reload, overdue.reload);

  return (
    <Page name="staff-batches">
      <View className="card stack" data-testid="batch-date">
        <Text className="card__title">送达日期</Text>
        <DateField value={date} onChange={setDate} testId="batch-date-picker">
          <Text>{date === today ? `${date}（今天）` : date}</Text>
        </DateField>
        <View className="l-actions l-actions--fill">
          <Btn variant="ghost small" onClick={() => setDate(addDays(date, -1))} testId="batch-date-prev">
            前一天
          </Btn>
          <Btn variant="ghost small" onClick={() => setDate(today)} testId="batch-date-today">
            今天
          </Btn>
          <Btn variant="ghost small" onClick={() => setDate(addDays(date, 1))} testId="batch-date-next">
            后一天
          </Btn>
        </View>
      </View>

      <AsyncContent state={batches}>
        {batches.data?.items.length === 0 ? (
          <View className="card">
            <Text className="muted">这一天没有配送批次</Text>
          </View>
        ) : null}
        {batches.data?.items.map((b) => (
          <View key={b.id} className="card stack" data-testid={`staff-batch-${b.id}`}>
            <View className="row">
              <Text className="card__title merchant-card__name">{`${dayTime(b.deliverAt)} 送达`}</Text>
              <BatchStatusTag status={b.status} />
            </View>
            <Text className="muted">{`${dayTime(b.cutoffAt)} 截单`}</Text>
            <Text className="l-line">{`配送员：${b.courier?.name ?? '未分配'}`}</Text>
            <Text className="l-line">{`${b.orderCount} 单 · ${b.bankCount} 个生鲜柜 · 已投递 ${b.droppedCount}/${b.orderCount} 单`}</Text>
          </View>
        ))}
      </AsyncContent>

      <View className="card stack" data-testid="overdue-orders">
        <Text className="card__title">超时未取的订单</Text>
        <AsyncContent state={overdue}>
          {overdue.data?.items.length === 0 ? <Text className="muted">暂无超时未取的订单</Text> : null}
          {overdue.data?.items.map((o) => (
            <View key={o.orderId} className="pick-order stack" data-testid={`overdue-${o.orderId}`}>
              <Text className="line__name">{`${o.bankName} · ${o.compartments.map((c) => `${c} 号`).join('、')}`}</Text>
              <Text className="l-line">{`${o.customer.name} ${o.customer.phoneMasked} · ${o.merchantName} · 订单 ${o.orderNumber}`}</Text>
              <Text className="locker-deadline">{`免费保管已于 ${formatDisplayTime(o.deadline)} 到期`}</Text>
            </View>
          ))}
        </AsyncContent>
      </View>
    </Page>
  );
}

import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import {
  formatDisplayTime,
  formatYuan,
  PAYMENT_REFUND_STATUS_LABELS,
  paymentRefundErrorText,
  type StaffPaymentRefund,
} from 'shared';
import { call } from '../api';
import { describeError } from '../api/errors';
import { tappable } from '../components/a11y';
import { Btn } from '../components/Btn';
import { AsyncContent, Page } from '../components/Page';
import { useAction } from '../hooks/use-action';
import { useApi } from '../hooks/use-api';

type Filter = 'all' | 'failed' | 'abnormal';
const FILTERS: { key: Filter; label: string }[] = [
  { key: 'all', label: '全部' },
  { key: 'failed', label: '退款失败' },
  { key: 'abnormal', label: '退款异常' },
];
const SUBJECT_LABELS: Record<string, string> = {
  order: '商城订单',
  care_booking: '照护预约',
  locker_extension: '生鲜柜延时',
};

// A refund outside the staff member's communities is a 404 like one that does not exist.
const retryError = (err: unknown) =>
  describeError(err, { codes: { NOT_FOUND: '没有找到这笔退款，或不在您负责的社区' } });

function RefundCard({ refund, onRetried }: { refund: StaffPaymentRefund; onRetried: () => Promise<void> }) {
  const { busy, error, run } = useAction(retryError);
  async function retry() {
    const done = await run(() => call('retryPaymentRefund', { params: { id: refund.id }, body: {} }));
    if (done) {
      void Taro.showToast({ title: '已重新发起退款', icon: 'success' });
      await onRetried();
    }
  }
  return (
    <View className="card stack" data-testid={`payment-refund-${refund.id}`}>
      <View className="row">
        <Text className="card__title">{`${SUBJECT_LABELS[refund.subject] ?? '付款'} ${formatYuan(refund.amountFen)}`}</Text>
        <Text className={refund.status === 'abnormal' ? 'tag tag--rejected' : 'tag tag--pending'}>
          {PAYMENT_REFUND_STATUS_LABELS[refund.status]}
        </Text>
      </View>
      <View>{`原因：${paymentRefundErrorText(refund.lastError) ?? '未知'}`}</View>
      <View>{`退款说明：${refund.reason}`}</View>
      <View className="muted">{`已尝试 ${refund.attempts} 次 · 最近 ${formatDisplayTime(refund.updatedAt)}`}</View>
      <View className="muted">{`编号：${refund.id.slice(-8)}`}</View>
      {error ? <Text className="state__message">{error}</Text> : null}
      <Btn disabled={busy} onClick={() => void retry()} testId="payment-refund-retry">
        {busy ? '提交中…' : '重试'}
      </Btn>
    </View>
  );
}

/** 退款异常处理: refunds WeChat Pay did not carry out, of what my communities bought; 重试 asks again. */
export default function StaffPaymentRefundsPage() {
  const [filter, setFilter] = useState<Filter>('all');
  const list = useApi(
    () => call('staffPaymentRefunds', { query: filter === 'all' ? {} : { status: filter } }),
    { key: filter, refreshOnShow: true },
  );
  return (
    <Page name="staff-payment-refunds">
      <View className="choice-list filter-bar" data-testid="staff-payment-refund-filter">
        {FILTERS.map((f) => (
          <View
            {...tappable({ pressed: f.key === filter })}
            key={f.key}
            className={`choice${f.key === filter ? ' choice--selected' : ''}`}
            onClick={() => setFilter(f.key)}
          >
            {f.label}
          </View>
        ))}
      </View>
      <AsyncContent state={list}>
        {list.data?.items.length === 0 ? (
          <View className="card">
            <Text className="muted">暂无需要处理的退款</Text>
          </View>
        ) : null}
        {list.data?.items.map((r) => (
          <RefundCard key={r.id} refund={r} onRetried={list.reload} />
        ))}
      </AsyncContent>
    </Page>
  );
}

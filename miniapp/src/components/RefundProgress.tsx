import { Text, View } from '@tarojs/components';
import {
  formatDisplayTime,
  formatYuan,
  PAYMENT_REFUND_STATUS_LABELS,
  type PaymentRefundState,
  type PaymentRefundStatus,
  paymentRefundErrorText,
} from 'shared';

const TAG: Record<PaymentRefundStatus, string> = {
  requested: 'tag tag--pending',
  processing: 'tag tag--pending',
  succeeded: 'tag tag--approved',
  failed: 'tag tag--rejected',
  abnormal: 'tag tag--rejected',
};

/**
 * 退款进度: money of an order going back through the provider, for the shop and for the resident.
 * A failed refund is never hidden: the shop reads why, the resident reads that nothing is lost and
 * that the platform keeps trying (staff retry what the job cannot).
 */
export function RefundProgress({
  refunds,
  audience,
}: {
  refunds: PaymentRefundState[];
  audience: 'merchant' | 'resident';
}) {
  if (refunds.length === 0) return null;
  return (
    <View
      className={audience === 'merchant' ? 'm-refund stack' : 'card stack'}
      data-testid="order-payment-refunds"
    >
      <Text className="card__title">退款进度</Text>
      {refunds.map((r) => {
        const stuck = r.status === 'failed' || r.status === 'abnormal';
        return (
          <View key={r.id} className="stack" data-testid={`order-payment-refund-${r.status}`}>
            <View className="row">
              <Text>{`退回 ${formatYuan(r.amountFen)}`}</Text>
              <Text className={TAG[r.status]}>{PAYMENT_REFUND_STATUS_LABELS[r.status]}</Text>
            </View>
            {stuck && audience === 'merchant' ? (
              <Text className="muted">{`原因：${paymentRefundErrorText(r.lastError)}；平台会继续处理，如有疑问请联系社区工作人员。`}</Text>
            ) : null}
            {stuck && audience === 'resident' ? (
              <Text className="muted">
                退款暂未到账，平台会继续处理，款项不会丢失；如有疑问请联系社区工作人员。
              </Text>
            ) : null}
            {r.status === 'succeeded' && audience === 'resident' ? (
              <Text className="muted">已按原支付方式退回，到账时间以微信支付为准。</Text>
            ) : null}
            <Text className="muted">{`更新于 ${formatDisplayTime(r.updatedAt)}`}</Text>
          </View>
        );
      })}
    </View>
  );
}

import { Image, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import {
  CANCEL_REASON_LABELS,
  can,
  DELIVERY_MODE_LABELS,
  formatDisplayTime,
  formatYuan,
  type MerchantOrder,
  mayPackInBatch,
  orderFlow,
  orderStatusLabel,
  refundFlow,
} from 'shared';
import { call } from '../api';
import { imageSrc } from '../api/upload';
import { confirm } from '../common/confirm';
import { tappable } from '../components/a11y';
import { Btn } from '../components/Btn';
import { RefundProgress } from '../components/RefundProgress';
import { TextInput } from '../components/TextInput';
import { useAction } from '../hooks/use-action';
import { dayTime } from '../lockers/labels';
import { isStale, merchantErrorText } from './errors';
import { REFUND_STATUS_TEXT } from './labels';
import { Chips } from './ui';

const REJECT_REASONS = ['商品已售完', '今日暂停营业', '超出配送范围'] as const;

const STATUS_TAG: Partial<Record<MerchantOrder['status'], string>> = {
  paid: 'tag tag--pending',
  accepted: 'tag tag--approved',
  packed: 'tag tag--approved',
  in_batch: 'tag tag--approved',
  cancelled: 'tag tag--rejected',
  refunded: 'tag tag--rejected',
};

interface Props {
  order: MerchantOrder;
  /** Reloads the list and the badges after a change (or after a stale one). */
  onChanged: () => Promise<void>;
}

type Asking = null | 'reject' | 'refund-reject';

/** What the shop does next for a locker order, after its window line. */
function lockerHint(order: MerchantOrder): string | null {
  if (order.status === 'accepted') return '，请在截单前备好货';
  if (order.status === 'packed') return '，截单后骑手到店取货';
  if (
    order.status === 'in_batch' &&
    order.locker?.batchStatus !== 'in_progress' &&
    order.locker?.batchStatus !== 'done'
  )
    return '，已截单，骑手将到店取货';
  return null;
}

/** One incoming order: who, what, how it goes out; and the buttons its state allows. */
export function OrderCard({ order, onChanged }: Props) {
  const [asking, setAsking] = useState<Asking>(null);
  const [reason, setReason] = useState('');
  // An error that means the order moved on without us offers 刷新 next to the message.
  const [stale, setStale] = useState(false);
  const { busy, runningKey, error, setError, run } = useAction((err) => {
    setStale(isStale(err));
    return merchantErrorText(err);
  });

  async function perform(key: string, action: () => Promise<unknown>, done: string) {
    const ok = await run(async () => {
      await action();
      return true;
    }, key);
    if (ok) {
      setAsking(null);
      setReason('');
      void Taro.showToast({ title: done, icon: 'success' });
      await onChanged();
    }
  }

  const accept = () =>
    perform('accept', () => call('acceptOrder', { params: { id: order.id }, body: {} }), '已接单');
  const pack = () =>
    perform('pack', () => call('packOrder', { params: { id: order.id }, body: {} }), '已备货');

  async function reject() {
    if (!reason.trim()) return setError('请选择或填写拒单原因');
    await perform(
      'reject',
      () => call('rejectOrder', { params: { id: order.id }, body: { reason: reason.trim() } }),
      '已拒单',
    );
  }

  const refund = order.refund;
  async function approveRefund() {
    if (!refund) return;
    if (!(await confirm('同意退款', `将退还 ${formatYuan(refund.amountFen)} 给顾客，确定吗？`))) return;
    await perform(
      'refund-approve',
      () => call('approveRefund', { params: { id: refund.id }, body: {} }),
      '已同意退款',
    );
  }
  async function rejectRefund() {
    if (!refund) return;
    if (!reason.trim()) return setError('请填写拒绝退款的原因');
    await perform(
      'refund-reject',
      () => call('rejectRefund', { params: { id: refund.id }, body: { reason: reason.trim() } }),
      '已拒绝退款',
    );
  }

  const canAccept = can(orderFlow, order.status, 'accept');
  const canReject = can(orderFlow, order.status, 'reject');
  // After the cut-off a locker order is in the batch; the shop still says when it is packed.
  const canPack = can(orderFlow, order.status, 'pack') || mayPackInBatch(order);
  const locker = order.delivery.mode === 'locker' ? order.locker : null;
  const refundOpen = refund ? can(refundFlow, refund.status, 'approve') : false;
  const awaitingCode = can(orderFlow, order.status, 'handOver') && order.delivery.mode !== 'locker';
  const customer = `${order.customer.name || '顾客'}${order.customer.phoneMasked ? `（${order.customer.phoneMasked}）` : ''}`;

  /** Opens the reason form (拒单 or 拒绝退款) empty. */
  function askReason(kind: 'reject' | 'refund-reject') {
    setReason('');
    setError(null);
    setAsking(kind);
  }

  return (
    <View className="card stack" data-testid={`merchant-order-${order.id}`}>
      <View className="row">
        <Text className="card__title">{customer}</Text>
        <Text className={STATUS_TAG[order.status] ?? 'tag'} data-testid="order-status">
          {orderStatusLabel(order)}
        </Text>
      </View>
      <Text className="m-p" data-testid="order-number">{`订单号 ${order.number}`}</Text>
      <Text className="muted">{`下单时间 ${formatDisplayTime(order.createdAt)}`}</Text>
      <View>
        {order.items.map((item) => (
          <View key={item.productId} className="m-line">
            <Text className="m-line__name">{`${item.name} × ${item.quantity}${item.unit}`}</Text>
            <Text>{formatYuan(item.subtotalFen)}</Text>
          </View>
        ))}
        {order.deliveryFeeFen > 0 ? (
          <View className="m-line">
            <Text className="m-line__name">配送费</Text>
            <Text>{formatYuan(order.deliveryFeeFen)}</Text>
          </View>
        ) : null}
        <View className="m-line m-total">
          <Text className="m-line__name">合计</Text>
          <Text data-testid="order-total">{formatYuan(order.totalFen)}</Text>
        </View>
      </View>
      <Text className="m-p">{`配送方式：${DELIVERY_MODE_LABELS[order.delivery.mode]}${order.delivery.address ? ` · ${order.delivery.address}` : ''}`}</Text>
      {locker ? (
        <Text className="m-p" data-testid="order-window">
          {`生鲜柜：${locker.bankName} · ${dayTime(locker.cutoffAt)} 截单 · 预计 ${dayTime(locker.deliverAt)} 送达${lockerHint(order) ?? ''}`}
        </Text>
      ) : null}
      {order.note ? <Text className="m-p">{`备注：${order.note}`}</Text> : null}
      {order.cancelReason ? (
        <Text className="muted">{`取消原因：${CANCEL_REASON_LABELS[order.cancelReason]}`}</Text>
      ) : null}
      {awaitingCode ? <Text className="muted">顾客取货时，请在上方输入顾客出示的取货码核销。</Text> : null}

      {refund ? (
        <View className="m-refund stack" data-testid="order-refund">
          <View className="row">
            <Text className="card__title">{`退款申请 ${formatYuan(refund.amountFen)}`}</Text>
            <Text className={refund.status === 'requested' ? 'tag tag--pending' : 'tag'}>
              {REFUND_STATUS_TEXT[refund.status]}
            </Text>
          </View>
          <Text className="m-p">{`原因：${refund.reason}`}</Text>
          {refund.photos.length ? (
            <View className="m-photos">
              {refund.photos.map((p) => (
                <Image
                  {...tappable({ label: '退款照片，点击查看大图' })}
                  key={p.id}
                  className="m-photo"
                  src={imageSrc(p.thumbUrl)}
                  mode="aspectFill"
                  onClick={() =>
                    void Taro.previewImage({
                      urls: refund.photos.map((q) => imageSrc(q.url)),
                      current: imageSrc(p.url),
                    })
                  }
                />
              ))}
            </View>
          ) : null}
          <Text className="muted">{`申请时间 ${formatDisplayTime(refund.createdAt)}`}</Text>
          {refund.merchantNote ? <Text className="muted">{`处理说明：${refund.merchantNote}`}</Text> : null}
          {refund.autoApproved ? <Text className="muted">超时未处理，系统已自动同意</Text> : null}
          {refundOpen ? <Text className="muted">请在 30 分钟内处理，超时将自动同意退款。</Text> : null}
        </View>
      ) : null}

      <RefundProgress refunds={order.paymentRefunds} audience="merchant" />

      {error ? (
        <View className="stack">
          <Text className="state__message" data-testid="order-error">
            {error}
          </Text>
          {stale ? (
            <Btn variant="ghost small" onClick={() => void onChanged()}>
              刷新
            </Btn>
          ) : null}
        </View>
      ) : null}

      {asking === 'reject' ? (
        <View className="stack" data-testid="reject-form">
          <Text className="m-warn">拒单后，订单占用的库存会自动释放，顾客已付的款项将原路退回。</Text>
          <Chips
            options={REJECT_REASONS.map((r) => ({ value: r, label: r }))}
            selected={REJECT_REASONS.filter((r) => r === reason)}
            onToggle={(r) => setReason(r)}
          />
          <TextInput
            placeholder="请填写拒单原因"
            maxLength={200}
            value={reason}
            onChange={setReason}
            testId="reject-reason"
          />
          <View className="m-actions">
            <Btn variant="danger" disabled={busy} onClick={() => void reject()} testId="reject-confirm">
              {runningKey === 'reject' ? '提交中…' : '确认拒单'}
            </Btn>
            <Btn variant="ghost" disabled={busy} onClick={() => setAsking(null)}>
              取消
            </Btn>
          </View>
        </View>
      ) : null}

      {asking === 'refund-reject' ? (
        <View className="stack" data-testid="refund-reject-form">
          <TextInput
            placeholder="请填写拒绝退款的原因"
            maxLength={200}
            value={reason}
            onChange={setReason}
            testId="refund-reject-reason"
          />
          <View className="m-actions">
            <Btn
              variant="danger"
              disabled={busy}
              onClick={() => void rejectRefund()}
              testId="refund-reject-confirm"
            >
              确认拒绝
            </Btn>
            <Btn variant="ghost" disabled={busy} onClick={() => setAsking(null)}>
              取消
            </Btn>
          </View>
        </View>
      ) : null}

      {asking === null && (canAccept || canReject || canPack || refundOpen) ? (
        <View className="m-actions">
          {canAccept ? (
            <Btn disabled={busy} onClick={() => void accept()} testId="order-accept">
              {runningKey === 'accept' ? '接单中…' : '接单'}
            </Btn>
          ) : null}
          {canReject ? (
            <Btn variant="ghost" disabled={busy} onClick={() => askReason('reject')} testId="order-reject">
              拒单
            </Btn>
          ) : null}
          {canPack ? (
            <Btn disabled={busy} onClick={() => void pack()} testId="order-pack">
              {runningKey === 'pack' ? '提交中…' : '备货完成'}
            </Btn>
          ) : null}
          {refundOpen ? (
            <>
              <Btn disabled={busy} onClick={() => void approveRefund()} testId="refund-approve">
                同意退款
              </Btn>
              <Btn
                variant="ghost"
                disabled={busy}
                onClick={() => askReason('refund-reject')}
                testId="refund-reject"
              >
                拒绝
              </Btn>
            </>
          ) : null}
        </View>
      ) : null}
    </View>
  );
}

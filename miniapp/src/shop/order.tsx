import { Text, Textarea, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useEffect, useRef, useState } from 'react';
import { can, DELIVERY_MODE_LABELS, formatDisplayTime, formatYuan, type Order, orderFlow } from 'shared';
import { call } from '../api';
import { confirm } from '../common/confirm';
import { PAYMENT_CONFIRMING } from '../common/payment';
import { Btn } from '../components/Btn';
import { Page } from '../components/Page';
import { RefundProgress } from '../components/RefundProgress';
import { useAction } from '../hooks/use-action';
import { useApi } from '../hooks/use-api';
import { usePullRefresh } from '../hooks/use-pull-refresh';
import { OrderStatusTag } from '../market/OrderStatusTag';
import { formatCountdown, useCountdown } from '../market/use-countdown';
import { LockerSection } from './LockerSection';
import { describeOrderError } from './order-errors';
import {
  cancelReasonText,
  canRequestRefund,
  eventText,
  REFUND_STATUS_TEXT,
  statusHint,
} from './order-labels';
import { useDevpaySheet } from './PaySheet';
import { payOrders } from './payment';
import { type ChosenPhoto, RefundPhotoList, RefundPhotoPicker } from './RefundPhotos';
import '../market/market.scss';
import '../market/market-elder.scss';
import '../lockers/lockers.scss';
import '../lockers/lockers-elder.scss';
import { tappable } from '../components/a11y';

/**
 * 订单详情 (?id=): state, goods, money, delivery, pickup code (or the locker's code and QR), timeline,
 * and what can be done now.
 */
export default function OrderPage() {
  const id = useRouter().params.id ?? '';
  const state = useApi(() => call('order', { params: { id } }), { key: id, refreshOnShow: true });
  const [order, setOrder] = useState<Order | undefined>(undefined);
  const action = useAction(describeOrderError);
  const devpay = useDevpaySheet();

  // An action's answer is the order as it is now; a reload replaces it again.
  useEffect(() => setOrder(state.data), [state.data]);

  usePullRefresh(state.reload);

  const o = order ?? state.data;
  const secondsLeft = useCountdown(o?.status === 'created' ? o.payBy : null);
  // When the time to pay runs out, the server cancels the order: fetch it once to show that.
  const expiredReload = useRef(false);
  useEffect(() => {
    if (secondsLeft === 0 && !expiredReload.current) {
      expiredReload.current = true;
      setTimeout(() => void state.reload(), 1500);
    }
  }, [secondsLeft, state]);

  const pay = () =>
    action.run(async () => {
      if (!o) return;
      const outcome = await payOrders([{ id: o.id, totalFen: o.totalFen }], devpay.confirm);
      if (outcome === 'paid') void Taro.showToast({ title: '支付成功', icon: 'success' });
      if (outcome === 'confirming') void Taro.showToast({ title: PAYMENT_CONFIRMING, icon: 'none' });
      await state.reload();
    }, 'pay');

  const cancel = async () => {
    if (
      !o ||
      !(await confirm(
        '取消订单',
        o.status === 'paid' ? '取消后货款将原路退回，确定取消吗？' : '确定取消这个订单吗？',
        { cancelText: '再想想' },
      ))
    )
      return;
    await action.run(async () => {
      setOrder(await call('cancelOrder', { params: { id: o.id }, body: {} }));
    }, 'cancel');
  };

  return (
    <Page name="order" state={state}>
      {devpay.sheet}
      {o ? (
        <>
          <View className="card stack" data-testid="order-head">
            <View className="row">
              <Text className="card__title merchant-card__name">{o.merchant.name}</Text>
              <OrderStatusTag order={o} />
            </View>
            <Text className="muted" data-testid="order-number">{`订单号 ${o.number}`}</Text>
            {statusHint(o) ? <Text className="muted">{statusHint(o)}</Text> : null}
            {o.status === 'created' && secondsLeft !== null ? (
              <Text data-testid="pay-countdown">
                {secondsLeft > 0 ? (
                  <>
                    付款剩余 <Text className="countdown">{formatCountdown(secondsLeft)}</Text>
                    {o.payBy ? `（${formatDisplayTime(o.payBy).slice(11)} 前）` : ''}
                  </>
                ) : (
                  '付款时间已过，订单即将自动取消'
                )}
              </Text>
            ) : null}
            {cancelReasonText(o) ? <Text className="muted">{`取消原因：${cancelReasonText(o)}`}</Text> : null}
            {action.error ? (
              <Text className="error-text" data-testid="order-action-error">
                {action.error}
              </Text>
            ) : null}
            <View className="actions">
              {can(orderFlow, o.status, 'pay') && (secondsLeft ?? 1) > 0 ? (
                <Btn disabled={action.busy} onClick={() => void pay()} testId="order-pay">
                  {action.runningKey === 'pay' ? '支付中…' : `去支付 ${formatYuan(o.totalFen)}`}
                </Btn>
              ) : null}
              {can(orderFlow, o.status, 'cancel') ? (
                <Btn
                  variant="ghost"
                  disabled={action.busy}
                  onClick={() => void cancel()}
                  testId="order-cancel"
                >
                  取消订单
                </Btn>
              ) : null}
              <Btn
                variant="ghost"
                disabled={state.loading}
                onClick={() => void state.reload()}
                testId="order-refresh"
              >
                刷新
              </Btn>
            </View>
          </View>

          {o.locker ? (
            <LockerSection
              order={o}
              onChanged={setOrder}
              onReload={state.reload}
              confirmDevpay={devpay.confirm}
            />
          ) : null}
          {/* The shop's hand-over code; a locker order is collected with the locker's code instead. */}
          {o.pickupCode && o.delivery.mode !== 'locker' ? <PickupCode code={o.pickupCode} /> : null}

          {o.refund ? <RefundState refund={o.refund} /> : null}
          <RefundProgress refunds={o.paymentRefunds} audience="resident" />
          {canRequestRefund(o) ? <RefundForm order={o} onDone={setOrder} /> : null}

          <View className="card stack" data-testid="order-items">
            <Text className="card__title">商品</Text>
            {o.items.map((item) => (
              <View key={item.productId} className="row">
                <Text className="line__body">{`${item.name} × ${item.quantity}${item.unit}`}</Text>
                <Text>{formatYuan(item.subtotalFen)}</Text>
              </View>
            ))}
            <View className="totals">
              <View className="row">
                <Text>商品金额</Text>
                <Text>{formatYuan(o.itemsFen)}</Text>
              </View>
              {o.deliveryFeeFen > 0 ? (
                <View className="row">
                  <Text>配送费</Text>
                  <Text>{formatYuan(o.deliveryFeeFen)}</Text>
                </View>
              ) : null}
              <View className="row">
                <Text>实付</Text>
                <Text className="total" data-testid="order-total">
                  {formatYuan(o.totalFen)}
                </Text>
              </View>
            </View>
          </View>

          <View className="card stack" data-testid="order-delivery">
            <Text className="card__title">配送</Text>
            <Text>{DELIVERY_MODE_LABELS[o.delivery.mode]}</Text>
            {o.delivery.address ? <Text className="muted">{`收货地址：${o.delivery.address}`}</Text> : null}
            {o.note ? <Text className="muted">{`备注：${o.note}`}</Text> : null}
            {o.merchant.contactPhone ? (
              <Text
                {...tappable()}
                className="muted tap-text"
                onClick={() =>
                  void Taro.makePhoneCall({ phoneNumber: o.merchant.contactPhone }).catch(() => undefined)
                }
              >
                {`商家电话：${o.merchant.contactPhone}`}
              </Text>
            ) : null}
            <Text className="muted">{`下单时间：${formatDisplayTime(o.createdAt)}`}</Text>
          </View>

          <View className="card" data-testid="order-timeline">
            <Text className="card__title">订单进度</Text>
            {[...o.timeline]
              .sort((a, b) => b.at.localeCompare(a.at))
              .map((e) => (
                <View key={`${e.at}-${e.event}-${e.note ?? ''}`} className="timeline__item">
                  <Text className="line__name">{eventText(e)}</Text>
                  <Text className="muted">{formatDisplayTime(e.at)}</Text>
                  {e.note ? <Text className="muted">{e.note}</Text> : null}
                </View>
              ))}
          </View>
        </>
      ) : null}
    </Page>
  );
}

function PickupCode({ code }: { code: string }) {
  return (
    <View className="card stack" data-testid="pickup-code">
      <Text className="card__title">取货码</Text>
      <Text className="pickup-code" data-testid="pickup-code-value">
        {code}
      </Text>
      <Text className="muted">取货时请出示给商家核验。</Text>
      <Btn
        variant="ghost"
        onClick={() =>
          void Taro.setClipboardData({ data: code })
            .then(() => Taro.showToast({ title: '已复制取货码', icon: 'none' }))
            .catch(() => undefined)
        }
        testId="pickup-code-copy"
      >
        复制取货码
      </Btn>
    </View>
  );
}

function RefundState({ refund }: { refund: NonNullable<Order['refund']> }) {
  return (
    <View className="card stack" data-testid="refund-state">
      <View className="row">
        <Text className="card__title merchant-card__name">退款</Text>
        <Text
          className={`tag tag--${refund.status === 'approved' ? 'approved' : refund.status === 'rejected' ? 'rejected' : 'pending'}`}
        >
          {REFUND_STATUS_TEXT[refund.status]}
        </Text>
      </View>
      <Text>{`退款金额：${formatYuan(refund.amountFen)}`}</Text>
      <Text className="muted">{`退款原因：${refund.reason}`}</Text>
      <RefundPhotoList photos={refund.photos} />
      {refund.merchantNote ? <Text className="muted">{`商家说明：${refund.merchantNote}`}</Text> : null}
      {refund.autoApproved ? <Text className="muted">商家未及时处理，系统已自动同意退款。</Text> : null}
      <Text className="muted">{`申请时间：${formatDisplayTime(refund.createdAt)}`}</Text>
      {refund.decidedAt ? (
        <Text className="muted">{`处理时间：${formatDisplayTime(refund.decidedAt)}`}</Text>
      ) : null}
    </View>
  );
}

/** 申请退款: a reason, and (optional) photos uploaded from the album or the camera. */
function RefundForm({ order, onDone }: { order: Order; onDone: (o: Order) => void }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [photos, setPhotos] = useState<ChosenPhoto[]>([]);
  const [uploading, setUploading] = useState(false);
  const action = useAction(describeOrderError);

  const submit = () =>
    action.run(async () => {
      const next = await call('requestRefund', {
        params: { id: order.id },
        body: { reason: reason.trim(), photos: photos.map((p) => p.id) },
      });
      void Taro.showToast({ title: '已提交退款申请', icon: 'none' });
      setOpen(false);
      onDone(next);
    });

  if (!open)
    return (
      <View className="card">
        <Btn variant="ghost" onClick={() => setOpen(true)} testId="refund-open">
          申请退款
        </Btn>
      </View>
    );

  return (
    <View className="card stack" data-testid="refund-form">
      <Text className="card__title">申请退款</Text>
      <Text className="muted">{`退款金额 ${formatYuan(order.totalFen)}，商家处理前可联系商家沟通。`}</Text>
      <Textarea
        className="input textarea"
        value={reason}
        maxlength={200}
        placeholder="请填写退款原因，如：青菜不新鲜"
        onInput={(e) => setReason(e.detail.value)}
        data-testid="refund-reason"
      />
      <RefundPhotoPicker photos={photos} onChange={setPhotos} onBusy={setUploading} />
      {action.error ? <Text className="error-text">{`提交失败：${action.error}`}</Text> : null}
      <View className="actions">
        <Btn
          disabled={action.busy || uploading || !reason.trim()}
          onClick={() => void submit()}
          testId="refund-submit"
        >
          {action.busy ? '提交中…' : uploading ? '照片上传中…' : '提交申请'}
        </Btn>
        <Btn variant="ghost" onClick={() => setOpen(false)}>
          取消
        </Btn>
      </View>
    </View>
  );
}

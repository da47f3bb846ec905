import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { formatDisplayTime, formatYuan, type Order } from 'shared';
import { call } from '../api';
import { confirm } from '../common/confirm';
import { type ConfirmDevpay, PAYMENT_CONFIRMING, settlePayments } from '../common/payment';
import { Btn } from '../components/Btn';
import { QrCode } from '../components/QrCode';
import { useAction } from '../hooks/use-action';
import { dayTime } from '../lockers/labels';
import { describeOrderError } from './order-errors';

type Locker = NonNullable<Order['locker']>;

/** The extension fee's money once it moved: paid, or on its way back (it came after the order left). */
const EXTENSION_PAYMENT_TEXT = { paid: '已支付', refunding: '退款中', refunded: '已原路退回' } as const;

/** 格口 with the row it sits in (第 1 层 is the bottom), so an elder knows where to look: A03 号（第 2 层）. */
export function placesText(locker: Pick<Locker, 'compartments' | 'places'>): string {
  const rowOf = new Map((locker.places ?? []).map((p) => [p.label, p.row]));
  return locker.compartments
    .map((c) => (rowOf.has(c) ? `${c} 号（第 ${rowOf.get(c)} 层）` : `${c} 号`))
    .join('、');
}

/** The order is waiting in the locker: the code opens it. */
const AT_LOCKER: Order['status'][] = ['in_locker', 'overdue'];

/**
 * 生鲜柜 on the order page: where and when it is delivered; once dropped, the pickup code (big, and
 * as a QR for the panel's scanner), the deadline, 在柜机旁开柜, and 延长保管 (once, with its fee) when
 * the free time ran out.
 */
export function LockerSection({
  order,
  onChanged,
  onReload,
  confirmDevpay,
}: {
  order: Order;
  onChanged: (o: Order) => void;
  onReload: () => Promise<void>;
  /** The page's devpay sheet: a fee-bearing extension is paid like an order. */
  confirmDevpay: ConfirmDevpay;
}) {
  const locker = order.locker as Locker;
  const action = useAction(describeOrderError);
  const waiting = AT_LOCKER.includes(order.status);
  const canExtend = order.status === 'overdue' && !locker.extended;

  const open = async () => {
    if (
      !(await confirm(
        '在柜机旁开柜',
        `请确认您正站在「${locker.bankName}」旁。开柜后请及时取走商品并关好柜门。`,
        { confirmText: '开柜', cancelText: '再想想' },
      ))
    )
      return;
    const opened = await action.run(
      () => call('openLocker', { params: { id: locker.bankId }, body: { orderId: order.id } }),
      'open',
    );
    if (opened) {
      const labels = opened.compartments.map((c) => c.label).join('、');
      void Taro.showToast({ title: `已打开 ${labels} 号格口`, icon: 'none', duration: 3000 });
      await onReload();
    }
  };

  const extend = async () => {
    const fee = formatYuan(locker.extensionFeeFen);
    if (
      !(await confirm(
        '延长保管',
        locker.extensionFeeFen > 0
          ? `延长保管需支付 ${fee}，只能延长一次。确定延长吗？`
          : '延长保管免费，只能延长一次。确定延长吗？',
        { cancelText: '再想想' },
      ))
    )
      return;
    if (locker.extensionFeeFen === 0) {
      const next = await action.run(
        () => call('extendLocker', { params: { id: order.id }, body: {} }),
        'extend',
      );
      if (next) {
        void Taro.showToast({ title: '已延长保管', icon: 'success' });
        onChanged(next);
      }
      return;
    }
    // The fee is a payment of its own; the money arriving at the BFF is what extends the order.
    const outcome = await action.run(async () => {
      const pay = await call('payLockerExtension', { params: { id: order.id }, body: {} });
      return settlePayments(
        [
          {
            amountFen: locker.extensionFeeFen,
            pay,
            settled: async () =>
              (await call('order', { params: { id: order.id } })).locker?.extended === true,
          },
        ],
        confirmDevpay,
      );
    }, 'extend');
    if (outcome === 'paid') void Taro.showToast({ title: '已支付，保管已延长', icon: 'success' });
    if (outcome === 'confirming') void Taro.showToast({ title: PAYMENT_CONFIRMING, icon: 'none' });
    if (outcome) await onReload();
  };

  return (
    <View className="card stack" data-testid="locker-section">
      <Text className="card__title">生鲜柜取货</Text>
      <View className="kv">
        <Text className="kv__key">生鲜柜</Text>
        <Text className="kv__value" data-testid="locker-bank">
          {locker.bankName}
        </Text>
      </View>
      <View className="kv">
        <Text className="kv__key">位置</Text>
        <Text className="kv__value">{locker.location}</Text>
      </View>
      <View className="kv">
        <Text className="kv__key">送达</Text>
        <Text className="kv__value" data-testid="locker-deliver-at">
          {dayTime(locker.deliverAt)}
        </Text>
      </View>
      {locker.compartments.length > 0 ? (
        <View className="kv">
          <Text className="kv__key">格口</Text>
          <Text className="kv__value" data-testid="locker-compartments">
            {placesText(locker)}
          </Text>
        </View>
      ) : null}
      {locker.reachNote ? (
        <Text className="muted" data-testid="locker-reach-note">
          {locker.reachNote}
        </Text>
      ) : null}

      {waiting && locker.code ? (
        <>
          <Text className="muted">取件码（在柜机上输入或扫码）</Text>
          <Text className="pickup-code" data-testid="locker-code">
            {locker.code}
          </Text>
          <QrCode text={locker.code} testId="locker-qr" />
        </>
      ) : null}
      {waiting && locker.deadline ? (
        <Text className="locker-deadline" data-testid="locker-deadline">
          {order.status === 'overdue'
            ? `免费保管已于 ${formatDisplayTime(locker.deadline)} 到期`
            : `请于 ${formatDisplayTime(locker.deadline)} 前取件${locker.extended ? '（已延长）' : ''}`}
        </Text>
      ) : null}
      {locker.extensionPayment && locker.extensionPayment !== 'pending' ? (
        <View className="kv" data-testid="locker-extension-payment">
          <Text className="kv__key">延长服务费</Text>
          <Text className="kv__value">
            {`${formatYuan(locker.extensionFeeFen)}，${EXTENSION_PAYMENT_TEXT[locker.extensionPayment]}`}
          </Text>
        </View>
      ) : null}
      {canExtend ? (
        <Text className="warn" data-testid="locker-extend-fee">
          {locker.extensionFeeFen > 0
            ? `可付费延长保管一次，费用 ${formatYuan(locker.extensionFeeFen)}；不延长的商品将退回商家。`
            : '可免费延长保管一次；不延长的商品将退回商家。'}
        </Text>
      ) : null}
      {action.error ? (
        <Text className="error-text" data-testid="locker-error">
          {action.error}
        </Text>
      ) : null}
      {waiting || canExtend ? (
        <View className="actions">
          {waiting && locker.code ? (
            <Btn disabled={action.busy} onClick={() => void open()} testId="locker-open">
              {action.runningKey === 'open' ? '开柜中…' : '在柜机旁开柜'}
            </Btn>
          ) : null}
          {canExtend ? (
            <Btn variant="ghost" disabled={action.busy} onClick={() => void extend()} testId="locker-extend">
              {action.runningKey === 'extend'
                ? '处理中…'
                : `延长保管${locker.extensionFeeFen > 0 ? `（${formatYuan(locker.extensionFeeFen)}）` : ''}`}
            </Btn>
          ) : null}
          {waiting && locker.code ? (
            <Btn
              variant="ghost"
              onClick={() =>
                void Taro.setClipboardData({ data: locker.code ?? '' })
                  .then(() => Taro.showToast({ title: '已复制取件码', icon: 'none' }))
                  .catch(() => undefined)
              }
              testId="locker-code-copy"
            >
              复制取件码
            </Btn>
          ) : null}
        </View>
      ) : null}
    </View>
  );
}

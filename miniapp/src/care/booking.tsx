import { Text, Textarea, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { type CareBooking, formatDisplayTime, formatYuan } from 'shared';
import { call } from '../api';
import { confirm } from '../common/confirm';
import { PAYMENT_CONFIRMING, settlePayments } from '../common/payment';
import { Btn } from '../components/Btn';
import { useDevpaySheet } from '../components/DevpaySheet';
import { Page } from '../components/Page';
import { useAction } from '../hooks/use-action';
import { useApi } from '../hooks/use-api';
import { usePullRefresh } from '../hooks/use-pull-refresh';
import { bookingActions, freeCancelText, paymentText, priceSplitText } from './booking-model';
import { describeCareError, isSlotTaken } from './errors';
import { type Slot, SlotPicker } from './SlotPicker';
import { visitTimeText } from './slots-model';
import { CareStatusTag, ChipBtn, Kv, PhotoList, todayLocal } from './ui';
import './care.scss';
import './care-elder.scss';

/** 预约详情 (?id=): state, time, who, money; pay, cancel, reschedule; the visit record and the rating. */
export default function CareBookingPage() {
  const { id = '', new: fresh } = useRouter().params;
  const state = useApi(() => call('careBooking', { params: { id } }), { key: id, refreshOnShow: true });
  const [booking, setBooking] = useState<CareBooking | undefined>(undefined);
  const [today] = useState(todayLocal);
  const action = useAction(describeCareError);
  const devpay = useDevpaySheet();
  usePullRefresh(state.reload);

  // An action's answer is the booking as it is now; a reload replaces it again.
  useEffect(() => setBooking(state.data), [state.data]);
  const b = booking ?? state.data;
  const can = b ? bookingActions(b) : null;

  const pay = () =>
    action.run(async () => {
      if (!b) return;
      const opened = await call('payCareBooking', { params: { id: b.id }, body: {} });
      const outcome = await settlePayments(
        [
          {
            amountFen: b.selfPayFen,
            pay: opened,
            settled: async () => (await call('careBooking', { params: { id: b.id } })).paid,
          },
        ],
        devpay.confirm,
      );
      if (outcome === 'paid') void Taro.showToast({ title: '支付成功', icon: 'success' });
      if (outcome === 'confirming') void Taro.showToast({ title: PAYMENT_CONFIRMING, icon: 'none' });
      await state.reload();
    }, 'pay');

  const cancel = async () => {
    if (!b) return;
    const late = Date.now() >= Date.parse(b.freeCancelUntil);
    const ok = await confirm(
      '取消预约',
      late
        ? '已过免费取消时间，现在取消将记为临时取消。确定取消吗？'
        : '取消后服务券和已付款项将退回。确定取消吗？',
      { confirmText: '取消预约', cancelText: '再想想' },
    );
    if (!ok) return;
    await action.run(async () => {
      setBooking(await call('cancelCareBooking', { params: { id: b.id }, body: { reason: '' } }));
      void Taro.showToast({ title: '已取消预约', icon: 'none' });
    }, 'cancel');
  };

  return (
    <Page name="care-booking" state={state}>
      {devpay.sheet}
      {b && can ? (
        <>
          {fresh === '1' && b.status !== 'cancelled' ? (
            <Text className="care-ok" data-testid="care-booked">
              {b.status === 'requested' ? '预约已提交，等待服务机构确认' : '预约成功'}
            </Text>
          ) : null}
          <View className="card stack care-card" data-testid="care-booking-head">
            <View className="care-row">
              <Text className="card__title care-row__main" data-testid="care-booking-item">
                {b.itemName}
              </Text>
              <CareStatusTag status={b.status} />
            </View>
            <Kv k="服务时间" testId="care-booking-time">
              {visitTimeText(b, today)}
            </Kv>
            <Kv k="服务对象">{b.elderName}</Kv>
            <Kv k="护理员" testId="care-booking-caregiver">
              {b.caregiverName || '待安排'}
            </Kv>
            <Kv k="服务机构">{b.providerName}</Kv>
            <Kv k="预约单号">{b.shortNo}</Kv>
            {b.note ? <Kv k="备注">{b.note}</Kv> : null}
            {b.status === 'cancelled' ? (
              <Text className="muted">
                {b.lateCancel ? '已取消（临时取消，已记录）' : '已取消'}
                {b.cancelReason ? `：${b.cancelReason}` : ''}
              </Text>
            ) : null}
            {b.status === 'no_show' ? (
              <Text className="care-note">
                {b.noShowBy === 'caregiver'
                  ? '护理员未按时上门，已记录并通知服务机构'
                  : '护理员上门时长者不在家，已记录'}
              </Text>
            ) : null}
          </View>

          <View className="card stack care-card" data-testid="care-booking-price">
            <Text className="card__title">费用</Text>
            <Kv k="服务价格">{formatYuan(b.priceFen)}</Kv>
            <Kv k="服务券抵扣">{formatYuan(b.voucherFen)}</Kv>
            <Kv k="自付">{formatYuan(b.selfPayFen)}</Kv>
            <Text className="muted" data-testid="care-price-split">
              {priceSplitText(b)}
            </Text>
            {paymentText(b, today) ? <Text data-testid="care-pay-state">{paymentText(b, today)}</Text> : null}
            {can.pay ? (
              <Btn disabled={action.busy} onClick={() => void pay()} testId="care-pay">
                {action.runningKey === 'pay' ? '支付中…' : `支付自付部分 ${formatYuan(b.selfPayFen)}`}
              </Btn>
            ) : null}
          </View>

          {action.error ? (
            <Text className="care-error" data-testid="care-booking-error">
              {action.error}
            </Text>
          ) : null}

          {can.cancel ? (
            <View className="card stack care-card" data-testid="care-booking-change">
              <Text className="card__title">取消或改约</Text>
              <Text className="muted" data-testid="care-free-cancel">
                {freeCancelText(b, new Date(), today)}
              </Text>
              <Reschedule booking={b} today={today} onDone={setBooking} />
              <View className="care-actions">
                <Btn
                  variant="danger"
                  disabled={action.busy}
                  onClick={() => void cancel()}
                  testId="care-cancel"
                >
                  {action.runningKey === 'cancel' ? '正在取消…' : '取消预约'}
                </Btn>
              </View>
            </View>
          ) : null}

          <VisitRecord booking={b} />
          {can.rate ? <RateVisit booking={b} onDone={setBooking} /> : null}
        </>
      ) : null}
    </Page>
  );
}

/** 改约: a new slot for the same item; 409 SLOT_TAKEN reloads the slots. */
function Reschedule({
  booking,
  today,
  onDone,
}: {
  booking: CareBooking;
  today: string;
  onDone: (b: CareBooking) => void;
}) {
  const [open, setOpen] = useState(false);
  const [slot, setSlot] = useState<Slot | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const [taken, setTaken] = useState(false);
  const action = useAction(describeCareError);

  const submit = () =>
    action.run(async () => {
      if (!slot) return;
      setTaken(false);
      try {
        const next = await call('rescheduleCareBooking', {
          params: { id: booking.id },
          body: { startsAt: slot.startsAt },
        });
        void Taro.showToast({ title: '已改约', icon: 'success' });
        setOpen(false);
        setSlot(null);
        onDone(next);
      } catch (err) {
        if (isSlotTaken(err)) {
          setTaken(true);
          setSlot(null);
          setReloadKey((k) => k + 1);
          return;
        }
        throw err;
      }
    });

  if (!open)
    return (
      <Btn variant="ghost" onClick={() => setOpen(true)} testId="care-reschedule-open">
        改约到其他时间
      </Btn>
    );

  return (
    <View className="stack" data-testid="care-reschedule">
      {taken ? (
        <Text className="care-error" data-testid="care-slot-taken">
          这个时间约不上了：可能刚被别人约走，或长者这时已有其他预约。已刷新可约时间，请重新选择
        </Text>
      ) : null}
      <SlotPicker
        itemId={booking.itemId}
        today={today}
        selected={slot}
        onSelect={setSlot}
        reloadKey={reloadKey}
      />
      {slot ? <Text className="care-line">{`改到：${visitTimeText(slot, today)}`}</Text> : null}
      {action.error ? <Text className="care-error">{`改约未成功：${action.error}`}</Text> : null}
      <View className="care-actions">
        <Btn disabled={!slot || action.busy} onClick={() => void submit()} testId="care-reschedule-submit">
          {action.busy ? '正在改约…' : '确认改约'}
        </Btn>
        <Btn variant="ghost" onClick={() => setOpen(false)} testId="care-reschedule-close">
          不改了
        </Btn>
      </View>
    </View>
  );
}

/** 服务记录: once the caregiver clocked in — times, the checklist, the summary and photos. */
function VisitRecord({ booking }: { booking: CareBooking }) {
  const v = booking.visit;
  if (!v.clockInAt && !v.summary && v.photos.length === 0) return null;
  return (
    <View className="card stack care-card" data-testid="care-visit">
      <Text className="card__title">服务记录</Text>
      {v.clockInAt ? (
        <Kv k="上门打卡" testId="care-visit-in">
          {formatDisplayTime(v.clockInAt)}
        </Kv>
      ) : null}
      {v.clockOutAt ? (
        <Kv k="离开打卡" testId="care-visit-out">
          {formatDisplayTime(v.clockOutAt)}
        </Kv>
      ) : booking.status === 'in_service' ? (
        <Text className="care-ok">护理员正在服务中</Text>
      ) : null}
      {v.checklist.length ? (
        <View data-testid="care-visit-checklist">
          <Text className="muted">服务项目</Text>
          {v.checklist.map((c) => (
            <Text key={c.label} className={`care-check${c.done ? ' care-check--done' : ''}`}>
              {`${c.done ? '✓ 已完成' : '○ 未完成'}：${c.label}`}
            </Text>
          ))}
        </View>
      ) : null}
      {v.summary ? (
        <View>
          <Text className="muted">服务小结</Text>
          <Text data-testid="care-visit-summary">{v.summary}</Text>
        </View>
      ) : null}
      <PhotoList photos={v.photos} />
      {v.rating ? (
        <View data-testid="care-visit-rating">
          <Text className="muted">我的评价</Text>
          <Text className="care-line">{`${'★'.repeat(v.rating)}${'☆'.repeat(5 - v.rating)} ${v.rating}星`}</Text>
          {v.ratingComment ? <Text className="care-line">{v.ratingComment}</Text> : null}
        </View>
      ) : null}
    </View>
  );
}

/** 评价: 1–5 stars (each a button named by its count) and a comment. */
function RateVisit({ booking, onDone }: { booking: CareBooking; onDone: (b: CareBooking) => void }) {
  const [rating, setRating] = useState(0);
  const [comment, setComment] = useState('');
  const action = useAction(describeCareError);

  const submit = () =>
    action.run(async () => {
      onDone(
        await call('rateCareVisit', {
          params: { id: booking.id },
          body: { rating, comment: comment.trim() },
        }),
      );
      void Taro.showToast({ title: '感谢您的评价', icon: 'none' });
    });

  return (
    <View className="card stack care-card" data-testid="care-rate">
      <Text className="card__title">评价这次服务</Text>
      <View className="care-stars" data-testid="care-stars">
        {[1, 2, 3, 4, 5].map((n) => (
          <ChipBtn
            key={n}
            label={`${n}星`}
            selected={n <= rating}
            onClick={() => setRating(n)}
            testId={`care-star-${n}`}
          >
            {n <= rating ? '★' : '☆'}
          </ChipBtn>
        ))}
      </View>
      <Text className="muted">{rating ? `${rating}星` : '点星星打分'}</Text>
      <Textarea
        className="care-textarea"
        value={comment}
        maxlength={200}
        placeholder="说说这次服务怎么样（选填）"
        onInput={(e) => setComment(e.detail.value)}
        data-testid="care-rate-comment"
      />
      {action.error ? <Text className="care-error">{`提交未成功：${action.error}`}</Text> : null}
      <Btn disabled={rating === 0 || action.busy} onClick={() => void submit()} testId="care-rate-submit">
        {action.busy ? '提交中…' : '提交评价'}
      </Btn>
    </View>
  );
}

import { Text, Textarea, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { formatYuan, PAGES } from 'shared';
import { call } from '../api';
import { Btn } from '../components/Btn';
import { Page } from '../components/Page';
import { useAction } from '../hooks/use-action';
import { useApi } from '../hooks/use-api';
import { voucherHintText } from './booking-model';
import { describeCareError, isSlotTaken } from './errors';
import { bookable, durationText, eligibilityNote } from './labels';
import { type Slot, SlotPicker } from './SlotPicker';
import { visitTimeText } from './slots-model';
import { Kv, todayLocal } from './ui';
import './care.scss';
import './care-elder.scss';

/** 预约服务 (?id=): the item, a day and a slot, a note, then 确认预约 with the price. */
export default function CareItemPage() {
  const id = useRouter().params.id ?? '';
  const state = useApi(() => call('careCatalog'), { key: id });
  const [today] = useState(todayLocal);
  const [slot, setSlot] = useState<Slot | null>(null);
  const [note, setNote] = useState('');
  const [reloadKey, setReloadKey] = useState(0);
  const [taken, setTaken] = useState(false);
  const action = useAction(describeCareError);

  const item = state.data?.categories.flatMap((c) => c.items).find((i) => i.id === id);
  const eligibility = state.data?.eligibility;

  useEffect(() => {
    if (item) void Taro.setNavigationBarTitle({ title: item.name });
  }, [item]);

  const book = () =>
    action.run(async () => {
      if (!item || !slot) return;
      setTaken(false);
      try {
        const booking = await call('createCareBooking', {
          body: { itemId: item.id, startsAt: slot.startsAt, note: note.trim() },
        });
        void Taro.redirectTo({ url: `${PAGES.careBooking}?id=${booking.id}&new=1` });
      } catch (err) {
        if (isSlotTaken(err)) {
          // Someone else got it first: say so and show what is still free.
          setTaken(true);
          setSlot(null);
          setReloadKey((k) => k + 1);
          return;
        }
        throw err;
      }
    }, 'book');

  const missing = state.data && !item;
  const open = item && eligibility ? bookable(item, eligibility) : false;
  const hint = item && eligibility ? voucherHintText(item, eligibility.eligible) : null;

  return (
    <Page name="care-item" state={state}>
      {missing ? (
        <View className="card">
          <Text className="muted" data-testid="care-item-missing">
            这项服务已下架或不存在，请返回重新选择
          </Text>
        </View>
      ) : null}
      {item && eligibility ? (
        <>
          <View className="card stack care-card" data-testid="care-item-detail">
            <Text className="card__title">{item.name}</Text>
            {item.description ? <Text className="care-line">{item.description}</Text> : null}
            <Kv k="服务时长">{`约${durationText(item.durationMin)}`}</Kv>
            <Kv k="价格">{item.priceFen > 0 ? formatYuan(item.priceFen) : '免费'}</Kv>
            {hint ? <Kv k="服务券">{hint}</Kv> : null}
            {item.needsConfirmation ? (
              <Text className="care-note">这项服务需服务机构确认，确认后会通知您</Text>
            ) : null}
            {item.checklist.length ? (
              <Text className="muted">{`服务内容：${item.checklist.join('、')}`}</Text>
            ) : null}
          </View>

          {open ? (
            <>
              <SlotPicker
                itemId={item.id}
                today={today}
                selected={slot}
                onSelect={(s) => {
                  setSlot(s);
                  if (s) setTaken(false);
                }}
                reloadKey={reloadKey}
              />
              <View className="card stack care-card">
                <Text className="card__title">备注（选填）</Text>
                <Textarea
                  className="care-textarea"
                  value={note}
                  maxlength={200}
                  placeholder="如：老人行动不便，请提前电话联系"
                  onInput={(e) => setNote(e.detail.value)}
                  data-testid="care-note-input"
                />
              </View>
              <View className="card stack care-card" data-testid="care-confirm">
                <Text className="card__title">确认预约</Text>
                <Kv k="服务">{item.name}</Kv>
                <Kv k="时间">{slot ? visitTimeText(slot, today) : '请先选择时间'}</Kv>
                <Kv k="价格">{item.priceFen > 0 ? formatYuan(item.priceFen) : '免费'}</Kv>
                {hint ? (
                  <Text className="muted">{`${hint}，按服务券余额抵扣，预约后显示实际自付金额`}</Text>
                ) : null}
                {taken ? (
                  <Text className="care-error" data-testid="care-slot-taken">
                    这个时间约不上了：可能刚被别人约走，或长者这时已有其他预约。已刷新可约时间，请重新选择
                  </Text>
                ) : null}
                {action.error ? (
                  <Text className="care-error" data-testid="care-book-error">
                    {`预约未成功：${action.error}`}
                  </Text>
                ) : null}
                <Btn disabled={!slot || action.busy} onClick={() => void book()} testId="care-book-submit">
                  {action.busy ? '正在预约…' : '确认预约'}
                </Btn>
              </View>
            </>
          ) : (
            <Text className="care-note" data-testid="care-not-bookable">
              {eligibilityNote(eligibility) ?? '这项服务暂不可预约'}
            </Text>
          )}
        </>
      ) : null}
    </Page>
  );
}

import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { can, localClock, MAX_MIN_ORDER_FEN, type Merchant, merchantFlow } from 'shared';
import { call } from '../api';
import { confirm } from '../common/confirm';
import { fromWeek, toWeek, validateWeek, type Week } from '../common/hours-model';
import { MERCHANT_STATUS_TEXT } from '../common/merchant-labels';
import { Btn } from '../components/Btn';
import { Page } from '../components/Page';
import { useAction } from '../hooks/use-action';
import { ClosedDates } from './ClosedDates';
import { DeliveryEditor } from './DeliveryEditor';
import { type DeliveryDraft, deliveryDraftOf, parseDelivery } from './delivery-model';
import { merchantErrorText } from './errors';
import { HoursEditor } from './HoursEditor';
import { fenToYuanInput, parseYuan } from './money-input';
import { NoShop, ShopHeader, useMyShop } from './shop';
import { Chips, Field, NumberInput } from './ui';

/** 暂停营业 / 恢复营业: through the merchant flow, so only the move the state allows is offered. */
function StatusCard({ shop, onChanged }: { shop: Merchant; onChanged: () => Promise<void> }) {
  const { busy, error, run } = useAction(merchantErrorText);
  const canPause = can(merchantFlow, shop.status, 'pause');
  const canResume = can(merchantFlow, shop.status, 'resume');

  async function setStatus(status: 'open' | 'paused') {
    if (
      status === 'paused' &&
      !(await confirm('暂停营业', '暂停后居民将不能下单，已有订单不受影响。确定暂停吗？'))
    )
      return;
    const done = await run(() => call('updateMyShop', { body: { status } }));
    if (done) {
      void Taro.showToast({ title: status === 'paused' ? '已暂停营业' : '已恢复营业', icon: 'success' });
      await onChanged();
    }
  }

  return (
    <View className="card stack" data-testid="shop-status-card">
      <View className="m-status">
        <Text className={`m-status__text m-status--${shop.status}`} data-testid="shop-status-text">
          {MERCHANT_STATUS_TEXT[shop.status]}
        </Text>
        {shop.status === 'open' ? (
          <Text className="muted">{shop.openNow ? '现在是营业时间' : '现在不在营业时间'}</Text>
        ) : null}
      </View>
      {error ? <Text className="state__message">{error}</Text> : null}
      {canPause ? (
        <Btn variant="ghost" disabled={busy} onClick={() => void setStatus('paused')} testId="shop-pause">
          暂停营业
        </Btn>
      ) : null}
      {canResume ? (
        <Btn disabled={busy} onClick={() => void setStatus('open')} testId="shop-resume">
          恢复营业
        </Btn>
      ) : null}
    </View>
  );
}

/** Weekly hours, closed dates, minimum order and delivery modes: edited together, saved at once. */
function SettingsForm({ shop, onSaved }: { shop: Merchant; onSaved: () => Promise<void> }) {
  const today = localClock(new Date()).date;
  const [week, setWeek] = useState<Week>(() => toWeek(shop.hours.weekly));
  const [closedDates, setClosedDates] = useState<string[]>(shop.hours.closedDates);
  const [minOrder, setMinOrder] = useState(fenToYuanInput(shop.minOrderFen));
  const [delivery, setDelivery] = useState<DeliveryDraft>(() => deliveryDraftOf(shop.delivery));
  const [refundsOverdue, setRefundsOverdue] = useState(shop.refundsOverdue);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [dirty, setDirty] = useState(false);
  const { busy, error, setError, run } = useAction(merchantErrorText);

  const problems = validateWeek(week);
  const touch =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setDirty(true);
    };

  async function save() {
    const next: Record<string, string> = {};
    const min = parseYuan(minOrder, { max: MAX_MIN_ORDER_FEN });
    if (!min.ok) next.minOrder = min.error;
    const modes = parseDelivery(delivery);
    if (!modes.ok) Object.assign(next, modes.errors);
    setErrors(next);
    if (Object.keys(problems).length || !min.ok || !modes.ok) {
      setError('请按提示修改后再保存');
      return;
    }
    const saved = await run(() =>
      call('updateMyShop', {
        body: {
          hours: { weekly: fromWeek(week), closedDates },
          minOrderFen: min.value,
          delivery: modes.value,
          refundsOverdue,
        },
      }),
    );
    if (saved) {
      setDirty(false);
      void Taro.showToast({ title: '已保存', icon: 'success' });
      await onSaved();
    }
  }

  return (
    <>
      <View className="card stack">
        <Text className="card__title">每周营业时间</Text>
        <HoursEditor week={week} onChange={touch(setWeek)} problems={problems} />
      </View>
      <View className="card stack">
        <Text className="card__title">休息日期</Text>
        <Text className="muted">节假日等整天不营业的日子</Text>
        <ClosedDates dates={closedDates} today={today} onChange={touch(setClosedDates)} />
      </View>
      <View className="card stack">
        <Text className="card__title">起送与配送</Text>
        <Field label="起送金额（元，0 为不限）" error={errors.minOrder}>
          <NumberInput
            kind="money"
            placeholder="如 20"
            value={minOrder}
            onChange={touch(setMinOrder)}
            invalid={Boolean(errors.minOrder)}
            testId="min-order"
          />
        </Field>
        <DeliveryEditor draft={delivery} onChange={touch(setDelivery)} errors={errors} />
        {delivery.modes.includes('locker') ? (
          <Field label="生鲜柜超时未取、由配送员取回的订单">
            <Chips
              options={[
                { value: 'refund', label: '自动退款给顾客' },
                { value: 'keep', label: '不退款，由我联系顾客' },
              ]}
              selected={[refundsOverdue ? 'refund' : 'keep']}
              onToggle={(v) => touch(setRefundsOverdue)(v === 'refund')}
              testId="overdue-policy"
            />
          </Field>
        ) : null}
      </View>
      {error ? (
        <Text className="state__message" data-testid="hours-error">
          {error}
        </Text>
      ) : null}
      <Btn disabled={busy} onClick={() => void save()} testId="hours-save">
        {busy ? '保存中…' : dirty ? '保存设置' : '保存设置（未修改）'}
      </Btn>
    </>
  );
}

/** 营业设置: 营业中 / 暂停营业, weekly hours, closed dates, minimum order, delivery modes. */
export default function MerchantHoursPage() {
  const shop = useMyShop();
  // A new form after each save starts from what the server stored.
  const [version, setVersion] = useState(0);

  return (
    <Page name="merchant-hours" state={shop}>
      {shop.data === null ? <NoShop /> : null}
      {shop.data ? (
        <>
          <ShopHeader shop={shop.data} />
          <StatusCard shop={shop.data} onChanged={shop.reload} />
          <SettingsForm
            key={version}
            shop={shop.data}
            onSaved={async () => {
              await shop.reload();
              setVersion((v) => v + 1);
            }}
          />
        </>
      ) : null}
    </Page>
  );
}

import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import {
  MERCHANT_CATEGORIES,
  MERCHANT_CATEGORY_LABELS,
  type Merchant,
  type MerchantCategory,
  PAGES,
} from 'shared';
import { call } from '../api';
import { DEFAULT_HOURS, fromWeek, summarizeWeek, toWeek, validateWeek } from '../common/hours-model';
import { describeDelivery, MERCHANT_STATUS_TAG, MERCHANT_STATUS_TEXT } from '../common/merchant-labels';
import { Btn } from '../components/Btn';
import { AsyncContent, Page } from '../components/Page';
import { TextInput } from '../components/TextInput';
import { useAction } from '../hooks/use-action';
import { useApi } from '../hooks/use-api';
import {
  APPLY_FIELD_HINTS,
  type ApplyDraft,
  DEFAULT_LOCATION,
  DIRECTION_TEXT,
  type Direction,
  describePin,
  type LatLng,
  NUDGE_METERS,
  nudge,
  parseApply,
} from './apply-model';
import { DeliveryEditor } from './DeliveryEditor';
import { DEFAULT_DELIVERY } from './delivery-model';
import { fieldErrors, merchantErrorText } from './errors';
import { HoursEditor } from './HoursEditor';
import { useMyShop } from './shop';
import { Chips, Field, NumberInput } from './ui';

const WORKSPACE_LINKS = [
  { text: '订单管理', url: PAGES.merchantOrders },
  { text: '商品管理', url: PAGES.merchantProducts },
  { text: '营业设置', url: PAGES.merchantHours },
  { text: '经营数据', url: PAGES.merchantStats },
];

/** After applying: 等待社区审核, or the way into the workspace once verified. */
function ShopState({ shop }: { shop: Merchant }) {
  return (
    <View className="card stack" data-testid="apply-state">
      <View className="row">
        <Text className="card__title">{shop.name}</Text>
        <Text className={MERCHANT_STATUS_TAG[shop.status]}>{MERCHANT_STATUS_TEXT[shop.status]}</Text>
      </View>
      {shop.status === 'pending' ? (
        <>
          <Text className="m-notice" data-testid="apply-pending">
            等待社区审核
          </Text>
          <Text className="muted">社区工作人员核实后即可开通，结果会通过「消息」通知您。</Text>
        </>
      ) : null}
      {shop.status === 'closed' ? <Text className="m-warn">店铺已关闭，如需重新营业请联系社区。</Text> : null}
      <Text className="m-p">{`类别：${MERCHANT_CATEGORY_LABELS[shop.category]}`}</Text>
      <Text className="m-p">{`地址：${shop.address}`}</Text>
      <Text className="m-p">{`电话：${shop.contactPhone}`}</Text>
      <Text className="m-p">{`营业时间：${summarizeWeek(shop.hours.weekly)}`}</Text>
      <Text className="m-p">{`配送：${describeDelivery(shop.delivery)}`}</Text>
      {shop.status === 'open' || shop.status === 'paused' ? (
        <View className="m-actions">
          {WORKSPACE_LINKS.map((l) => (
            <Btn key={l.url} variant="ghost" onClick={() => void Taro.redirectTo({ url: l.url })}>
              {l.text}
            </Btn>
          ))}
        </View>
      ) : null}
    </View>
  );
}

const DIRECTIONS: Direction[] = ['north', 'west', 'east', 'south'];

/**
 * 店铺位置 on every platform: start from one of the community's compounds (their gates are known),
 * then move the pin 20 m a tap; on weapp WeChat's map picker as well. No map tiles are needed, so it
 * works offline and on H5, where chooseLocation does not exist.
 */
function LocationPicker({
  value,
  onChange,
  onPicked,
}: {
  value: LatLng;
  onChange: (p: LatLng) => void;
  onPicked: (p: LatLng & { address?: string }) => void;
}) {
  const trees = useApi(async () => {
    const list = await call('communities');
    return Promise.all(list.items.map((c) => call('community', { params: { id: c.id } })));
  });
  const compounds = (trees.data ?? []).flatMap((t) => t.compounds);
  const located = compounds.filter((c) => c.location);
  const where = describePin(value, compounds);

  async function chooseOnMap() {
    try {
      const place = await Taro.chooseLocation({ latitude: value.lat, longitude: value.lng });
      onPicked({ lat: place.latitude, lng: place.longitude, address: place.address || place.name });
    } catch {
      // Cancelled, or location permission refused: the pin stays where it was.
    }
  }

  return (
    <View className="stack" data-testid="apply-location">
      <Text className="m-p" data-testid="apply-location-where">
        {where ? `当前位置：${where}` : '当前位置：社区附近'}
      </Text>
      <Text className="muted">{`纬度 ${value.lat.toFixed(5)}，经度 ${value.lng.toFixed(5)}`}</Text>
      <AsyncContent state={trees}>
        {located.length ? (
          <>
            <Text className="muted">先选店铺所在或最近的小区：</Text>
            <Chips
              options={located.map((c) => ({ value: c.id, label: c.name }))}
              selected={located.filter((c) => describePin(value, [c]) === `${c.name}门口`).map((c) => c.id)}
              onToggle={(id) => {
                const c = located.find((x) => x.id === id);
                if (c?.location) onChange(c.location);
              }}
              testId="apply-location-compound"
            />
          </>
        ) : null}
      </AsyncContent>
      <Text className="muted">{`再按方向微调，每次移动约 ${NUDGE_METERS} 米：`}</Text>
      <View className="m-actions">
        {DIRECTIONS.map((d) => (
          <Btn
            key={d}
            variant="ghost small"
            onClick={() => onChange(nudge(value, d))}
            label={`向${DIRECTION_TEXT[d]}移动 ${NUDGE_METERS} 米`}
            testId={`apply-location-${d}`}
          >
            {`向${DIRECTION_TEXT[d]}`}
          </Btn>
        ))}
      </View>
      {process.env.TARO_ENV === 'weapp' ? (
        <Btn variant="ghost small" onClick={() => void chooseOnMap()}>
          在地图上选择
        </Btn>
      ) : null}
    </View>
  );
}

const initialDraft = (): ApplyDraft => ({
  name: '',
  category: null,
  description: '',
  contactPhone: '',
  address: '',
  ...DEFAULT_LOCATION,
  communityIds: [],
  week: toWeek(DEFAULT_HOURS.weekly),
  closedDates: [],
  delivery: DEFAULT_DELIVERY,
  minOrder: '0',
});

/** 开店申请: a new shop, pending until staff of the communities it serves verify it. */
function ApplyForm({ onApplied }: { onApplied: () => Promise<void> }) {
  const communities = useApi(() => call('communities'));
  const [draft, setDraft] = useState<ApplyDraft>(initialDraft);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [editHours, setEditHours] = useState(false);
  const { busy, error, setError, run } = useAction(merchantErrorText);

  const set = <K extends keyof ApplyDraft>(key: K, value: ApplyDraft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    const field = key === 'week' ? 'hours' : key === 'minOrder' ? 'minOrderFen' : key;
    if (errors[field]) setErrors(({ [field]: _gone, ...rest }) => rest);
  };

  async function submit() {
    const parsed = parseApply(draft);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      if (parsed.errors.hours) setEditHours(true);
      setError('请按提示修改标红的项目');
      return;
    }
    setErrors({});
    const done = await run(async () => {
      try {
        return await call('applyMerchant', { body: parsed.body });
      } catch (e) {
        setErrors(fieldErrors(e, APPLY_FIELD_HINTS));
        throw e;
      }
    });
    if (done) {
      void Taro.showToast({ title: '已提交申请', icon: 'success' });
      await onApplied();
    }
  }

  const weekProblems = validateWeek(draft.week);
  const toggleCommunity = (id: string) =>
    set(
      'communityIds',
      draft.communityIds.includes(id)
        ? draft.communityIds.filter((c) => c !== id)
        : [...draft.communityIds, id],
    );

  return (
    <View className="stack" data-testid="apply-form">
      <View className="card stack">
        <Text className="card__title">店铺信息</Text>
        <Text className="muted">提交后由社区工作人员审核，通过后即可上架商品、接单。</Text>
        <Field label="店铺名称" error={errors.name} testId="field-shop-name">
          <TextInput
            placeholder="如：菜宅送 黌门街店"
            maxLength={40}
            value={draft.name}
            onChange={(v) => set('name', v)}
            testId="apply-name"
          />
        </Field>
        <Field label="经营类别" error={errors.category} testId="field-shop-category">
          <Chips
            options={MERCHANT_CATEGORIES.map((c) => ({ value: c, label: MERCHANT_CATEGORY_LABELS[c] }))}
            selected={draft.category ? [draft.category] : []}
            onToggle={(c: MerchantCategory) => set('category', c)}
            testId="apply-category"
          />
        </Field>
        <Field label="店铺简介（可不填）" error={errors.description}>
          <TextInput
            placeholder="卖什么、有什么特色"
            maxLength={500}
            value={draft.description}
            onChange={(v) => set('description', v)}
            testId="apply-description"
          />
        </Field>
        <Field label="联系电话" error={errors.contactPhone} testId="field-shop-phone">
          <TextInput
            kind="phone"
            placeholder="11 位手机号"
            maxLength={11}
            value={draft.contactPhone}
            onChange={(v) => set('contactPhone', v)}
            testId="apply-phone"
          />
        </Field>
        <Field label="店铺地址" error={errors.address} testId="field-shop-address">
          <TextInput
            placeholder="如：黌门街 12 号"
            maxLength={100}
            value={draft.address}
            onChange={(v) => set('address', v)}
            testId="apply-address"
          />
        </Field>
        <Field label="店铺位置" error={errors.lat ?? errors.lng}>
          <LocationPicker
            value={{ lat: draft.lat, lng: draft.lng }}
            onChange={(p) => setDraft((d) => ({ ...d, ...p }))}
            onPicked={(p) =>
              setDraft((d) => ({ ...d, lat: p.lat, lng: p.lng, address: d.address || p.address || '' }))
            }
          />
        </Field>
      </View>

      <View className="card stack">
        <Text className="card__title">服务社区</Text>
        <Field label="为哪些社区的居民服务（可多选）" error={errors.communityIds} testId="field-communities">
          <AsyncContent state={communities}>
            <Chips
              options={(communities.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
              selected={draft.communityIds}
              onToggle={toggleCommunity}
              testId="apply-communities"
            />
          </AsyncContent>
        </Field>
      </View>

      <View className="card stack">
        <Text className="card__title">营业时间</Text>
        <Text className="m-p" data-testid="apply-hours-summary">
          {summarizeWeek(fromWeek(draft.week))}
        </Text>
        {errors.hours ? <Text className="field__error">{errors.hours}</Text> : null}
        {editHours ? (
          <HoursEditor week={draft.week} onChange={(w) => set('week', w)} problems={weekProblems} />
        ) : (
          <Btn variant="ghost small" onClick={() => setEditHours(true)} testId="apply-edit-hours">
            修改营业时间
          </Btn>
        )}
      </View>

      <View className="card stack">
        <Text className="card__title">起送与配送</Text>
        <Field label="起送金额（元，0 为不限）" error={errors.minOrderFen}>
          <NumberInput
            kind="money"
            placeholder="如 20"
            value={draft.minOrder}
            onChange={(v) => set('minOrder', v)}
            invalid={Boolean(errors.minOrderFen)}
            testId="apply-min-order"
          />
        </Field>
        <DeliveryEditor draft={draft.delivery} onChange={(d) => set('delivery', d)} errors={errors} />
      </View>

      {error ? (
        <Text className="state__message" data-testid="apply-error">
          {error}
        </Text>
      ) : null}
      <Btn disabled={busy} onClick={() => void submit()} testId="apply-submit">
        {busy ? '提交中…' : '提交开店申请'}
      </Btn>
    </View>
  );
}

/** 我要开店: the application form, or where my shop stands. */
export default function MerchantApplyPage() {
  const shop = useMyShop();
  return (
    <Page name="merchant-apply" state={shop}>
      {shop.data === null ? <ApplyForm onApplied={shop.reload} /> : null}
      {shop.data ? <ShopState shop={shop.data} /> : null}
    </Page>
  );
}

import { Switch, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { CARE_CERTIFICATIONS, type CareItem, type CareSettings } from 'shared';
import type { z } from 'zod';
import { call } from '../api';
import { describeError } from '../api/errors';
import { Btn } from '../components/Btn';
import { Field } from '../components/Field';
import { AsyncContent, Page } from '../components/Page';
import { TextInput } from '../components/TextInput';
import { useAction } from '../hooks/use-action';
import { useApi } from '../hooks/use-api';
import {
  type ItemDraft,
  itemDraftOf,
  itemLine,
  parseItemChanges,
  parseSettingsChanges,
  type SettingsDraft,
  settingsDraftOf,
} from './care-catalog-model';
import '../common/care-console.scss';
import '../common/care-console-elder.scss';

type Settings = z.infer<typeof CareSettings>;
const catalogError = (err: unknown) =>
  describeError(err, { codes: { NOT_FOUND: '没有找到这个服务项目，请刷新' } });

function SwitchRow({
  label,
  checked,
  onChange,
  testId,
}: {
  label: string;
  checked: boolean;
  onChange: (on: boolean) => void;
  testId: string;
}) {
  return (
    <View className="cc-head">
      <Text className="cc-line">{label}</Text>
      <Switch
        checked={checked}
        onChange={(e) => onChange(e.detail.value)}
        color="#1a7f4b"
        aria-label={label}
        data-testid={testId}
      />
    </View>
  );
}

/** One item: its line, and 修改 opens price, duration, voucher share, 上架 and 需机构确认. */
function ItemRow({ item, onSaved }: { item: CareItem; onSaved: (i: CareItem) => void }) {
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<ItemDraft>(() => itemDraftOf(item));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const { busy, error, run } = useAction(catalogError);
  const set = <K extends keyof ItemDraft>(k: K, v: ItemDraft[K]) => setDraft((d) => ({ ...d, [k]: v }));

  async function save() {
    const parsed = parseItemChanges(item, draft);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      return;
    }
    setErrors({});
    if (Object.keys(parsed.body).length === 0) {
      setOpen(false);
      return;
    }
    const saved = await run(() => call('updateCareItem', { params: { id: item.id }, body: parsed.body }));
    if (saved) {
      void Taro.showToast({ title: '已保存', icon: 'success' });
      setOpen(false);
      onSaved(saved);
    }
  }

  const cert = item.certification
    ? (CARE_CERTIFICATIONS as Record<string, string>)[item.certification]
    : null;
  return (
    <View className="cc-item" data-testid={`care-item-${item.code}`}>
      <View>
        <View className="cc-head">
          <Text className="cc-line cc-strong">{item.name}</Text>
          <Text className={`tag tag--${item.active ? 'approved' : 'muted'}`}>
            {item.active ? '上架' : '已下架'}
          </Text>
        </View>
        <Text className="muted">{itemLine(item)}</Text>
        <Text className="muted">
          {`${item.performer === 'volunteer' ? '志愿者服务' : '护理员服务'}${cert ? ` · 需${cert}` : ''}${item.needsConfirmation ? ' · 需机构确认' : ''}`}
        </Text>
        {open ? (
          <View className="stack cc-card cc-edit" data-testid={`item-form-${item.code}`}>
            <Field label="价格（元）" error={errors.priceFen}>
              <TextInput
                placeholder="如 60"
                maxLength={10}
                value={draft.price}
                onChange={(v) => set('price', v)}
                testId={`item-price-${item.code}`}
              />
            </Field>
            <Field label="服务时长（分钟）" error={errors.durationMin}>
              <TextInput
                placeholder="15 到 720"
                maxLength={3}
                value={draft.durationMin}
                onChange={(v) => set('durationMin', v)}
                testId={`item-duration-${item.code}`}
              />
            </Field>
            <Field label="服务券最多抵扣（%）" error={errors.voucherPercent}>
              <TextInput
                placeholder="0 到 100"
                maxLength={3}
                value={draft.voucherPercent}
                onChange={(v) => set('voucherPercent', v)}
                testId={`item-voucher-${item.code}`}
              />
            </Field>
            <SwitchRow
              label="上架（可预约）"
              checked={draft.active}
              onChange={(v) => set('active', v)}
              testId={`item-active-${item.code}`}
            />
            <SwitchRow
              label="需机构确认"
              checked={draft.needsConfirmation}
              onChange={(v) => set('needsConfirmation', v)}
              testId={`item-confirm-${item.code}`}
            />
            <Text className="muted">改价只影响之后的新预约，已有预约按原价结算。</Text>
            {error ? <Text className="state__message">{error}</Text> : null}
            <View className="cc-actions">
              <Btn disabled={busy} onClick={() => void save()} testId={`item-save-${item.code}`}>
                {busy ? '保存中…' : '保存'}
              </Btn>
              <Btn
                variant="ghost"
                onClick={() => {
                  setDraft(itemDraftOf(item));
                  setErrors({});
                  setOpen(false);
                }}
              >
                取消
              </Btn>
            </View>
          </View>
        ) : (
          <Btn variant="ghost small" onClick={() => setOpen(true)} testId={`item-edit-${item.code}`}>
            {`修改「${item.name}」`}
          </Btn>
        )}
      </View>
    </View>
  );
}

/** 补贴与规则: the community's minimum age, monthly voucher, voucher cap and free-cancel hours. */
function SettingsCard({ settings, onSaved }: { settings: Settings; onSaved: (s: Settings) => void }) {
  const [draft, setDraft] = useState<SettingsDraft>(() => settingsDraftOf(settings));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const { busy, error, run } = useAction(catalogError);
  const set = <K extends keyof SettingsDraft>(k: K, v: SettingsDraft[K]) =>
    setDraft((d) => ({ ...d, [k]: v }));

  async function save() {
    const parsed = parseSettingsChanges(settings, draft);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      return;
    }
    setErrors({});
    if (Object.keys(parsed.body).length === 0) {
      void Taro.showToast({ title: '没有修改', icon: 'none' });
      return;
    }
    const saved = await run(() => call('updateCareSettings', { body: parsed.body }));
    if (saved) {
      void Taro.showToast({ title: '已保存', icon: 'success' });
      onSaved(saved);
    }
  }

  return (
    <View className="card stack cc-card" data-testid="care-settings">
      <Text className="card__title">补贴与规则</Text>
      <Field label="享受补贴的最低年龄（岁）" error={errors.minAge}>
        <TextInput
          placeholder="如 80"
          maxLength={3}
          value={draft.minAge}
          onChange={(v) => set('minAge', v)}
          testId="settings-min-age"
        />
      </Field>
      <Field label="每月服务券额度（元）" error={errors.monthlyVoucherFen}>
        <TextInput
          placeholder="如 200"
          maxLength={10}
          value={draft.monthlyVoucher}
          onChange={(v) => set('monthlyVoucher', v)}
          testId="settings-voucher"
        />
      </Field>
      <Field label="服务券最多抵扣每单的（%）" error={errors.voucherCapPercent}>
        <TextInput
          placeholder="如 50"
          maxLength={3}
          value={draft.voucherCapPercent}
          onChange={(v) => set('voucherCapPercent', v)}
          testId="settings-cap"
        />
      </Field>
      <Field label="服务开始前多少小时内取消算临时取消" error={errors.freeCancelHours}>
        <TextInput
          placeholder="如 24"
          maxLength={3}
          value={draft.freeCancelHours}
          onChange={(v) => set('freeCancelHours', v)}
          testId="settings-cancel-hours"
        />
      </Field>
      <Field label="预约后多少分钟内未支付自付部分自动取消" error={errors.payWithinMin}>
        <TextInput
          placeholder="如 30"
          maxLength={4}
          value={draft.payWithinMin}
          onChange={(v) => set('payWithinMin', v)}
          testId="settings-pay-within"
        />
      </Field>
      {error ? <Text className="state__message">{error}</Text> : null}
      <Btn disabled={busy} onClick={() => void save()} testId="settings-save">
        {busy ? '保存中…' : '保存规则'}
      </Btn>
    </View>
  );
}

/** 服务项目与补贴: the catalogue by category with its items' prices and rules, and the settings. */
export default function StaffCareCatalogPage() {
  const catalog = useApi(() => call('staffCareCatalog'));
  const settings = useApi(() => call('staffCareSettings'));
  const [savedItems, setSavedItems] = useState<Record<string, CareItem>>({});
  const [savedSettings, setSavedSettings] = useState<Settings | null>(null);
  const s = savedSettings ?? settings.data;

  return (
    <Page name="staff-care-catalog">
      <AsyncContent state={settings}>
        {s ? <SettingsCard key={JSON.stringify(s)} settings={s} onSaved={setSavedSettings} /> : null}
      </AsyncContent>
      <AsyncContent state={catalog}>
        {catalog.data?.categories.length === 0 ? (
          <View className="card">
            <Text className="muted">还没有服务项目</Text>
          </View>
        ) : null}
        {catalog.data?.categories.map((c) => (
          <View key={c.id} className="card stack cc-card" data-testid={`care-category-${c.code}`}>
            <Text className="card__title">{`${c.name}（${c.items.length} 项）`}</Text>
            {c.items.map((i) => {
              const item = savedItems[i.id] ?? i;
              return (
                <ItemRow
                  key={`${item.id}-${item.priceFen}-${item.active}-${item.durationMin}-${item.voucherPercent}-${item.needsConfirmation}`}
                  item={item}
                  onSaved={(next) => setSavedItems((m) => ({ ...m, [next.id]: next }))}
                />
              );
            })}
          </View>
        ))}
      </AsyncContent>
    </Page>
  );
}

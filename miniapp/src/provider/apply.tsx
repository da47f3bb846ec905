import { Switch, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { CARE_PROVIDER_STATUS_LABELS, type CareProvider, PAGES } from 'shared';
import { call } from '../api';
import { Btn } from '../components/Btn';
import { Field } from '../components/Field';
import { AsyncContent, Page } from '../components/Page';
import { TextArea } from '../components/TextArea';
import { TextInput } from '../components/TextInput';
import { ToggleButtons } from '../components/ToggleButtons';
import { useAction } from '../hooks/use-action';
import { useApi } from '../hooks/use-api';
import {
  EMPTY_APPLY,
  PROVIDER_FIELD_HINTS,
  type ProviderApplyDraft,
  parseProviderApply,
} from './apply-model';
import { fieldErrorsOf, providerErrorText } from './errors';
import { providerTagClass, useMyProvider } from './use-provider';

/** After applying: where the application stands, and the way into the console once verified. */
function ProviderState({ provider }: { provider: CareProvider }) {
  return (
    <View className="card stack cc-card" data-testid="provider-apply-state">
      <View className="cc-head">
        <Text className="card__title">{provider.name}</Text>
        <Text className={providerTagClass(provider.status)}>
          {CARE_PROVIDER_STATUS_LABELS[provider.status]}
        </Text>
      </View>
      {provider.status === 'pending' ? (
        <>
          <Text className="cc-warn" data-testid="provider-apply-pending">
            等待社区审核
          </Text>
          <Text className="muted">社区工作人员核实资质后即可开通，结果会通过「消息」通知您。</Text>
        </>
      ) : null}
      {provider.status === 'rejected' ? (
        <Text className="cc-warn">{`审核未通过${provider.reviewNote ? `：${provider.reviewNote}` : ''}`}</Text>
      ) : null}
      <Text className="cc-line">{`执照编号：${provider.licenseNo}`}</Text>
      <Text className="cc-line">{`联系电话：${provider.contactPhone}`}</Text>
      <Text className="cc-line">{`助餐服务：${provider.servesMeals ? '提供' : '不提供'}`}</Text>
      {provider.status === 'verified' ? (
        <Btn onClick={() => void Taro.redirectTo({ url: PAGES.providerHome })} testId="provider-go-home">
          进入机构工作台
        </Btn>
      ) : null}
    </View>
  );
}

function ApplyForm({ onApplied }: { onApplied: () => Promise<void> }) {
  const communities = useApi(() => call('communities'));
  const [draft, setDraft] = useState<ProviderApplyDraft>(EMPTY_APPLY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const { busy, error, setError, run } = useAction(providerErrorText);

  const set = <K extends keyof ProviderApplyDraft>(key: K, value: ProviderApplyDraft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    if (errors[key]) setErrors(({ [key]: _gone, ...rest }) => rest);
  };

  async function submit() {
    const parsed = parseProviderApply(draft);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      setError('请按提示修改标红的项目');
      return;
    }
    setErrors({});
    const done = await run(async () => {
      try {
        return await call('applyCareProvider', { body: parsed.body });
      } catch (e) {
        setErrors(fieldErrorsOf(e, PROVIDER_FIELD_HINTS));
        throw e;
      }
    });
    if (done) {
      void Taro.showToast({ title: '已提交申请', icon: 'success' });
      await onApplied();
    }
  }

  return (
    <View className="stack cc-card" data-testid="provider-apply-form">
      <View className="card stack cc-card">
        <Text className="card__title">机构信息</Text>
        <Text className="muted">
          居家养老服务机构（助浴、助洁、护理、陪诊等）提交申请，由社区工作人员审核资质。
        </Text>
        <Field label="机构名称" error={errors.name} testId="field-provider-name">
          <TextInput
            placeholder="如：安康居家养老服务中心"
            maxLength={40}
            value={draft.name}
            onChange={(v) => set('name', v)}
            testId="provider-name"
          />
        </Field>
        <Field label="营业执照或备案编号" error={errors.licenseNo} testId="field-provider-license">
          <TextInput
            placeholder="统一社会信用代码或民政备案号"
            maxLength={40}
            value={draft.licenseNo}
            onChange={(v) => set('licenseNo', v)}
            testId="provider-license"
          />
        </Field>
        <Field label="联系电话" error={errors.contactPhone} testId="field-provider-phone">
          <TextInput
            kind="phone"
            placeholder="11 位手机号"
            maxLength={11}
            value={draft.contactPhone}
            onChange={(v) => set('contactPhone', v)}
            testId="provider-phone"
          />
        </Field>
        <Field label="机构简介（可不填）" error={errors.description}>
          <TextArea
            placeholder="服务内容、人员资质、服务经验"
            maxLength={500}
            value={draft.description}
            onChange={(v) => set('description', v)}
            testId="provider-description"
          />
        </Field>
        <View className="cc-head">
          <Text className="cc-line">提供助餐（长者食堂、送餐上门）</Text>
          <Switch
            checked={draft.servesMeals}
            onChange={(e) => set('servesMeals', e.detail.value)}
            color="#1a7f4b"
            aria-label="提供助餐"
            data-testid="provider-meals"
          />
        </View>
      </View>
      <View className="card stack cc-card">
        <Text className="card__title">服务社区</Text>
        <Field label="在哪个社区提供服务" error={errors.communityId} testId="field-provider-community">
          <AsyncContent state={communities}>
            <ToggleButtons
              options={(communities.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
              selected={draft.communityId ? [draft.communityId] : []}
              onToggle={(id) => set('communityId', id)}
              testId="provider-community"
            />
          </AsyncContent>
        </Field>
      </View>
      {error ? (
        <Text className="state__message" data-testid="provider-apply-error">
          {error}
        </Text>
      ) : null}
      <Btn disabled={busy} onClick={() => void submit()} testId="provider-apply-submit">
        {busy ? '提交中…' : '提交机构申请'}
      </Btn>
    </View>
  );
}

/** 申请成为服务机构: the form, or where my application stands. */
export default function ProviderApplyPage() {
  const provider = useMyProvider();
  return (
    <Page name="provider-apply" state={provider}>
      {provider.data === null ? <ApplyForm onApplied={provider.reload} /> : null}
      {provider.data ? <ProviderState provider={provider.data} /> : null}
    </Page>
  );
}

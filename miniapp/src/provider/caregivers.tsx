import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { PAGES } from 'shared';
import { call } from '../api';
import { certificationNames } from '../common/care-console';
import { Btn } from '../components/Btn';
import { AsyncContent, Page } from '../components/Page';
import { useAction } from '../hooks/use-action';
import { useApi } from '../hooks/use-api';
import { usePullRefresh } from '../hooks/use-pull-refresh';
import { CaregiverForm } from './CaregiverForm';
import {
  CAREGIVER_FIELD_HINTS,
  type CaregiverDraft,
  EMPTY_CAREGIVER,
  parseNewCaregiver,
} from './caregiver-model';
import { fieldErrorsOf, providerErrorText } from './errors';
import {
  NoProvider,
  ProviderHeader,
  shiftSummary,
  useCompounds,
  useMyProvider,
  VerifiedOnly,
} from './use-provider';

function AddCaregiver({
  compounds,
  onAdded,
}: {
  compounds: { id: string; name: string }[];
  onAdded: () => Promise<void>;
}) {
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<CaregiverDraft>(EMPTY_CAREGIVER);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const { busy, error, setError, run } = useAction(providerErrorText);

  async function submit() {
    const parsed = parseNewCaregiver(draft);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      setError('请按提示修改标红的项目');
      return;
    }
    setErrors({});
    const done = await run(async () => {
      try {
        return await call('addCaregiver', { body: parsed.body });
      } catch (e) {
        setErrors(fieldErrorsOf(e, CAREGIVER_FIELD_HINTS));
        throw e;
      }
    });
    if (done) {
      void Taro.showToast({ title: '已添加', icon: 'success' });
      setDraft(EMPTY_CAREGIVER);
      setOpen(false);
      await onAdded();
    }
  }

  if (!open)
    return (
      <View className="filter-bar">
        <Btn onClick={() => setOpen(true)} testId="caregiver-add-open">
          添加护理员
        </Btn>
      </View>
    );
  return (
    <View className="card stack cc-card" data-testid="caregiver-add">
      <Text className="card__title">添加护理员</Text>
      <Text className="muted">
        护理员用这个手机号登录「邻里」后，在「我的 › 今日上门」看到派给自己的服务。
      </Text>
      <CaregiverForm draft={draft} onChange={setDraft} compounds={compounds} errors={errors} isNew />
      {error ? (
        <Text className="state__message" data-testid="caregiver-add-error">
          {error}
        </Text>
      ) : null}
      <View className="cc-actions">
        <Btn disabled={busy} onClick={() => void submit()} testId="caregiver-add-submit">
          {busy ? '提交中…' : '添加'}
        </Btn>
        <Btn variant="ghost" onClick={() => setOpen(false)}>
          取消
        </Btn>
      </View>
    </View>
  );
}

/** 护理员: the provider's caregivers with their certifications, compounds and hours; add by phone. */
export default function ProviderCaregiversPage() {
  const provider = useMyProvider();
  const list = useApi(() => call('providerCaregivers'), { refreshOnShow: true });
  const compounds = useCompounds(provider.data);
  usePullRefresh(list.reload, provider.reload);
  const names = new Map((compounds.data ?? []).map((c) => [c.id, c.name]));

  return (
    <Page name="provider-caregivers" state={provider}>
      {provider.data === null ? <NoProvider /> : null}
      {provider.data ? (
        <VerifiedOnly provider={provider.data}>
          <ProviderHeader provider={provider.data} />
          <AddCaregiver compounds={compounds.data ?? []} onAdded={list.reload} />
          <AsyncContent state={list}>
            {list.data?.items.length === 0 ? (
              <View className="card">
                <Text className="muted">还没有护理员，点「添加护理员」开始。</Text>
              </View>
            ) : null}
            {list.data?.items.map((c) => (
              <View key={c.id} className="card stack cc-card" data-testid={`caregiver-${c.id}`}>
                <View className="cc-head">
                  <Text className="card__title">{c.name}</Text>
                  <Text className={`tag tag--${c.active ? 'approved' : 'muted'}`}>
                    {c.active ? '在岗' : '已停用'}
                  </Text>
                </View>
                {c.phoneMasked ? <Text className="muted">{`手机号：${c.phoneMasked}`}</Text> : null}
                <Text className="cc-line">{`资质：${certificationNames(c.certifications)}`}</Text>
                <Text className="cc-line">
                  {`服务小区：${c.compoundIds.map((id) => names.get(id) ?? '其他小区').join('、') || '未设置'}`}
                </Text>
                <Text className="cc-line">{`工作时间：${shiftSummary(c)}`}</Text>
                {c.timeOff.length ? (
                  <Text className="muted">{`已安排请假 ${c.timeOff.length} 次`}</Text>
                ) : null}
                <Btn
                  variant="ghost"
                  onClick={() => void Taro.navigateTo({ url: `${PAGES.providerCaregiver}?id=${c.id}` })}
                  testId={`caregiver-open-${c.id}`}
                >
                  {`编辑${c.name}的资料与请假`}
                </Btn>
              </View>
            ))}
          </AsyncContent>
        </VerifiedOnly>
      ) : null}
    </Page>
  );
}

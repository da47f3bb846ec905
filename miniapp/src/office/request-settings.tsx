import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { REQUEST_CATEGORY_LABELS, type RequestSettings } from 'shared';
import { call } from '../api';
import { describeRequestError } from '../common/request-errors';
import { Btn } from '../components/Btn';
import { AsyncContent } from '../components/Page';
import { TextInput } from '../components/TextInput';
import { ToggleButtons } from '../components/ToggleButtons';
import { useAction } from '../hooks/use-action';
import { useApi } from '../hooks/use-api';
import { useStaffCommunity } from './request-community';
import { type LimitDraft, limitDrafts, limitStateText, limitsToSave } from './requests-model';

/**
 * 时限设置: per category, within how many hours a handler must respond and resolve (the community's
 * own or the default), and the lead staff member told when a limit is missed (everyone when none).
 */
export function RequestSettingsCard() {
  const community = useStaffCommunity();
  const id = community.data?.id ?? null;
  const settings = useApi(() => (id ? call('requestSettings', { params: { id } }) : Promise.resolve(null)), {
    key: id ?? '',
  });
  return (
    <AsyncContent state={community}>
      {community.data === null ? (
        <View className="card">
          <Text className="muted">您还没有负责的社区</Text>
        </View>
      ) : (
        <AsyncContent state={settings}>
          {settings.data ? <SettingsForm key={settings.data.communityId} s={settings.data} /> : null}
        </AsyncContent>
      )}
    </AsyncContent>
  );
}

function SettingsForm({ s }: { s: RequestSettings }) {
  const [saved, setSaved] = useState(s);
  const [lead, setLead] = useState<string>(s.leadStaffId ?? 'all');
  const [drafts, setDrafts] = useState<LimitDraft[]>(() => limitDrafts(s));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const action = useAction(describeRequestError);
  useEffect(() => setDrafts(limitDrafts(saved)), [saved]);

  const patch = (category: string, change: Partial<LimitDraft>) =>
    setDrafts((ds) => ds.map((d) => (d.category === category ? { ...d, ...change, custom: true } : d)));

  const save = () => {
    const result = limitsToSave(drafts);
    setErrors(result.ok ? {} : result.errors);
    if (!result.ok) return;
    void action.run(async () => {
      const next = await call('saveRequestSettings', {
        params: { id: s.communityId },
        body: { leadStaffId: lead === 'all' ? null : lead, limits: result.limits },
      });
      setSaved(next);
      void Taro.showToast({ title: '已保存', icon: 'success' });
    });
  };

  return (
    <View className="card stack cc-card" data-testid="request-settings">
      <Text className="card__title">督办负责人</Text>
      <Text className="muted">超过时限仍未响应或办结时，通知这位工作人员</Text>
      <ToggleButtons
        options={[
          { value: 'all', label: '全体工作人员' },
          ...s.staff.map((p) => ({ value: p.userId, label: p.name })),
        ]}
        selected={[lead]}
        onToggle={setLead}
        testId="request-settings-lead"
      />
      <Text className="card__title">各类诉求的时限</Text>
      <Text className="muted">单位：小时。未单独设置的类别使用默认时限。</Text>
      {drafts.map((d) => (
        <View key={d.category} className="rqo-limit" data-testid={`request-limit-${d.category}`}>
          <View className="cc-head">
            <Text className="cc-strong">{REQUEST_CATEGORY_LABELS[d.category]}</Text>
            <Text className="muted">{limitStateText(d)}</Text>
          </View>
          <View className="rqo-limit__fields">
            <Text className="rqo-limit__unit">响应</Text>
            <TextInput
              value={d.respondHours}
              onChange={(respondHours) => patch(d.category, { respondHours })}
              placeholder="24"
              maxLength={3}
              testId={`request-limit-${d.category}-respond`}
            />
            <Text className="rqo-limit__unit">小时内，解决</Text>
            <TextInput
              value={d.resolveHours}
              onChange={(resolveHours) => patch(d.category, { resolveHours })}
              placeholder="72"
              maxLength={4}
              testId={`request-limit-${d.category}-resolve`}
            />
            <Text className="rqo-limit__unit">小时内</Text>
          </View>
          {errors[d.category] ? <Text className="field__error">{errors[d.category]}</Text> : null}
          {d.custom ? (
            <Btn
              variant="ghost small"
              onClick={() =>
                setDrafts((ds) => ds.map((x) => (x.category === d.category ? { ...x, custom: false } : x)))
              }
              testId={`request-limit-${d.category}-default`}
            >
              改回默认
            </Btn>
          ) : null}
        </View>
      ))}
      <Btn disabled={action.busy} onClick={save} testId="request-settings-save">
        {action.busy ? '保存中…' : '保存设置'}
      </Btn>
      {action.error ? <Text className="field__error">{action.error}</Text> : null}
    </View>
  );
}

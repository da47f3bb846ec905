import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import {
  CARE_PROVIDER_STATUS_LABELS,
  type CareProvider,
  can,
  careProviderFlow,
  formatDisplayTime,
} from 'shared';
import { call } from '../api';
import { describeError } from '../api/errors';
import { confirm } from '../common/confirm';
import { Btn } from '../components/Btn';
import { Field } from '../components/Field';
import { AsyncContent, Page } from '../components/Page';
import { TextInput } from '../components/TextInput';
import { ToggleButtons } from '../components/ToggleButtons';
import { useAction } from '../hooks/use-action';
import { useApi } from '../hooks/use-api';
import '../common/care-console.scss';
import '../common/care-console-elder.scss';

type Status = CareProvider['status'];
const FILTERS: Status[] = ['pending', 'verified', 'rejected', 'suspended'];

const reviewError = (err: unknown) =>
  describeError(err, {
    codes: { NOT_FOUND: '没有找到这家机构，或不在您负责的社区' },
    fields: { note: '请写明不通过的原因（200 字以内）' },
  });

function ProviderCard({
  p,
  community,
  onDone,
}: {
  p: CareProvider;
  community: string;
  onDone: () => Promise<void>;
}) {
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string | null>(null);
  const { busy, runningKey, error, run } = useAction(reviewError);

  async function verify() {
    if (
      !(await confirm('审核通过', `确认「${p.name}」资质无误、允许提供上门服务吗？`, { confirmText: '通过' }))
    )
      return;
    const done = await run(
      () =>
        call('verifyCareProvider', { params: { id: p.id }, body: note.trim() ? { note: note.trim() } : {} }),
      'verify',
    );
    if (done) {
      void Taro.showToast({ title: '已通过', icon: 'success' });
      await onDone();
    }
  }

  async function reject() {
    if (!note.trim()) {
      setNoteError('不通过时请写明原因，机构会看到');
      return;
    }
    setNoteError(null);
    if (!(await confirm('审核不通过', `确定不通过「${p.name}」的申请吗？`, { confirmText: '不通过' })))
      return;
    const done = await run(
      () => call('rejectCareProvider', { params: { id: p.id }, body: { note: note.trim() } }),
      'reject',
    );
    if (done) {
      void Taro.showToast({ title: '已驳回', icon: 'success' });
      await onDone();
    }
  }

  const canVerify = can(careProviderFlow, p.status, 'verify');
  const canReject = can(careProviderFlow, p.status, 'reject');
  return (
    <View className="card stack cc-card" data-testid={`care-provider-${p.id}`}>
      <View className="cc-head">
        <Text className="card__title">{p.name}</Text>
        <Text
          className={`tag tag--${p.status === 'verified' ? 'approved' : p.status === 'pending' ? 'pending' : 'rejected'}`}
        >
          {CARE_PROVIDER_STATUS_LABELS[p.status]}
        </Text>
      </View>
      <Text className="cc-line">{`社区：${community}`}</Text>
      <Text className="cc-line">{`执照编号：${p.licenseNo}`}</Text>
      <Text className="cc-line">{`联系电话：${p.contactPhone}`}</Text>
      <Text className="cc-line">{`助餐服务：${p.servesMeals ? '提供' : '不提供'}`}</Text>
      <Text className="muted">{`申请时间：${formatDisplayTime(p.createdAt)}`}</Text>
      {p.description ? <Text className="muted">{`简介：${p.description}`}</Text> : null}
      {p.reviewNote ? <Text className="muted">{`审核意见：${p.reviewNote}`}</Text> : null}
      {canVerify || canReject ? (
        <>
          <Field label="审核意见（不通过时必填）" error={noteError}>
            <TextInput
              placeholder="如：请补充营业执照照片"
              maxLength={200}
              value={note}
              onChange={setNote}
              testId={`care-provider-note-${p.id}`}
            />
          </Field>
          <View className="cc-actions">
            {canVerify ? (
              <Btn disabled={busy} onClick={() => void verify()} testId={`care-provider-verify-${p.id}`}>
                {runningKey === 'verify' ? '提交中…' : '审核通过'}
              </Btn>
            ) : null}
            {canReject ? (
              <Btn
                variant="ghost"
                disabled={busy}
                onClick={() => void reject()}
                testId={`care-provider-reject-${p.id}`}
              >
                {runningKey === 'reject' ? '提交中…' : '不通过'}
              </Btn>
            ) : null}
          </View>
        </>
      ) : null}
      {error ? <Text className="state__message">{error}</Text> : null}
    </View>
  );
}

/** 服务机构审核: care providers applying in my communities; verify or reject with a reason. */
export default function StaffCareProvidersPage() {
  const [status, setStatus] = useState<Status>('pending');
  const list = useApi(() => call('staffCareProviders', { query: { status } }), {
    key: status,
    refreshOnShow: true,
  });
  const communities = useApi(() => call('communities'));
  const names = new Map((communities.data?.items ?? []).map((c) => [c.id, c.name]));

  return (
    <Page name="staff-care-providers">
      <View className="filter-bar">
        <ToggleButtons
          options={FILTERS.map((s) => ({ value: s, label: CARE_PROVIDER_STATUS_LABELS[s] }))}
          selected={[status]}
          onToggle={setStatus}
          testId="care-provider-filter"
        />
      </View>
      <AsyncContent state={list}>
        {list.data?.items.length === 0 ? (
          <View className="card">
            <Text className="muted">{status === 'pending' ? '暂无待审核的服务机构' : '暂无服务机构'}</Text>
          </View>
        ) : null}
        {list.data?.items.map((p) => (
          <ProviderCard
            key={p.id}
            p={p}
            community={names.get(p.communityId) ?? '其他社区'}
            onDone={list.reload}
          />
        ))}
      </AsyncContent>
    </Page>
  );
}

import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { formatDisplayTime, VOLUNTEER_STATUS_LABELS, type VolunteerProfile } from 'shared';
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
import { usePullRefresh } from '../hooks/use-pull-refresh';
import { availabilityText, reviewActions, skillsText, type VolunteerStatus } from './volunteer-model';
import '../common/care-console.scss';
import '../common/care-console-elder.scss';
import './volunteer-staff.scss';
import './volunteer-staff-elder.scss';

const FILTERS: VolunteerStatus[] = ['pending', 'verified', 'suspended', 'rejected'];
const TONE: Record<VolunteerStatus, string> = {
  pending: 'pending',
  verified: 'approved',
  suspended: 'rejected',
  rejected: 'muted',
};

const reviewError = (err: unknown) =>
  describeError(err, {
    codes: { NOT_FOUND: '没有找到这位志愿者，或不在您负责的社区' },
    fields: { note: '请写明原因（200 字以内）', reason: '请写明停用原因（200 字以内）' },
  });

/** 志愿者审核: real-name profiles to verify or reject; verified ones can be suspended and reinstated. */
export default function StaffVolunteersPage() {
  const [status, setStatus] = useState<VolunteerStatus>('pending');
  const list = useApi(() => call('staffVolunteers', { query: { status } }), {
    key: status,
    refreshOnShow: true,
  });
  usePullRefresh(list.reload);

  return (
    <Page name="staff-volunteers">
      <View className="filter-bar">
        <ToggleButtons
          options={FILTERS.map((s) => ({ value: s, label: VOLUNTEER_STATUS_LABELS[s] }))}
          selected={[status]}
          onToggle={setStatus}
          testId="staff-volunteer-filter"
        />
      </View>
      <AsyncContent state={list}>
        {list.data?.items.length === 0 ? (
          <View className="card">
            <Text className="muted">{status === 'pending' ? '暂无待审核的志愿者' : '暂无志愿者'}</Text>
          </View>
        ) : null}
        {list.data?.items.map((v) => (
          <VolunteerCard key={v.userId} v={v} onDone={list.reload} />
        ))}
      </AsyncContent>
    </Page>
  );
}

function VolunteerCard({ v, onDone }: { v: VolunteerProfile; onDone: () => Promise<void> }) {
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string | null>(null);
  const { busy, runningKey, error, run } = useAction(reviewError);
  const can = reviewActions(v.status);

  async function act(kind: 'verify' | 'reject' | 'suspend' | 'reinstate') {
    const text = note.trim();
    if ((kind === 'reject' || kind === 'suspend') && !text) {
      setNoteError(kind === 'reject' ? '不通过时请写明原因，申请人会看到' : '停用时请写明原因，志愿者会看到');
      return;
    }
    setNoteError(null);
    const ask = {
      verify: ['审核通过', `确认「${v.realName}」身份信息无误、可以接单吗？`, '通过'],
      reject: ['审核不通过', `确定不通过「${v.realName}」的申请吗？`, '不通过'],
      suspend: ['停用志愿者', `停用后「${v.realName}」将不再收到任务。确定吗？`, '停用'],
      reinstate: ['恢复志愿者', `恢复「${v.realName}」接单吗？`, '恢复'],
    }[kind];
    if (!(await confirm(ask[0]!, ask[1]!, { confirmText: ask[2] }))) return;
    const params = { id: v.userId };
    const done = await run(() => {
      if (kind === 'verify') return call('verifyVolunteer', { params, body: text ? { note: text } : {} });
      if (kind === 'reject') return call('rejectVolunteer', { params, body: { note: text } });
      if (kind === 'suspend') return call('suspendVolunteer', { params, body: { reason: text } });
      return call('reinstateVolunteer', { params, body: text ? { note: text } : {} });
    }, kind);
    if (done) {
      void Taro.showToast({ title: '已处理', icon: 'success' });
      setNote('');
      await onDone();
    }
  }

  const any = can.verify || can.reject || can.suspend || can.reinstate;
  return (
    <View className="card stack cc-card" data-testid={`staff-volunteer-${v.userId}`}>
      <View className="cc-head">
        <Text className="card__title">{v.realName}</Text>
        <Text className={`tag tag--${TONE[v.status]}`}>{VOLUNTEER_STATUS_LABELS[v.status]}</Text>
      </View>
      <Text className="cc-line">{`身份证后四位：${v.idTail}`}</Text>
      <Text className="cc-line">{`电话：${v.phone ?? '未绑定'}`}</Text>
      <Text className="cc-line">{`小区：${v.compoundName}`}</Text>
      <Text className="cc-line">{`技能：${skillsText(v.skills)}`}</Text>
      <Text className="cc-line">{`可服务时间：${availabilityText(v.availability)}`}</Text>
      <Text className="muted">
        {`每周最多 ${Math.round(v.weeklyCapMin / 60)} 小时 · 本周已 ${Math.round((v.weekMin / 60) * 10) / 10} 小时${v.rating !== null ? ` · 评分 ${v.rating.toFixed(1)}（${v.ratingCount}）` : ''}`}
      </Text>
      <Text className="muted">{`申请时间：${formatDisplayTime(v.createdAt)}`}</Text>
      {v.reviewNote ? <Text className="muted">{`审核意见：${v.reviewNote}`}</Text> : null}
      {v.suspendReason ? <Text className="cc-warn">{`停用原因：${v.suspendReason}`}</Text> : null}
      {any ? (
        <>
          <Field
            label={
              can.suspend
                ? '停用原因（停用时必填）'
                : can.reinstate
                  ? '备注（选填）'
                  : '审核意见（不通过时必填）'
            }
            error={noteError}
          >
            <TextInput
              value={note}
              onChange={setNote}
              placeholder={can.suspend ? '如：多次爽约' : '如：请补充真实姓名'}
              maxLength={200}
              testId={`staff-volunteer-note-${v.userId}`}
            />
          </Field>
          <View className="cc-actions">
            {can.verify ? (
              <Btn
                disabled={busy}
                onClick={() => void act('verify')}
                testId={`staff-volunteer-verify-${v.userId}`}
              >
                {runningKey === 'verify' ? '提交中…' : '审核通过'}
              </Btn>
            ) : null}
            {can.reject ? (
              <Btn
                variant="ghost"
                disabled={busy}
                onClick={() => void act('reject')}
                testId={`staff-volunteer-reject-${v.userId}`}
              >
                {runningKey === 'reject' ? '提交中…' : '不通过'}
              </Btn>
            ) : null}
            {can.suspend ? (
              <Btn
                variant="danger"
                disabled={busy}
                onClick={() => void act('suspend')}
                testId={`staff-volunteer-suspend-${v.userId}`}
              >
                {runningKey === 'suspend' ? '提交中…' : '停用'}
              </Btn>
            ) : null}
            {can.reinstate ? (
              <Btn
                disabled={busy}
                onClick={() => void act('reinstate')}
                testId={`staff-volunteer-reinstate-${v.userId}`}
              >
                {runningKey === 'reinstate' ? '提交中…' : '恢复接单'}
              </Btn>
            ) : null}
          </View>
        </>
      ) : null}
      {error ? <Text className="state__message">{error}</Text> : null}
    </View>
  );
}

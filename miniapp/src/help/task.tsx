import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { type HelpTask, TASK_URGENCY_LABELS, VOLUNTEER_SKILL_LABELS } from 'shared';
import { call } from '../api';
import { Btn } from '../components/Btn';
import { Page } from '../components/Page';
import { TextInput } from '../components/TextInput';
import { useAction } from '../hooks/use-action';
import { useApi } from '../hooks/use-api';
import { usePoll } from '../hooks/use-poll';
import { usePullRefresh } from '../hooks/use-pull-refresh';
import { hoursText, minutesText, showDoorCode, taskNextText, taskSteps, windowText } from './help-model';
import { ChipRow, DoorCode, describeHelpError, HoursReview, InlineConfirm, TaskTag } from './ui';
import '../common/care-console.scss';
import '../common/care-console-elder.scss';
import './help.scss';
import './help-elder.scss';

const CANCEL_REASONS = ['不需要了', '已经找到人帮忙', '时间不合适', '其他原因'] as const;

/** 求助详情 (?id=): where the task is, the door code, cancel, and the hours to confirm. */
export default function HelpTaskPage() {
  const { id = '', new: fresh } = useRouter().params;
  const state = useApi(() => call('helpTask', { params: { id } }), { key: id, refreshOnShow: true });
  const [answered, setAnswered] = useState<HelpTask | undefined>(undefined);
  useEffect(() => setAnswered(state.data), [state.data]);
  const t = answered ?? state.data;
  usePullRefresh(state.reload);
  // Until it is done the elder is waiting for someone to take it, arrive, finish.
  usePoll(
    state.reload,
    10_000,
    !!t && ['open', 'offered', 'escalated', 'accepted', 'in_progress'].includes(t.status),
  );

  return (
    <Page name="help-task" state={state}>
      {t ? (
        <>
          {fresh === '1' && t.status !== 'cancelled' ? (
            <Text className="hp-ok" data-testid="help-task-new">
              求助已发出，正在为您联系附近的志愿者
            </Text>
          ) : null}
          <View className="card stack hp-card" data-testid="help-task-head">
            <View className="hp-row">
              <Text className="card__title hp-row__main" data-testid="help-task-title">
                {t.title}
              </Text>
              <TaskTag task={t} />
            </View>
            <Text className="hp-line" data-testid="help-task-next">
              {taskNextText(t)}
            </Text>
            <Text className="hp-line">{`时间：${windowText(t.windowStart, t.windowEnd)}`}</Text>
            <Text className="hp-line">{`预计：${minutesText(t.durationMin)} · ${VOLUNTEER_SKILL_LABELS[t.skill]} · ${TASK_URGENCY_LABELS[t.urgency]}`}</Text>
            {t.volunteerName ? (
              <Text
                className="hp-line"
                data-testid="help-task-volunteer"
              >{`志愿者：${t.volunteerName}`}</Text>
            ) : null}
            {t.note ? <Text className="muted">{`备注：${t.note}`}</Text> : null}
            {t.paidMinutes > 0 ? (
              <Text className="muted">{`已用家人的时间银行支付 ${hoursText(t.paidMinutes)}`}</Text>
            ) : null}
            {showDoorCode(t) ? <DoorCode code={t.checkinCode!} /> : null}
          </View>

          <View className="card stack hp-card" data-testid="help-task-steps">
            <Text className="card__title">进度</Text>
            <View className="hp-steps">
              {taskSteps(t).map((s) => (
                <View
                  key={s.key}
                  className={`hp-step${s.done ? ' hp-step--done' : ' hp-step--todo'}`}
                  data-testid={`help-step-${s.key}`}
                >
                  <View className="hp-step__dot" />
                  <View className="hp-step__body">
                    <Text className="hp-step__label">{s.label}</Text>
                    {s.at ? <Text className="muted">{s.at}</Text> : null}
                  </View>
                </View>
              ))}
            </View>
          </View>

          {t.can.confirm || t.can.dispute ? (
            <View className="card stack hp-card" data-testid="help-task-hours">
              <Text className="card__title">确认服务时长</Text>
              <HoursReview task={t} onDone={setAnswered} />
            </View>
          ) : null}
          {t.hoursStatus === 'disputed' && t.disputeNote ? (
            <Text
              className="hp-warn"
              data-testid="help-task-dispute"
            >{`已提出异议：${t.disputeNote}。社区工作人员会核实后裁定。`}</Text>
          ) : null}
          {t.rating ? (
            <Text className="muted">{`我的评价：${'★'.repeat(t.rating)}${'☆'.repeat(5 - t.rating)}`}</Text>
          ) : null}

          {t.can.cancel ? <CancelTask task={t} onDone={setAnswered} /> : null}
        </>
      ) : null}
    </Page>
  );
}

/** 取消求助: a reason (one tap, or typed), then one more tap to be sure. */
function CancelTask({ task, onDone }: { task: HelpTask; onDone: (t: HelpTask) => void }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState<string>(CANCEL_REASONS[0]);
  const [other, setOther] = useState('');
  const [error, setError] = useState<string | null>(null);
  const action = useAction(describeHelpError);

  const cancel = () => {
    const text = reason === '其他原因' ? other.trim() : reason;
    if (!text) {
      setError('请写一下取消的原因');
      return;
    }
    setError(null);
    void action.run(async () => {
      onDone(await call('cancelHelpTask', { params: { id: task.id }, body: { reason: text } }));
      setOpen(false);
      void Taro.showToast({ title: '已取消求助', icon: 'none' });
    });
  };

  if (!open)
    return (
      <Btn variant="ghost" onClick={() => setOpen(true)} testId="help-task-cancel">
        取消求助
      </Btn>
    );
  return (
    <View className="card stack hp-card" data-testid="help-task-cancel-form">
      <InlineConfirm
        question={
          task.status === 'accepted'
            ? `${task.volunteerName ?? '志愿者'}已接单，确定取消吗？会通知对方。`
            : '确定取消这次求助吗？'
        }
        confirmText="确定取消"
        cancelText="不取消"
        danger
        busy={action.busy}
        onConfirm={cancel}
        onCancel={() => setOpen(false)}
        testId="help-task-cancel-confirm"
      >
        <ChipRow
          options={CANCEL_REASONS.map((r) => ({ value: r, label: r }))}
          value={reason}
          onChange={setReason}
          testId="help-cancel-reason"
        />
        {reason === '其他原因' ? (
          <TextInput
            value={other}
            onChange={setOther}
            placeholder="请写下原因"
            maxLength={100}
            testId="help-cancel-other"
          />
        ) : null}
        {error ? <Text className="field__error">{error}</Text> : null}
      </InlineConfirm>
      {action.error ? <Text className="hp-error">{action.error}</Text> : null}
    </View>
  );
}

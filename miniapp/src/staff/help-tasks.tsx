import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import {
  formatDisplayTime,
  HELP_TASK_STATUS_LABELS,
  type HelpTask,
  TASK_HOURS_STATUS_LABELS,
  TASK_URGENCY_LABELS,
  VOLUNTEER_SKILL_LABELS,
  type VolunteerProfile,
} from 'shared';
import { call } from '../api';
import { describeError } from '../api/errors';
import { visitWhen } from '../common/care-console';
import { confirm } from '../common/confirm';
import { Btn } from '../components/Btn';
import { Field } from '../components/Field';
import { AsyncContent, Page } from '../components/Page';
import { TextInput } from '../components/TextInput';
import { ToggleButtons } from '../components/ToggleButtons';
import { useAction } from '../hooks/use-action';
import { useApi } from '../hooks/use-api';
import { usePullRefresh } from '../hooks/use-pull-refresh';
import { parseMinutes, taskActions } from './volunteer-model';
import '../common/care-console.scss';
import '../common/care-console-elder.scss';
import './volunteer-staff.scss';
import './volunteer-staff-elder.scss';

type Tab = 'escalated' | 'disputed' | 'active';
const TABS: { value: Tab; label: string }[] = [
  { value: 'escalated', label: '待派单' },
  { value: 'disputed', label: '时长异议' },
  { value: 'active', label: '进行中' },
];
const SOURCE_LABELS: Record<HelpTask['source'], string> = {
  elder: '老人发起',
  proxy: '家属代发',
  care_item: '养老服务',
  staff: '社区发起',
  locker_errand: '生鲜柜代取',
  checkin_visit: '报平安探访',
};

const taskError = (err: unknown) =>
  describeError(err, {
    codes: { NOT_FOUND: '没有找到这个任务，或不在您负责的社区' },
    fields: {
      volunteerId: '请选择一位已认证的志愿者',
      reason: '请写明取消原因（100 字以内）',
      note: '请写明裁定理由（300 字以内）',
      minutes: '时长需在 0 到 720 分钟之间',
    },
  });

/** 互助任务: tasks nobody took (assign one), hours in dispute (decide), and those under way. */
export default function StaffHelpTasksPage() {
  const [tab, setTab] = useState<Tab>('escalated');
  const list = useApi(() => call('staffHelpTasks', { query: { status: tab } }), {
    key: tab,
    refreshOnShow: true,
  });
  const volunteers = useApi(() => call('staffVolunteers', { query: { status: 'verified' } }));
  usePullRefresh(list.reload, volunteers.reload);

  return (
    <Page name="staff-help-tasks">
      <View className="filter-bar">
        <ToggleButtons options={TABS} selected={[tab]} onToggle={setTab} testId="staff-task-filter" />
      </View>
      <AsyncContent state={list}>
        {list.data?.items.length === 0 ? (
          <View className="card">
            <Text className="muted">
              {tab === 'escalated'
                ? '没有等待派单的任务'
                : tab === 'disputed'
                  ? '没有时长异议'
                  : '没有进行中的任务'}
            </Text>
          </View>
        ) : null}
        {list.data?.items.map((t) => (
          <TaskCard key={t.id} t={t} volunteers={volunteers.data?.items ?? []} onDone={list.reload} />
        ))}
      </AsyncContent>
    </Page>
  );
}

function statusText(t: HelpTask) {
  return t.status === 'done' && t.hoursStatus
    ? TASK_HOURS_STATUS_LABELS[t.hoursStatus]
    : HELP_TASK_STATUS_LABELS[t.status];
}

function TaskCard({
  t,
  volunteers,
  onDone,
}: {
  t: HelpTask;
  volunteers: VolunteerProfile[];
  onDone: () => Promise<void>;
}) {
  const [open, setOpen] = useState<'assign' | 'cancel' | 'resolve' | null>(null);
  const can = taskActions(t);
  const tone =
    t.status === 'escalated' || t.hoursStatus === 'disputed'
      ? 'rejected'
      : t.status === 'done'
        ? 'done'
        : 'active';

  return (
    <View className="card stack cc-card" data-testid={`staff-task-${t.id}`}>
      <View className="cc-head">
        <Text className="card__title">{t.title}</Text>
        <Text className={`tag tag--${tone}`}>{statusText(t)}</Text>
      </View>
      <Text className="cc-line">{`老人：${t.elderLabel} · ${t.compoundName}`}</Text>
      <Text className="cc-line">{`时间：${visitWhen(t.windowStart, t.windowEnd)}，约 ${t.durationMin} 分钟`}</Text>
      <Text className="cc-line">
        {`${VOLUNTEER_SKILL_LABELS[t.skill]} · ${TASK_URGENCY_LABELS[t.urgency]} · ${SOURCE_LABELS[t.source]}`}
      </Text>
      {t.volunteerName ? <Text className="cc-line">{`志愿者：${t.volunteerName}`}</Text> : null}
      {t.note ? <Text className="muted">{`备注：${t.note}`}</Text> : null}
      {t.minutes !== null ? <Text className="cc-line">{`志愿者记录时长：${t.minutes} 分钟`}</Text> : null}
      {t.disputeNote ? <Text className="cc-warn">{`家属/老人的异议：${t.disputeNote}`}</Text> : null}
      <Text className="muted">{`发起：${formatDisplayTime(t.createdAt)} · 截止接单：${formatDisplayTime(t.deadline)}`}</Text>

      <View className="cc-actions">
        {can.assign ? (
          <Btn
            variant={open === 'assign' ? 'ghost' : ''}
            onClick={() => setOpen(open === 'assign' ? null : 'assign')}
            testId={`staff-task-assign-open-${t.id}`}
          >
            派给志愿者
          </Btn>
        ) : null}
        {can.resolve ? (
          <Btn
            onClick={() => setOpen(open === 'resolve' ? null : 'resolve')}
            testId={`staff-task-resolve-open-${t.id}`}
          >
            裁定时长
          </Btn>
        ) : null}
        {can.cancel ? (
          <Btn
            variant="ghost"
            onClick={() => setOpen(open === 'cancel' ? null : 'cancel')}
            testId={`staff-task-cancel-open-${t.id}`}
          >
            取消任务
          </Btn>
        ) : null}
      </View>
      {open === 'assign' ? <AssignForm t={t} volunteers={volunteers} onDone={onDone} /> : null}
      {open === 'cancel' ? <CancelForm t={t} onDone={onDone} /> : null}
      {open === 'resolve' ? <ResolveForm t={t} onDone={onDone} /> : null}
    </View>
  );
}

/** Verified volunteers, those with the task's skill first; one tap picks, 派单 sends. */
function AssignForm({
  t,
  volunteers,
  onDone,
}: {
  t: HelpTask;
  volunteers: VolunteerProfile[];
  onDone: () => Promise<void>;
}) {
  const [picked, setPicked] = useState<string | null>(null);
  const action = useAction(taskError);
  const sorted = [...volunteers].sort(
    (a, b) =>
      Number(b.skills.includes(t.skill)) - Number(a.skills.includes(t.skill)) || a.weekMin - b.weekMin,
  );
  const chosen = volunteers.find((v) => v.userId === picked);

  const assign = async () => {
    if (!chosen) return;
    if (
      !(await confirm('派单', `把「${t.title}」派给 ${chosen.realName}？对方会收到通知。`, {
        confirmText: '派单',
      }))
    )
      return;
    const done = await action.run(() =>
      call('staffAssignTask', { params: { id: t.id }, body: { volunteerId: chosen.userId } }),
    );
    if (done) {
      void Taro.showToast({ title: '已派单', icon: 'success' });
      await onDone();
    }
  };

  return (
    <View className="cc-edit stack vs-edit" data-testid={`staff-task-assign-${t.id}`}>
      <Text className="muted">{`选择志愿者（擅长「${VOLUNTEER_SKILL_LABELS[t.skill]}」的排在前面）`}</Text>
      {sorted.length === 0 ? <Text className="muted">暂无已认证的志愿者</Text> : null}
      <ToggleButtons
        options={sorted.map((v) => ({
          value: v.userId,
          label: `${v.realName}${v.skills.includes(t.skill) ? '' : '（无此技能）'}${v.onDuty ? '' : '·休息中'}`,
        }))}
        selected={picked ? [picked] : []}
        onToggle={setPicked}
        testId={`staff-task-pick-${t.id}`}
      />
      {chosen ? (
        <Text className="cc-line">{`${chosen.realName} · ${chosen.compoundName} · 本周已 ${Math.round((chosen.weekMin / 60) * 10) / 10}/${Math.round(chosen.weeklyCapMin / 60)} 小时`}</Text>
      ) : null}
      <Btn
        disabled={!chosen || action.busy}
        onClick={() => void assign()}
        testId={`staff-task-assign-${t.id}-submit`}
      >
        {action.busy ? '派单中…' : chosen ? `派给 ${chosen.realName}` : '请先选择志愿者'}
      </Btn>
      {action.error ? <Text className="state__message">{action.error}</Text> : null}
    </View>
  );
}

function CancelForm({ t, onDone }: { t: HelpTask; onDone: () => Promise<void> }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const action = useAction(taskError);
  const cancel = async () => {
    if (!reason.trim()) {
      setError('请写明取消原因，老人和家属会看到');
      return;
    }
    setError(null);
    if (
      !(await confirm('取消任务', `确定取消「${t.title}」吗？`, {
        confirmText: '取消任务',
        cancelText: '再想想',
      }))
    )
      return;
    const done = await action.run(() =>
      call('staffCancelTask', { params: { id: t.id }, body: { reason: reason.trim() } }),
    );
    if (done) {
      void Taro.showToast({ title: '已取消', icon: 'none' });
      await onDone();
    }
  };
  return (
    <View className="cc-edit stack vs-edit" data-testid={`staff-task-cancel-${t.id}`}>
      <Field label="取消原因" error={error}>
        <TextInput
          value={reason}
          onChange={setReason}
          placeholder="如：家属已自行处理"
          maxLength={100}
          testId={`staff-task-cancel-reason-${t.id}`}
        />
      </Field>
      <Btn
        variant="danger"
        disabled={action.busy}
        onClick={() => void cancel()}
        testId={`staff-task-cancel-${t.id}-submit`}
      >
        {action.busy ? '提交中…' : '确认取消'}
      </Btn>
      {action.error ? <Text className="state__message">{action.error}</Text> : null}
    </View>
  );
}

/** The final word on disputed hours: the minutes to credit (0 for none) and why. */
function ResolveForm({ t, onDone }: { t: HelpTask; onDone: () => Promise<void> }) {
  const [minutes, setMinutes] = useState(String(t.minutes ?? 0));
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<{ minutes?: string; note?: string }>({});
  const action = useAction(taskError);
  const resolve = async () => {
    const m = parseMinutes(minutes);
    const next = {
      minutes: m.ok ? undefined : m.error,
      note: note.trim() ? undefined : '请写明裁定理由，双方都会看到',
    };
    setErrors(next);
    if (!m.ok || next.note) return;
    if (
      !(await confirm('裁定时长', `按 ${m.value} 分钟记入志愿者的时间银行？裁定后不能再改。`, {
        confirmText: '裁定',
      }))
    )
      return;
    const done = await action.run(() =>
      call('staffResolveDispute', { params: { id: t.id }, body: { minutes: m.value, note: note.trim() } }),
    );
    if (done) {
      void Taro.showToast({ title: '已裁定', icon: 'success' });
      await onDone();
    }
  };
  return (
    <View className="cc-edit stack vs-edit" data-testid={`staff-task-resolve-${t.id}`}>
      <Field label="认定时长（分钟）" error={errors.minutes}>
        <TextInput
          value={minutes}
          onChange={setMinutes}
          placeholder="如：45"
          maxLength={4}
          testId={`staff-task-minutes-${t.id}`}
        />
      </Field>
      <Field label="裁定理由" error={errors.note}>
        <TextInput
          value={note}
          onChange={setNote}
          placeholder="如：已电话核实，实际服务40分钟"
          maxLength={300}
          testId={`staff-task-note-${t.id}`}
        />
      </Field>
      <Btn disabled={action.busy} onClick={() => void resolve()} testId={`staff-task-resolve-${t.id}-submit`}>
        {action.busy ? '提交中…' : '确认裁定'}
      </Btn>
      {action.error ? <Text className="state__message">{action.error}</Text> : null}
    </View>
  );
}

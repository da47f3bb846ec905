import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { ACTIVITY_SIGNUP_STATUS_LABELS, addDays, type RouteResponse } from 'shared';
import { call } from '../api';
import { describeError } from '../api/errors';
import { localTime, localToday } from '../common/care-console';
import { confirm } from '../common/confirm';
import { Btn } from '../components/Btn';
import { Field } from '../components/Field';
import { AsyncContent, Page } from '../components/Page';
import { TextArea } from '../components/TextArea';
import { TextInput } from '../components/TextInput';
import { useAction } from '../hooks/use-action';
import { useApi } from '../hooks/use-api';
import { usePullRefresh } from '../hooks/use-pull-refresh';
import { DateField, TimeField } from './fields';
import {
  type ActivityErrors,
  type ActivityForm,
  activityBody,
  activityWhen,
  creditText,
} from './volunteer-model';
import '../common/care-console.scss';
import '../common/care-console-elder.scss';
import './volunteer-staff.scss';
import './volunteer-staff-elder.scss';

type Activity = RouteResponse<'staffActivities'>['items'][number];

const activityError = (err: unknown) =>
  describeError(err, {
    fields: {
      title: '请填写活动名称（40 字以内）',
      place: '请填写活动地点（60 字以内）',
      description: '介绍请在 1000 字以内',
      endsAt: '结束时间需晚于开始时间',
      startsAt: '开始时间不对',
      capacity: '名额请填 1 到 1000 的整数',
      creditMin: '计入时长需在 0 到 12 小时之间',
    },
  });

const emptyForm = (): ActivityForm => ({
  title: '',
  description: '',
  place: '',
  date: addDays(localToday(), 1),
  start: '09:00',
  end: '11:00',
  capacity: '20',
  creditHours: '2',
});

/** 志愿活动: create one (place, time, places, hours credited), see the check-in code and who signed up, cancel. */
export default function StaffActivitiesPage() {
  const list = useApi(() => call('staffActivities'), { refreshOnShow: true });
  const [creating, setCreating] = useState(false);
  usePullRefresh(list.reload);

  return (
    <Page name="staff-activities">
      {creating ? (
        <CreateForm
          onClose={() => setCreating(false)}
          onCreated={async () => {
            setCreating(false);
            await list.reload();
          }}
        />
      ) : (
        <View className="filter-bar">
          <Btn onClick={() => setCreating(true)} testId="staff-activity-new">
            发布志愿活动
          </Btn>
        </View>
      )}
      <AsyncContent state={list}>
        {list.data?.items.length === 0 ? (
          <View className="card">
            <Text className="muted">还没有志愿活动</Text>
          </View>
        ) : null}
        {list.data?.items.map((a) => (
          <ActivityCard key={a.id} a={a} onDone={list.reload} />
        ))}
      </AsyncContent>
    </Page>
  );
}

function CreateForm({ onClose, onCreated }: { onClose: () => void; onCreated: () => Promise<void> }) {
  const [form, setForm] = useState<ActivityForm>(emptyForm);
  const [errors, setErrors] = useState<ActivityErrors>({});
  const action = useAction(activityError);
  const today = localToday();
  const set = (patch: Partial<ActivityForm>) => setForm((f) => ({ ...f, ...patch }));

  const submit = () => {
    const built = activityBody(form);
    if (!built.ok) {
      setErrors(built.errors);
      return;
    }
    setErrors({});
    void action.run(async () => {
      await call('createActivity', { body: built.body });
      void Taro.showToast({ title: '已发布', icon: 'success' });
      await onCreated();
    });
  };

  return (
    <View className="card stack cc-card" data-testid="staff-activity-form">
      <Text className="card__title">发布志愿活动</Text>
      <Field label="活动名称" error={errors.title}>
        <TextInput
          value={form.title}
          onChange={(title) => set({ title })}
          placeholder="如：社区义诊志愿者"
          maxLength={40}
          testId="staff-activity-title"
        />
      </Field>
      <Field label="地点" error={errors.place}>
        <TextInput
          value={form.place}
          onChange={(place) => set({ place })}
          placeholder="如：社区活动中心一楼"
          maxLength={60}
          testId="staff-activity-place"
        />
      </Field>
      <Field label="日期">
        <DateField
          value={form.date}
          start={today}
          onChange={(date) => set({ date })}
          testId="staff-activity-date"
        >
          <Text>{form.date}</Text>
        </DateField>
      </Field>
      <Field label="时间" error={errors.start ?? errors.end}>
        <View className="vs-times">
          <TimeField value={form.start} onChange={(start) => set({ start })} testId="staff-activity-start" />
          <Text className="vs-times__to">至</Text>
          <TimeField value={form.end} onChange={(end) => set({ end })} testId="staff-activity-end" />
        </View>
      </Field>
      <Field label="名额" error={errors.capacity}>
        <TextInput
          value={form.capacity}
          onChange={(capacity) => set({ capacity })}
          placeholder="如：20"
          maxLength={4}
          testId="staff-activity-capacity"
        />
      </Field>
      <Field label="签到后计入时间银行（小时）" error={errors.creditHours}>
        <TextInput
          value={form.creditHours}
          onChange={(creditHours) => set({ creditHours })}
          placeholder="如：2 或 1.5；0 为不计"
          maxLength={5}
          testId="staff-activity-credit"
        />
      </Field>
      <Field label="活动介绍（选填）" error={errors.description}>
        <TextArea
          value={form.description}
          onChange={(description) => set({ description })}
          placeholder="要做什么、注意事项"
          maxLength={1000}
          testId="staff-activity-description"
        />
      </Field>
      {action.error ? <Text className="state__message">{action.error}</Text> : null}
      <View className="cc-actions">
        <Btn disabled={action.busy} onClick={submit} testId="staff-activity-submit">
          {action.busy ? '发布中…' : '发布'}
        </Btn>
        <Btn variant="ghost" onClick={onClose} testId="staff-activity-close">
          不发了
        </Btn>
      </View>
    </View>
  );
}

function ActivityCard({ a, onDone }: { a: Activity; onDone: () => Promise<void> }) {
  const [showRoster, setShowRoster] = useState(false);
  const action = useAction(activityError);
  const over = Date.parse(a.endsAt) < Date.now();

  const cancel = async () => {
    if (
      !(await confirm('取消活动', `取消「${a.title}」？已报名的 ${a.signedUp} 位志愿者会收到通知。`, {
        confirmText: '取消活动',
        cancelText: '再想想',
      }))
    )
      return;
    const done = await action.run(() => call('cancelActivity', { params: { id: a.id }, body: {} }));
    if (done) {
      void Taro.showToast({ title: '已取消', icon: 'none' });
      await onDone();
    }
  };

  return (
    <View className="card stack cc-card" data-testid={`staff-activity-${a.id}`}>
      <View className="cc-head">
        <Text className="card__title">{a.title}</Text>
        <Text className={`tag tag--${a.cancelled ? 'muted' : over ? 'done' : 'active'}`}>
          {a.cancelled ? '已取消' : over ? '已结束' : '报名中'}
        </Text>
      </View>
      <Text className="cc-line">{activityWhen(a.startsAt, a.endsAt)}</Text>
      <Text className="cc-line">{`地点：${a.place}`}</Text>
      <Text className="cc-line">{`报名 ${a.signedUp}/${a.capacity}${a.waitlisted ? ` · 候补 ${a.waitlisted}` : ''} · ${creditText(a.creditMin)}`}</Text>
      {a.organiserName ? <Text className="muted">{`组织者：${a.organiserName}`}</Text> : null}
      {a.description ? <Text className="muted">{a.description}</Text> : null}
      {a.checkinCode && !a.cancelled ? (
        <View data-testid={`staff-activity-code-${a.id}`}>
          <Text className="muted">现场签到码（请向志愿者出示）</Text>
          <Text className="vs-code">{a.checkinCode}</Text>
        </View>
      ) : null}
      <View className="cc-actions">
        <Btn
          variant="ghost"
          onClick={() => setShowRoster(!showRoster)}
          testId={`staff-activity-roster-open-${a.id}`}
        >
          {showRoster ? '收起名单' : '报名名单'}
        </Btn>
        {!a.cancelled && !over ? (
          <Btn
            variant="danger"
            disabled={action.busy}
            onClick={() => void cancel()}
            testId={`staff-activity-cancel-${a.id}`}
          >
            {action.busy ? '提交中…' : '取消活动'}
          </Btn>
        ) : null}
      </View>
      {showRoster ? <Roster id={a.id} /> : null}
      {action.error ? <Text className="state__message">{action.error}</Text> : null}
    </View>
  );
}

function Roster({ id }: { id: string }) {
  const roster = useApi(() => call('activityRoster', { params: { id } }), { key: id });
  return (
    <View className="cc-edit" data-testid={`staff-activity-roster-${id}`}>
      <AsyncContent state={roster}>
        {roster.data?.items.length === 0 ? <Text className="muted">还没有人报名</Text> : null}
        {roster.data?.items.map((r) => (
          <View key={r.volunteerId} className="cc-table-row">
            <Text className="cc-line cc-table-row__main">
              {`${r.name}${r.waitlistPosition !== null ? `（候补第 ${r.waitlistPosition} 位）` : ''}`}
            </Text>
            <Text className="muted">
              {`${ACTIVITY_SIGNUP_STATUS_LABELS[r.status]}${r.checkedInAt ? ` ${localTime(r.checkedInAt)}` : ''}${r.checkedOutAt ? `-${localTime(r.checkedOutAt)}` : ''}`}
            </Text>
          </View>
        ))}
      </AsyncContent>
    </View>
  );
}

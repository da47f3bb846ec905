import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { ACTIVITY_SIGNUP_STATUS_LABELS, addDays, type CommunityActivity } from 'shared';
import { call } from '../api';
import { describeError } from '../api/errors';
import { localToday, periodText } from '../common/care-console';
import { confirm } from '../common/confirm';
import { Btn } from '../components/Btn';
import { Field } from '../components/Field';
import { AsyncContent, Page } from '../components/Page';
import { TextArea } from '../components/TextArea';
import { TextInput } from '../components/TextInput';
import { TimeField } from '../components/TimeField';
import { ToggleButtons } from '../components/ToggleButtons';
import { useAction } from '../hooks/use-action';
import { useApi } from '../hooks/use-api';
import { usePullRefresh } from '../hooks/use-pull-refresh';
import { DateTimeField } from './activities-fields';
import { type ActivityErrors, type ActivityForm, activityDraft, rosterOrder } from './activities-form';
import '../common/care-console.scss';
import '../common/care-console-elder.scss';
import './community.scss';
import './community-elder.scss';

const activityError = (err: unknown) =>
  describeError(err, {
    fields: {
      title: '活动名称请在 40 字以内',
      place: '地点请在 60 字以内',
      description: '介绍请在 1000 字以内',
      endsAt: '结束时间需晚于开始时间',
      startsAt: '开始时间不对',
      capacity: '名额请填 1 到 5000 的整数',
      groupId: '请重新选择兴趣小组',
    },
  });

const emptyForm = (): ActivityForm => ({
  title: '',
  description: '',
  place: '',
  date: addDays(localToday(), 3),
  start: '09:00',
  end: '11:00',
  capacity: '30',
  groupId: '',
});

/** 社区活动 for staff: publish (places, time, host group), the check-in code, the roster with the waitlist, cancel. */
export default function OfficeActivitiesPage() {
  const list = useApi(() => call('staffCommunityActivities'), { refreshOnShow: true });
  const [creating, setCreating] = useState(false);
  usePullRefresh(list.reload);

  return (
    <Page name="officeActivities">
      {creating ? (
        <CreateActivity
          onClose={() => setCreating(false)}
          onCreated={async () => {
            setCreating(false);
            await list.reload();
          }}
        />
      ) : (
        <View className="filter-bar">
          <Btn onClick={() => setCreating(true)} testId="office-activity-new">
            发布社区活动
          </Btn>
        </View>
      )}
      <AsyncContent state={list}>
        {list.data?.items.length === 0 ? (
          <View className="card">
            <Text className="muted">还没有社区活动</Text>
          </View>
        ) : null}
        {list.data?.items.map((a) => (
          <ActivityCard key={a.id} a={a} onChanged={list.reload} />
        ))}
      </AsyncContent>
    </Page>
  );
}

function CreateActivity({ onClose, onCreated }: { onClose: () => void; onCreated: () => Promise<void> }) {
  const [form, setForm] = useState<ActivityForm>(emptyForm);
  const [errors, setErrors] = useState<ActivityErrors>({});
  const groups = useApi(() => call('staffGroups'));
  const action = useAction(activityError);
  const set = (patch: Partial<ActivityForm>) => setForm((f) => ({ ...f, ...patch }));
  const groupOptions = [
    { value: '', label: '全社区' },
    ...(groups.data?.items ?? []).filter((g) => !g.archived).map((g) => ({ value: g.id, label: g.name })),
  ];

  const submit = () => {
    const built = activityDraft(form);
    if (!built.ok) {
      setErrors(built.errors);
      return;
    }
    setErrors({});
    void action.run(async () => {
      await call('createCommunityActivity', { body: built.draft });
      void Taro.showToast({ title: '已发布', icon: 'success' });
      await onCreated();
    });
  };

  return (
    <View className="card stack cc-card" data-testid="office-activity-form">
      <Text className="card__title">发布社区活动</Text>
      <Field label="活动名称" error={errors.title}>
        <TextInput
          value={form.title}
          onChange={(title) => set({ title })}
          placeholder="如：冬至包饺子"
          maxLength={40}
          testId="office-activity-title"
        />
      </Field>
      <Field label="地点" error={errors.place}>
        <TextInput
          value={form.place}
          onChange={(place) => set({ place })}
          placeholder="如：社区活动中心二楼"
          maxLength={60}
          testId="office-activity-place"
        />
      </Field>
      <Field label="日期和开始时间">
        <DateTimeField
          date={form.date}
          time={form.start}
          onChange={({ date, time }) => set({ date, start: time })}
          label="开始"
          testId="office-activity-start"
        />
      </Field>
      <Field label="结束时间（当天）" error={errors.time}>
        <TimeField
          value={form.end}
          onChange={(end) => set({ end })}
          label="结束时间"
          testId="office-activity-end"
        />
      </Field>
      <Field label="名额（报满后可以候补）" error={errors.capacity}>
        <TextInput
          value={form.capacity}
          onChange={(capacity) => set({ capacity })}
          placeholder="如：30"
          maxLength={4}
          testId="office-activity-capacity"
        />
      </Field>
      {groupOptions.length > 1 ? (
        <Field label="主办的兴趣小组">
          <ToggleButtons
            options={groupOptions}
            selected={[form.groupId]}
            onToggle={(groupId) => set({ groupId })}
            testId="office-activity-group"
          />
        </Field>
      ) : null}
      <Field label="活动介绍（选填）" error={errors.description}>
        <TextArea
          value={form.description}
          onChange={(description) => set({ description })}
          placeholder="内容、要带的东西、注意事项"
          maxLength={1000}
          testId="office-activity-description"
        />
      </Field>
      {action.error ? <Text className="state__message">{action.error}</Text> : null}
      <View className="cc-actions">
        <Btn disabled={action.busy} onClick={submit} testId="office-activity-submit">
          {action.busy ? '发布中…' : '发布'}
        </Btn>
        <Btn variant="ghost" onClick={onClose} testId="office-activity-close">
          取消
        </Btn>
      </View>
    </View>
  );
}

function ActivityCard({ a, onChanged }: { a: CommunityActivity; onChanged: () => Promise<void> }) {
  const [showRoster, setShowRoster] = useState(false);
  const action = useAction(activityError);
  const over = Date.parse(a.endsAt) <= Date.now();

  const cancel = async () => {
    const ok = await confirm(
      '取消活动',
      `取消「${a.title}」？已报名的 ${a.signedUp} 人和候补的 ${a.waitlisted} 人都会收到通知。`,
      { confirmText: '取消活动', cancelText: '不取消' },
    );
    if (!ok) return;
    await action.run(async () => {
      await call('cancelCommunityActivity', { params: { id: a.id }, body: {} });
      await onChanged();
    });
  };

  return (
    <View className="card stack cc-card" data-testid={`office-activity-${a.id}`}>
      <View className="cc-head">
        <Text className="card__title">{a.title}</Text>
        {a.cancelled ? (
          <Text className="tag tag--muted">已取消</Text>
        ) : over ? (
          <Text className="tag tag--muted">已结束</Text>
        ) : null}
      </View>
      <Text className="cc-line cc-strong">{periodText(a.startsAt, a.endsAt)}</Text>
      <Text className="cc-line">{`地点：${a.place}${a.groupName ? ` · ${a.groupName}` : ''}`}</Text>
      <Text className="cc-line" data-testid="office-activity-counts">
        {`已报名 ${a.signedUp} / ${a.capacity} 人${a.waitlisted ? ` · 候补 ${a.waitlisted} 人` : ''}`}
      </Text>
      {a.checkinCode && !a.cancelled ? (
        <View className="stack">
          <Text className="muted">现场签到码（活动开始前 30 分钟起可用，请在现场公布）</Text>
          <Text className="of-code" data-testid="office-activity-code">
            {a.checkinCode}
          </Text>
        </View>
      ) : null}
      {action.error ? <Text className="state__message">{action.error}</Text> : null}
      <View className="cc-actions">
        <Btn
          variant="ghost small"
          onClick={() => setShowRoster((v) => !v)}
          testId="office-activity-roster-toggle"
        >
          {showRoster ? '收起名单' : '报名名单'}
        </Btn>
        {a.cancelled || over ? null : (
          <Btn
            variant="danger small"
            disabled={action.busy}
            onClick={() => void cancel()}
            testId="office-activity-cancel"
          >
            {action.busy ? '提交中…' : '取消活动'}
          </Btn>
        )}
      </View>
      {showRoster ? <Roster id={a.id} /> : null}
    </View>
  );
}

function Roster({ id }: { id: string }) {
  const roster = useApi(() => call('communityActivityRoster', { params: { id } }), { key: id });
  const rows = rosterOrder((roster.data?.items ?? []).filter((r) => r.status !== 'cancelled'));
  return (
    <View className="stack of-unread" data-testid="office-activity-roster">
      <AsyncContent state={roster}>
        {rows.length === 0 ? <Text className="muted">还没有人报名</Text> : null}
        {rows.map((r) => (
          <View key={r.userId} className="of-roster-row">
            <Text>{`${r.name}${r.phoneMasked ? ` ${r.phoneMasked}` : ''}`}</Text>
            <Text>
              {r.status === 'waitlisted' && r.waitlistPosition
                ? `候补第 ${r.waitlistPosition} 位`
                : ACTIVITY_SIGNUP_STATUS_LABELS[r.status]}
            </Text>
          </View>
        ))}
      </AsyncContent>
    </View>
  );
}

import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { type DeliveryWindow, localClock } from 'shared';
import { call } from '../api';
import { confirm } from '../common/confirm';
import { Btn } from '../components/Btn';
import { Page } from '../components/Page';
import { useAction } from '../hooks/use-action';
import { useApi } from '../hooks/use-api';
import { usePullRefresh } from '../hooks/use-pull-refresh';
import { WINDOW_STATUS_LABELS, windowText } from '../lockers/labels';
import { staffErrorText } from './errors';
import { Chips, DateList, Field, TimeField } from './fields';
import { parseScheduleDraft, type ScheduleDraft, scheduleText, WEEKDAY_NAMES } from './schedule-form';
import '../market/market.scss';
import '../market/market-elder.scss';
import '../lockers/lockers.scss';
import '../lockers/lockers-elder.scss';
import { tappable } from '../components/a11y';

/**
 * 配送时段: the weekly schedules (cut-off and delivery times, weekdays, holidays), the concrete
 * windows coming up with 立即截单, and a form to add a schedule.
 */
export default function StaffWindowsPage() {
  const state = useApi(
    async () => {
      const [windows, communities] = await Promise.all([call('staffDeliveryWindows'), call('communities')]);
      return { ...windows, communities: communities.items };
    },
    { refreshOnShow: true },
  );
  const action = useAction(staffErrorText);
  usePullRefresh(state.reload);
  const names = new Map((state.data?.communities ?? []).map((c) => [c.id, c.name]));
  const many = new Set((state.data?.schedules ?? []).map((s) => s.communityId)).size > 1;

  const close = async (w: DeliveryWindow) => {
    if (
      !(await confirm(
        '立即截单',
        `「${windowText(w)}」立即截单后不再接单，并马上为已接单的订单分配生鲜柜格口、生成配送批次。确定截单吗？`,
        { confirmText: '截单' },
      ))
    )
      return;
    const done = await action.run(
      () => call('closeDeliveryWindow', { params: { id: w.id }, body: {} }),
      `close-${w.id}`,
    );
    if (done) {
      void Taro.showToast({ title: '已截单，批次已生成', icon: 'none' });
      await state.reload();
    }
  };

  return (
    <Page name="staff-windows" state={state}>
      {state.data ? (
        <>
          <View className="card stack" data-testid="schedules">
            <Text className="card__title">每周配送时段</Text>
            {state.data.schedules.length === 0 ? (
              <Text className="muted">还没有配送时段，可在下方新增。</Text>
            ) : null}
            {state.data.schedules.map((s) => (
              <View key={s.id} className="pick-order stack" data-testid={`schedule-${s.id}`}>
                <View className="row">
                  <Text className="line__name merchant-card__name">{scheduleText(s)}</Text>
                  <Text className={`tag ${s.active ? 'tag--approved' : 'tag--closed'}`}>
                    {s.active ? '启用中' : '已停用'}
                  </Text>
                </View>
                {many ? <Text className="muted">{names.get(s.communityId) ?? ''}</Text> : null}
                {s.closedDates.length ? (
                  <Text className="muted">{`休息日期：${s.closedDates.join('、')}`}</Text>
                ) : null}
              </View>
            ))}
          </View>

          <View className="card stack" data-testid="windows">
            <Text className="card__title">近期时段</Text>
            {state.data.windows.length === 0 ? <Text className="muted">近期没有配送时段</Text> : null}
            {action.error ? (
              <Text className="error-text" data-testid="windows-error">
                {action.error}
              </Text>
            ) : null}
            {state.data.windows.map((w) => (
              <View key={w.id} className="pick-order stack" data-testid={`window-${w.id}`}>
                <View className="row">
                  <Text className="merchant-card__name">{windowText(w)}</Text>
                  <Text className={`tag ${w.status === 'open' ? 'tag--active' : 'tag--closed'}`}>
                    {WINDOW_STATUS_LABELS[w.status]}
                  </Text>
                </View>
                {many ? <Text className="muted">{names.get(w.communityId) ?? ''}</Text> : null}
                {w.status === 'open' ? (
                  <View className="l-actions">
                    <Btn
                      variant="ghost small"
                      disabled={action.busy}
                      onClick={() => void close(w)}
                      testId="window-close"
                    >
                      {action.runningKey === `close-${w.id}` ? '截单中…' : '立即截单'}
                    </Btn>
                  </View>
                ) : null}
              </View>
            ))}
          </View>

          <ScheduleForm communities={state.data.communities} onCreated={state.reload} />
        </>
      ) : null}
    </Page>
  );
}

const WEEKDAY_OPTIONS = [1, 2, 3, 4, 5, 6, 7].map((d) => ({ value: d, label: WEEKDAY_NAMES[d]! }));
const emptyDraft = (communityId: string | null): ScheduleDraft => ({
  communityId,
  cutoffLocal: '14:00',
  deliveryLocal: '17:30',
  nextDay: false,
  weekdays: [1, 2, 3, 4, 5, 6, 7],
  closedDates: [],
});

/** 新增配送时段: cut-off and delivery (same or next day), weekdays, holidays. */
function ScheduleForm({
  communities,
  onCreated,
}: {
  communities: { id: string; name: string }[];
  onCreated: () => Promise<void>;
}) {
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<ScheduleDraft>(() => emptyDraft(communities[0]?.id ?? null));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const action = useAction(staffErrorText);
  const today = localClock(new Date()).date;
  const patch = (p: Partial<ScheduleDraft>) => setDraft((d) => ({ ...d, ...p }));

  if (!open)
    return (
      <View className="card">
        <Btn variant="ghost" onClick={() => setOpen(true)} testId="schedule-add-open">
          新增配送时段
        </Btn>
      </View>
    );

  const submit = async () => {
    const parsed = parseScheduleDraft(draft);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      return;
    }
    setErrors({});
    const done = await action.run(() => call('createDeliverySchedule', { body: parsed.value }));
    if (done) {
      void Taro.showToast({ title: '已新增配送时段', icon: 'success' });
      setOpen(false);
      setDraft(emptyDraft(communities[0]?.id ?? null));
      await onCreated();
    }
  };

  return (
    <View className="card stack" data-testid="schedule-form">
      <Text className="card__title">新增配送时段</Text>
      {communities.length > 1 ? (
        <Field label="社区" error={errors.communityId}>
          <View className="choice-list">
            {communities.map((c) => (
              <View
                {...tappable({ pressed: c.id === draft.communityId })}
                key={c.id}
                className={`choice${c.id === draft.communityId ? ' choice--selected' : ''}`}
                onClick={() => patch({ communityId: c.id })}
              >
                {c.name}
              </View>
            ))}
          </View>
        </Field>
      ) : null}
      <Field label="截单时间" error={errors.cutoffLocal}>
        <TimeField
          value={draft.cutoffLocal}
          onChange={(cutoffLocal) => patch({ cutoffLocal })}
          testId="schedule-cutoff"
        />
      </Field>
      <Field label="送达时间" error={errors.deliveryLocal}>
        <Chips
          options={[
            { value: 'same', label: '当天送达' },
            { value: 'next', label: '次日送达' },
          ]}
          selected={[draft.nextDay ? 'next' : 'same']}
          onToggle={(v) => patch({ nextDay: v === 'next' })}
          testId="schedule-day"
        />
        <TimeField
          value={draft.deliveryLocal}
          onChange={(deliveryLocal) => patch({ deliveryLocal })}
          testId="schedule-delivery"
        />
      </Field>
      <Field label="每周哪几天" error={errors.weekdays}>
        <Chips
          options={WEEKDAY_OPTIONS}
          selected={draft.weekdays}
          onToggle={(d) =>
            patch({
              weekdays: draft.weekdays.includes(d)
                ? draft.weekdays.filter((x) => x !== d)
                : [...draft.weekdays, d],
            })
          }
          testId="schedule-weekdays"
        />
      </Field>
      <Field label="休息日期（节假日不配送）">
        <DateList
          dates={draft.closedDates}
          today={today}
          onChange={(closedDates) => patch({ closedDates })}
          addText="＋ 添加休息日期"
          testId="schedule-holidays"
        />
      </Field>
      <Text className="muted">
        {`预览：${scheduleText({ ...draft, deliveryDayOffset: draft.nextDay ? 1 : 0 })}`}
      </Text>
      {action.error ? <Text className="error-text">{`提交失败：${action.error}`}</Text> : null}
      <View className="l-actions l-actions--fill">
        <Btn disabled={action.busy} onClick={() => void submit()} testId="schedule-submit">
          {action.busy ? '提交中…' : '新增'}
        </Btn>
        <Btn variant="ghost" onClick={() => setOpen(false)}>
          取消
        </Btn>
      </View>
    </View>
  );
}

import { Text, Textarea, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { formatYuan, MEAL_KIND_LABELS, MEAL_MODE_LABELS, type MealKind, type RouteResponse } from 'shared';
import { call } from '../api';
import { confirm } from '../common/confirm';
import { Btn } from '../components/Btn';
import { Page } from '../components/Page';
import { useAction } from '../hooks/use-action';
import { useApi } from '../hooks/use-api';
import { usePullRefresh } from '../hooks/use-pull-refresh';
import { instantText } from './booking-model';
import { describeCareError } from './errors';
import { WEEKDAY_LABELS, weekdaysText } from './labels';
import { mealsText, skipTomorrowState, tomorrowToSkip } from './meals-model';
import { dayLabel } from './slots-model';
import { ChipBtn, Empty, todayLocal } from './ui';
import './care.scss';
import './care-elder.scss';

type MealView = RouteResponse<'mealPlan'>;
type Mode = 'dine_in' | 'delivery';

/** 助餐: subscribe to the canteen's lunches and dinners, skip days, and one tap for 明天不用餐. */
export default function CareMealsPage() {
  const state = useApi(() => call('mealPlan'), { refreshOnShow: true });
  const [view, setView] = useState<MealView | undefined>(undefined);
  const [today] = useState(todayLocal);
  const [editing, setEditing] = useState(false);
  const action = useAction(describeCareError);
  usePullRefresh(state.reload);
  useEffect(() => setView(state.data), [state.data]);

  const v = view ?? state.data;
  const plan = v?.plan?.active ? v.plan : null;
  const upcoming = plan?.upcoming ?? [];
  const skipState = skipTomorrowState(upcoming, today);

  const skipTomorrow = () =>
    action.run(async () => {
      let last: MealView | undefined;
      for (const m of tomorrowToSkip(upcoming, today)) {
        last = await call('skipMeal', { body: { date: m.date, meal: m.meal } });
      }
      if (last) setView(last);
      void Taro.showToast({ title: '已设为明天不用餐', icon: 'none' });
    }, 'tomorrow');

  const toggle = (m: (typeof upcoming)[number]) =>
    action.run(async () => {
      const body = { date: m.date, meal: m.meal };
      setView(await call(m.skipped ? 'unskipMeal' : 'skipMeal', { body }));
    }, `${m.date}-${m.meal}`);

  const stop = async () => {
    if (
      !(await confirm('停止订餐', '停止后将不再为长者供餐，确定停止吗？', {
        confirmText: '停止订餐',
        cancelText: '再想想',
      }))
    )
      return;
    await action.run(async () => setView(await call('stopMealPlan')), 'stop');
  };

  return (
    <Page name="care-meals" state={state}>
      {v ? (
        <>
          {plan && !editing ? (
            <>
              <Btn
                variant={skipState.enabled ? '' : 'ghost'}
                disabled={!skipState.enabled || action.busy}
                onClick={() => void skipTomorrow()}
                testId="care-skip-tomorrow"
              >
                {action.runningKey === 'tomorrow' ? '正在提交…' : skipState.text}
              </Btn>
              <View className="card stack care-card" data-testid="care-meal-plan">
                <Text className="card__title">当前订餐</Text>
                <Text className="care-line">{plan.providerName}</Text>
                <Text className="care-line">{`${mealsText(plan.meals)} · ${MEAL_MODE_LABELS[plan.mode]}`}</Text>
                <Text className="muted">{`${weekdaysText(plan.weekdays)}，每餐 ${formatYuan(plan.priceFen)}，可使用服务券`}</Text>
                {plan.dietaryNotes ? <Text className="muted">{`饮食要求：${plan.dietaryNotes}`}</Text> : null}
                <View className="care-actions">
                  <Btn variant="ghost" onClick={() => setEditing(true)} testId="care-meal-edit">
                    修改订餐
                  </Btn>
                  <Btn
                    variant="danger"
                    disabled={action.busy}
                    onClick={() => void stop()}
                    testId="care-meal-stop"
                  >
                    停止订餐
                  </Btn>
                </View>
              </View>
            </>
          ) : null}

          {action.error ? (
            <Text className="care-error" data-testid="care-meal-error">
              {action.error}
            </Text>
          ) : null}

          {!plan || editing ? (
            <PlanForm
              view={v}
              onSaved={(next) => {
                setView(next);
                setEditing(false);
              }}
              onClose={plan ? () => setEditing(false) : undefined}
            />
          ) : null}

          {plan && !editing ? (
            <View className="card" data-testid="care-meal-upcoming">
              <Text className="card__title">接下来的餐</Text>
              {upcoming.length === 0 ? <Empty text="近期没有排餐" /> : null}
              {upcoming.map((m) => (
                <View
                  key={`${m.date}-${m.meal}`}
                  className="care-list-item care-row"
                  data-testid="care-meal-day"
                >
                  <View className="care-row__main">
                    <Text className="care-line">{`${dayLabel(m.date, today)} ${MEAL_KIND_LABELS[m.meal]}`}</Text>
                    <Text className="muted">
                      {m.skipped
                        ? '不用餐'
                        : m.open
                          ? `可在${instantText(m.cutoffAt, today)}前取消`
                          : '已截单'}
                    </Text>
                  </View>
                  {m.open ? (
                    <Btn
                      variant="ghost small"
                      disabled={action.busy}
                      onClick={() => void toggle(m)}
                      testId={`care-meal-${m.skipped ? 'unskip' : 'skip'}-${m.date}-${m.meal}`}
                    >
                      {m.skipped ? '恢复用餐' : '这餐不用'}
                    </Btn>
                  ) : null}
                </View>
              ))}
            </View>
          ) : null}
        </>
      ) : null}
    </Page>
  );
}

function PlanForm({
  view,
  onSaved,
  onClose,
}: {
  view: MealView;
  onSaved: (v: MealView) => void;
  onClose?: () => void;
}) {
  const plan = view.plan?.active ? view.plan : null;
  const [providerId, setProviderId] = useState(plan?.providerId ?? view.providers[0]?.id ?? '');
  const [meals, setMeals] = useState<MealKind[]>(plan?.meals ?? ['lunch']);
  const [mode, setMode] = useState<Mode>(plan?.mode ?? 'delivery');
  const [weekdays, setWeekdays] = useState<number[]>(plan?.weekdays ?? [1, 2, 3, 4, 5]);
  const [notes, setNotes] = useState(plan?.dietaryNotes ?? '');
  const action = useAction(describeCareError);
  const provider = view.providers.find((p) => p.id === providerId);

  const toggleIn = <T,>(list: T[], value: T) =>
    list.includes(value) ? list.filter((x) => x !== value) : [...list, value];
  const problem = !providerId
    ? '请选择食堂'
    : meals.length === 0
      ? '请至少选择午餐或晚餐'
      : weekdays.length === 0
        ? '请至少选择一天'
        : null;

  const save = () =>
    action.run(async () => {
      onSaved(
        await call('saveMealPlan', {
          body: {
            providerId,
            meals,
            mode,
            weekdays: [...weekdays].sort((a, b) => a - b),
            dietaryNotes: notes.trim(),
          },
        }),
      );
      void Taro.showToast({ title: '订餐已保存', icon: 'success' });
    });

  if (view.providers.length === 0)
    return (
      <View className="card">
        <Empty text="本社区暂无长者食堂提供助餐" />
      </View>
    );

  return (
    <View className="card stack care-card" data-testid="care-meal-form">
      <Text className="card__title">{plan ? '修改订餐' : '订餐'}</Text>
      <Text className="muted">食堂</Text>
      <View className="care-chips">
        {view.providers.map((p) => (
          <ChipBtn
            key={p.id}
            selected={p.id === providerId}
            onClick={() => setProviderId(p.id)}
            testId="care-meal-provider"
          >
            {p.name}
          </ChipBtn>
        ))}
      </View>
      {provider ? (
        <Text className="muted">{`每餐 ${formatYuan(provider.mealPriceFen)}，可使用服务券`}</Text>
      ) : null}
      <Text className="muted">用餐</Text>
      <View className="care-chips">
        {(['lunch', 'dinner'] as const).map((m) => (
          <ChipBtn
            key={m}
            selected={meals.includes(m)}
            onClick={() => setMeals(toggleIn(meals, m))}
            testId={`care-meal-kind-${m}`}
          >
            {MEAL_KIND_LABELS[m]}
          </ChipBtn>
        ))}
      </View>
      <Text className="muted">方式</Text>
      <View className="care-chips">
        {(['dine_in', 'delivery'] as const).map((m) => (
          <ChipBtn key={m} selected={mode === m} onClick={() => setMode(m)} testId={`care-meal-mode-${m}`}>
            {MEAL_MODE_LABELS[m]}
          </ChipBtn>
        ))}
      </View>
      <Text className="muted">哪几天</Text>
      <View className="care-chips">
        {WEEKDAY_LABELS.map((label, i) => (
          <ChipBtn
            key={label}
            selected={weekdays.includes(i + 1)}
            onClick={() => setWeekdays(toggleIn(weekdays, i + 1))}
            testId={`care-meal-weekday-${i + 1}`}
          >
            {label}
          </ChipBtn>
        ))}
      </View>
      <Text className="muted">饮食要求（选填）</Text>
      <Textarea
        className="care-textarea"
        value={notes}
        maxlength={200}
        placeholder="如：少盐、软烂、不吃辣"
        onInput={(e) => setNotes(e.detail.value)}
        data-testid="care-meal-notes"
      />
      {problem ? <Text className="muted">{problem}</Text> : null}
      {action.error ? <Text className="care-error">{`保存未成功：${action.error}`}</Text> : null}
      <View className="care-actions">
        <Btn disabled={!!problem || action.busy} onClick={() => void save()} testId="care-meal-save">
          {action.busy ? '正在保存…' : '保存订餐'}
        </Btn>
        {onClose ? (
          <Btn variant="ghost" onClick={onClose}>
            不改了
          </Btn>
        ) : null}
      </View>
    </View>
  );
}

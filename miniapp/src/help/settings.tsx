import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import type { RouteResponse } from 'shared';
import { call } from '../api';
import { Btn } from '../components/Btn';
import { AsyncContent, Page } from '../components/Page';
import { useAction } from '../hooks/use-action';
import { useApi } from '../hooks/use-api';
import { clockMinutes, clockText, minutesText, type PlanLike, planText, WEEKDAY_NAMES } from './help-model';
import { ChipRow, describeHelpError, TimePick } from './ui';
import './help.scss';
import './help-elder.scss';

const DEFAULT_PLAN: PlanLike = {
  mode: 'daily_tap',
  dueMin: 600,
  graceMin: 60,
  visitWeekday: 3,
  active: true,
};
const GRACE = [30, 60, 120, 180] as const;
const AFTER_HOURS = [2, 4, 8, 12, 24] as const;
/** Monday first, as a week is read here. */
const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0] as const;

/** 报平安 (the daily tap or a weekly visit) and the produce run's consent; the elder or their family sets them. */
export default function HelpSettingsPage() {
  const checkin = useApi(() => call('checkinToday'));
  const consent = useApi(() => call('errandConsent'));
  return (
    <Page name="help-settings">
      <View className="card stack hp-card" data-testid="help-plan">
        <Text className="card__title">报平安</Text>
        <AsyncContent state={checkin}>{checkin.data ? <PlanForm today={checkin.data} /> : null}</AsyncContent>
      </View>
      <View className="card stack hp-card" data-testid="help-errand">
        <Text className="card__title">生鲜柜订单代取</Text>
        <AsyncContent state={consent}>
          {consent.data ? <ConsentForm consent={consent.data} /> : null}
        </AsyncContent>
      </View>
    </Page>
  );
}

function PlanForm({ today }: { today: RouteResponse<'checkinToday'> }) {
  const [saved, setSaved] = useState<PlanLike | null>(today.plan);
  const [plan, setPlan] = useState<PlanLike>(today.plan ?? DEFAULT_PLAN);
  useEffect(() => {
    setSaved(today.plan);
    setPlan(today.plan ?? DEFAULT_PLAN);
  }, [today]);
  const action = useAction(describeHelpError);
  const set = (patch: Partial<PlanLike>) => setPlan((p) => ({ ...p, ...patch }));
  const changed = JSON.stringify(saved) !== JSON.stringify(plan);

  const save = () =>
    action.run(async () => {
      const next = await call('saveCheckinPlan', {
        body: {
          mode: plan.mode,
          dueMin: plan.dueMin,
          graceMin: plan.graceMin,
          visitWeekday: plan.visitWeekday,
          active: plan.active,
        },
      });
      setSaved(next.plan);
      if (next.plan) setPlan(next.plan);
      void Taro.showToast({ title: '已保存', icon: 'success' });
    });

  return (
    <>
      <Text className="hp-line" data-testid="help-plan-now">
        {saved ? `现在：${planText(saved)}` : '还没有设置报平安'}
      </Text>
      <ChipRow
        options={[
          { value: 'on', label: '开启' },
          { value: 'off', label: '关闭' },
        ]}
        value={plan.active ? 'on' : 'off'}
        onChange={(v) => set({ active: v === 'on' })}
        testId="help-plan-active"
      />
      {plan.active ? (
        <>
          <Text className="muted">方式</Text>
          <ChipRow
            options={[
              { value: 'daily_tap', label: '每日报平安' },
              { value: 'weekly_visit', label: '每周志愿者探访' },
            ]}
            value={plan.mode}
            onChange={(mode) => set({ mode })}
            testId="help-plan-mode"
          />
          {plan.mode === 'daily_tap' ? (
            <>
              <Text className="muted">每天几点前报平安</Text>
              <TimePick
                value={clockText(plan.dueMin)}
                onChange={(v) => set({ dueMin: clockMinutes(v) })}
                testId="help-plan-due"
              />
              <Text className="muted">过了时间多久没报，就提醒家属</Text>
              <ChipRow
                options={[...new Set([...GRACE, plan.graceMin])]
                  .sort((a, b) => a - b)
                  .map((g) => ({ value: g, label: minutesText(g) }))}
                value={plan.graceMin}
                onChange={(graceMin) => set({ graceMin })}
                testId="help-plan-grace"
              />
            </>
          ) : (
            <>
              <Text className="muted">每周哪天上门探访</Text>
              <ChipRow
                options={WEEK_ORDER.map((d) => ({ value: d, label: WEEKDAY_NAMES[d]! }))}
                value={plan.visitWeekday}
                onChange={(visitWeekday) => set({ visitWeekday })}
                testId="help-plan-weekday"
              />
            </>
          )}
          <Text className="muted">{planText(plan)}</Text>
        </>
      ) : null}
      {action.error ? <Text className="hp-error">{`未保存：${action.error}`}</Text> : null}
      <Btn
        disabled={action.busy || (!changed && saved !== null)}
        onClick={() => void save()}
        testId="help-plan-save"
      >
        {action.busy ? '保存中…' : changed || saved === null ? '保存报平安设置' : '已保存'}
      </Btn>
    </>
  );
}

function ConsentForm({ consent }: { consent: RouteResponse<'errandConsent'> }) {
  const [saved, setSaved] = useState(consent);
  const [enabled, setEnabled] = useState(consent.enabled);
  const [afterHours, setAfterHours] = useState(consent.afterHours);
  const action = useAction(describeHelpError);
  const changed = enabled !== saved.enabled || afterHours !== saved.afterHours;

  const save = () =>
    action.run(async () => {
      const next = await call('saveErrandConsent', { body: { enabled, afterHours } });
      setSaved(next);
      setEnabled(next.enabled);
      setAfterHours(next.afterHours);
      void Taro.showToast({ title: '已保存', icon: 'success' });
    });

  return (
    <>
      <Text className="muted">
        生鲜柜里的订单一直没取时，可以请认证志愿者用一次性取件码帮忙取出、送到家门口。
      </Text>
      <Text className="hp-line" data-testid="help-errand-now">
        {saved.enabled
          ? `现在：已允许，入柜 ${saved.afterHours} 小时后未取由志愿者代取`
          : '现在：未允许志愿者代取'}
      </Text>
      <ChipRow
        options={[
          { value: 'on', label: '允许志愿者代取' },
          { value: 'off', label: '不允许' },
        ]}
        value={enabled ? 'on' : 'off'}
        onChange={(v) => setEnabled(v === 'on')}
        testId="help-errand-enabled"
      />
      {enabled ? (
        <>
          <Text className="muted">入柜后多久没取，就请志愿者代取</Text>
          <ChipRow
            options={[...new Set([...AFTER_HOURS, afterHours])]
              .sort((a, b) => a - b)
              .map((h) => ({ value: h, label: `${h} 小时` }))}
            value={afterHours}
            onChange={setAfterHours}
            testId="help-errand-hours"
          />
        </>
      ) : null}
      {action.error ? <Text className="hp-error">{`未保存：${action.error}`}</Text> : null}
      <Btn disabled={action.busy || !changed} onClick={() => void save()} testId="help-errand-save">
        {action.busy ? '保存中…' : changed ? '保存代取设置' : '已保存'}
      </Btn>
    </>
  );
}

import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import type { Activity as ActivitySchema } from 'shared';
import type { z } from 'zod';
import { call } from '../api';
import { periodText } from '../common/care-console';
import { confirm } from '../common/confirm';
import { Btn } from '../components/Btn';
import { CheckinCodeForm, useCheckinCode } from '../components/CheckinCodeForm';
import { Page } from '../components/Page';
import { useAction } from '../hooks/use-action';
import { useApi } from '../hooks/use-api';
import { usePullRefresh } from '../hooks/use-pull-refresh';
import {
  activityActions,
  activityCodeErrorText,
  myStatusText,
  parseActivityCode,
  placesText,
  signupTone,
} from './activity-model';
import { volunteerErrorText } from './errors';
import { minutesText } from './labels';
import { Tag } from './ui';
import '../common/care-console.scss';
import '../common/care-console-elder.scss';
import './volunteer.scss';
import './volunteer-elder.scss';

type Activity = z.infer<typeof ActivitySchema>;

const activityError = (err: unknown) =>
  volunteerErrorText(err, { VALIDATION_FAILED: '签到码应为现场公布的 4 到 6 位数字' });

function ActivityCard({ a, onChanged }: { a: Activity; onChanged: (a: Activity) => void }) {
  const acts = activityActions(a);
  const mine = myStatusText(a);
  const { busy, runningKey, error, run } = useAction(activityError);

  async function act(key: string, action: () => Promise<Activity>, done: (next: Activity) => string) {
    const next = await run(action, key);
    if (next) {
      onChanged(next);
      void Taro.showToast({ title: done(next), icon: 'none' });
    }
    return next;
  }

  async function cancel() {
    const ok = await confirm('取消报名', `确定取消「${a.title}」的报名吗？名额会让给候补的志愿者。`, {
      confirmText: '取消报名',
      cancelText: '再想想',
    });
    if (ok)
      await act(
        'cancel',
        () => call('cancelActivitySignup', { params: { id: a.id }, body: {} }),
        () => '已取消报名',
      );
  }

  const checkin = useCheckinCode({
    parse: parseActivityCode,
    codeErrorText: activityCodeErrorText,
    send: (code: string) => call('checkInActivity', { params: { id: a.id }, body: { code } }),
    act: (request) => act('checkin', request, () => '签到成功'),
  });

  return (
    <View className="card stack cc-card" data-testid={`activity-${a.id}`}>
      <View className="cc-head">
        <Text className="card__title">{a.title}</Text>
        {a.mine && a.mine.status !== 'cancelled' ? (
          <Tag text={mine ?? ''} tone={signupTone(a.mine.status)} testId="activity-mine" />
        ) : null}
      </View>
      <Text className="cc-line cc-strong">{periodText(a.startsAt, a.endsAt)}</Text>
      <Text className="cc-line">{`地点：${a.place}`}</Text>
      <Text className="cc-line" data-testid="activity-places">
        {placesText(a)}
      </Text>
      {a.creditMin > 0 ? (
        <Text className="muted">{`签退后计入时间银行 ${minutesText(a.creditMin)}`}</Text>
      ) : null}
      {a.organiserName ? <Text className="muted">{`组织方：${a.organiserName}`}</Text> : null}
      {a.description ? <Text className="muted">{a.description}</Text> : null}
      {acts.closed ? <Text className="cc-warn">{acts.closed}</Text> : null}
      {checkin.coding ? (
        <CheckinCodeForm
          {...checkin.form}
          busy={busy}
          submitting={runningKey === 'checkin'}
          placeholder="现场公布的签到码"
          label="活动现场公布的签到码"
        />
      ) : (
        <View className="cc-actions">
          {acts.signUp ? (
            <Btn
              disabled={busy}
              onClick={() =>
                void act(
                  'signup',
                  () => call('signUpActivity', { params: { id: a.id }, body: {} }),
                  (n) => (n.mine?.status === 'waitlisted' ? '已加入候补' : '报名成功'),
                )
              }
              testId="activity-signup"
            >
              {runningKey === 'signup' ? '报名中…' : acts.signUpText}
            </Btn>
          ) : null}
          {acts.checkIn ? (
            <Btn disabled={busy} onClick={checkin.start} testId="activity-checkin">
              签到
            </Btn>
          ) : null}
          {acts.checkOut ? (
            <Btn
              disabled={busy}
              onClick={() =>
                void act(
                  'checkout',
                  () => call('checkOutActivity', { params: { id: a.id }, body: {} }),
                  (n) => (n.creditMin > 0 ? `已计入 ${minutesText(n.creditMin)}` : '已签退'),
                )
              }
              testId="activity-checkout"
            >
              {runningKey === 'checkout' ? '签退中…' : '签退'}
            </Btn>
          ) : null}
          {acts.cancel ? (
            <Btn variant="ghost" disabled={busy} onClick={() => void cancel()} testId="activity-cancel">
              {runningKey === 'cancel' ? '取消中…' : '取消报名'}
            </Btn>
          ) : null}
        </View>
      )}
      {acts.hint ? <Text className="muted">{acts.hint}</Text> : null}
      {error && !checkin.problem ? (
        <Text className="state__message" data-testid="activity-error">
          {error}
        </Text>
      ) : null}
    </View>
  );
}

/** 志愿活动: sign up, cancel, check in with the code at the place, check out for the hours. */
export default function VolunteerActivitiesPage() {
  const state = useApi(() => call('volunteerActivities'), { refreshOnShow: true });
  const [changed, setChanged] = useState<{ base: unknown; items: Map<string, Activity> } | null>(null);
  usePullRefresh(state.reload);
  const overrides = changed && changed.base === state.data ? changed.items : null;
  const items = (state.data?.items ?? []).map((a) => overrides?.get(a.id) ?? a);

  const onChanged = (next: Activity) =>
    setChanged((prev) => {
      const map = new Map(prev && prev.base === state.data ? prev.items : []);
      map.set(next.id, next);
      return { base: state.data, items: map };
    });

  return (
    <Page name="volunteer-activities" state={state}>
      {state.data && items.length === 0 ? (
        <View className="card">
          <Text className="muted" data-testid="activities-empty">
            近期没有志愿活动，社区发布后会在这里显示。
          </Text>
        </View>
      ) : null}
      {items.map((a) => (
        <ActivityCard key={a.id} a={a} onChanged={onChanged} />
      ))}
    </Page>
  );
}

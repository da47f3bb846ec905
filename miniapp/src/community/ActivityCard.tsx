import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect } from 'react';
import { type CommunityActivity, PAGES } from 'shared';
import { call } from '../api';
import { periodText } from '../common/care-console';
import { confirm } from '../common/confirm';
import { tappable } from '../components/a11y';
import { Btn } from '../components/Btn';
import { CheckinCodeForm, useCheckinCode } from '../components/CheckinCodeForm';
import { useAction } from '../hooks/use-action';
import { askToSubscribe, prefetchSubscribeTemplates } from '../notify/subscribe';
import {
  activityActions,
  cancelConfirmText,
  myStatusText,
  parseCheckinCode,
  placesText,
  signupTone,
} from './activity-model';
import { communityErrorText, isCode } from './errors';
import { open, Tag } from './ui';

const codeError = (err: unknown): string | null => {
  if (isCode(err, 'ACTIVITY_CODE_INVALID')) return '签到码不对，请看现场公布的签到码';
  if (isCode(err, 'CODE_ENTRY_LOCKED')) return '签到码输错次数过多，请找工作人员帮您签到';
  return null;
};

/**
 * A community activity with its buttons: 报名 (or 报名候补), 取消报名 with a confirm, 签到 with the
 * code at the place. `full` shows the description and stays on the page; a list card opens it.
 */
export function ActivityCard({
  a,
  full,
  onChanged,
}: {
  a: CommunityActivity;
  full?: boolean;
  onChanged: (a: CommunityActivity) => void;
}) {
  const acts = activityActions(a);
  const mine = myStatusText(a);
  const { busy, runningKey, error, run } = useAction(communityErrorText);
  useEffect(() => {
    void prefetchSubscribeTemplates();
  }, []);

  async function act(
    key: string,
    action: () => Promise<CommunityActivity>,
    done: (n: CommunityActivity) => string,
  ) {
    const next = await run(action, key);
    if (next) {
      onChanged(next);
      void Taro.showToast({ title: done(next), icon: 'none' });
    }
    return next;
  }

  function signUp() {
    // WeChat shows the prompt only inside the tap, before any await: reminders and promotion come as pushes.
    const asked = askToSubscribe(['orderStatus']);
    void asked.then(() =>
      act(
        'signup',
        () => call('signUpCommunityActivity', { params: { id: a.id }, body: {} }),
        (n) =>
          n.mine?.status === 'waitlisted' ? `已加入候补，第 ${n.mine.waitlistPosition ?? 1} 位` : '报名成功',
      ),
    );
  }

  async function cancel() {
    const ok = await confirm('取消报名', cancelConfirmText(a), {
      confirmText: '取消报名',
      cancelText: '再想想',
    });
    if (ok)
      await act(
        'cancel',
        () => call('cancelCommunitySignup', { params: { id: a.id }, body: {} }),
        () => '已取消报名',
      );
  }

  const checkin = useCheckinCode({
    parse: parseCheckinCode,
    codeErrorText: codeError,
    send: (code: string) => call('checkInCommunityActivity', { params: { id: a.id }, body: { code } }),
    act: (request) => act('checkin', request, () => '签到成功'),
  });

  return (
    <View
      {...(full ? {} : tappable())}
      className="card stack cc-card"
      data-testid={`activity-${a.id}`}
      onClick={full ? undefined : () => open(`${PAGES.communityActivity}?id=${a.id}`)}
    >
      <View className="cc-head">
        <Text className={full ? 'cm-title' : 'card__title'}>{a.title}</Text>
        {mine && a.mine ? <Tag text={mine} tone={signupTone(a.mine.status)} testId="activity-mine" /> : null}
      </View>
      <Text className="cc-line cc-strong">{periodText(a.startsAt, a.endsAt)}</Text>
      <Text className="cc-line">{`地点：${a.place}`}</Text>
      {a.groupName ? <Text className="muted">{`兴趣小组：${a.groupName}`}</Text> : null}
      <Text className="cc-line" data-testid="activity-places">
        {placesText(a)}
      </Text>
      {full && a.description ? <Text className="cm-body">{a.description}</Text> : null}
      {acts.closed ? <Text className="cc-warn">{acts.closed}</Text> : null}
      {full ? (
        <View data-tap-passive className="stack" onClick={(e) => e.stopPropagation()}>
          {checkin.coding ? (
            <CheckinCodeForm
              {...checkin.form}
              busy={busy}
              submitting={runningKey === 'checkin'}
              placeholder="6 位签到码"
              label="活动现场公布的 6 位签到码"
            />
          ) : (
            <View className="cc-actions">
              {acts.signUp ? (
                <Btn disabled={busy} onClick={signUp} testId="activity-signup">
                  {runningKey === 'signup' ? '报名中…' : acts.signUpText}
                </Btn>
              ) : null}
              {acts.checkIn ? (
                <Btn disabled={busy} onClick={checkin.start} testId="activity-checkin">
                  签到
                </Btn>
              ) : null}
              {acts.cancel ? (
                <Btn variant="ghost" disabled={busy} onClick={() => void cancel()} testId="activity-cancel">
                  {runningKey === 'cancel' ? '取消中…' : mine?.startsWith('候补') ? '不再候补' : '取消报名'}
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
      ) : (
        <Text className="muted">查看详情 ›</Text>
      )}
    </View>
  );
}

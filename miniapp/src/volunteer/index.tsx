import { Switch, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { type HelpTask, PAGES, type VolunteerProfile } from 'shared';
import { call } from '../api';
import { Btn } from '../components/Btn';
import { Page } from '../components/Page';
import { useAction } from '../hooks/use-action';
import { useApi } from '../hooks/use-api';
import { usePullRefresh } from '../hooks/use-pull-refresh';
import { bannerText, liveEmergencies } from './emergency-model';
import { isCode, volunteerErrorText } from './errors';
import { dutyLine, isPaused, PAUSE_OPTIONS, pauseUntil, profileStage, weekLoad } from './profile-model';
import { SCOPE_EMPTY_TEXT, TASK_SCOPES, type TaskScope } from './task-model';
import { TaskCard } from './ui';
import '../common/care-console.scss';
import '../common/care-console-elder.scss';
import './volunteer.scss';
import './volunteer-elder.scss';

const go = (url: string) => void Taro.navigateTo({ url });

/** Live emergencies the volunteer was told of: loud, at the very top, each one tap away. */
function EmergencyBanner() {
  const state = useApi(() => call('volunteerEmergencies'), { refreshOnShow: true });
  const live = liveEmergencies(state.data?.items ?? []);
  // Quietly absent when it cannot load: the page below still works, and offers come by message too.
  if (live.length === 0) return null;
  return (
    <View className="vol-alert" data-testid="vol-emergencies">
      <Text className="vol-alert__title">紧急求助</Text>
      {live.map((c) => (
        <View key={c.id}>
          <Text className="vol-alert__line">{bannerText(c)}</Text>
          <Btn
            variant={c.can.answer ? 'danger' : 'ghost'}
            onClick={() => go(`${PAGES.volunteerEmergency}?id=${c.id}`)}
            testId={`vol-emergency-${c.id}`}
          >
            {c.can.answer ? '查看并响应' : '查看'}
          </Btn>
        </View>
      ))}
    </View>
  );
}

/** Before verification: the way in, or where the application stands. */
function StageCard({ v }: { v: VolunteerProfile | null }) {
  const stage = profileStage(v);
  if (stage.kind === 'verified') return null;
  return (
    <View className="card stack cc-card" data-testid={`vol-stage-${stage.kind}`}>
      {stage.kind === 'none' ? (
        <>
          <Text className="card__title">成为社区志愿者</Text>
          <Text className="cc-line">
            帮邻居代买、陪聊、教用手机、代取生鲜……服务时长存入「好人好事银行」，可以兑换服务、评星级。
          </Text>
          <Text className="muted">需要实名，并已通过住户认证。社区工作人员审核后即可接单。</Text>
          <Btn onClick={() => go(PAGES.volunteerApply)} testId="vol-apply">
            申请成为志愿者
          </Btn>
        </>
      ) : null}
      {stage.kind === 'pending' ? (
        <>
          <Text className="card__title">审核中</Text>
          <Text className="cc-warn">您的志愿者申请已提交，社区工作人员审核后会通过「消息」通知您。</Text>
          <Btn variant="ghost" onClick={() => go(PAGES.volunteerApply)} testId="vol-edit">
            查看或修改资料
          </Btn>
        </>
      ) : null}
      {stage.kind === 'rejected' ? (
        <>
          <Text className="card__title">申请未通过</Text>
          <Text className="cc-warn" data-testid="vol-review-note">{`审核意见：${stage.note}`}</Text>
          <Btn onClick={() => go(PAGES.volunteerApply)} testId="vol-reapply">
            修改后重新提交
          </Btn>
        </>
      ) : null}
      {stage.kind === 'suspended' ? (
        <>
          <Text className="card__title">志愿服务已暂停</Text>
          <Text className="cc-warn" data-testid="vol-suspend-reason">{`原因：${stage.reason}`}</Text>
          <Text className="muted">暂停期间不能接单。如有疑问，请联系社区工作人员。</Text>
        </>
      ) : null}
    </View>
  );
}

/** 接单中 / 休息中, a pause, and this week's hours against the cap. */
function DutyCard({ v, onChanged }: { v: VolunteerProfile; onChanged: (v: VolunteerProfile) => void }) {
  const { busy, runningKey, error, run } = useAction(volunteerErrorText);
  const paused = isPaused(v.pausedUntil);
  const load = weekLoad(v);

  async function update(body: { onDuty?: boolean; pausedUntil?: string | null }, key: string, done: string) {
    const next = await run(() => call('updateVolunteer', { body }), key);
    if (next) {
      onChanged(next);
      void Taro.showToast({ title: done, icon: 'success' });
    }
  }

  return (
    <View className="card stack cc-card" data-testid="vol-duty">
      <View className="vol-duty">
        <View className="vol-duty__text">
          <Text className="card__title">
            {v.onDuty && !paused ? '接单中' : paused ? '暂停接单' : '休息中'}
          </Text>
          <Text className="cc-line" data-testid="vol-duty-line">
            {dutyLine(v)}
          </Text>
        </View>
        <Switch
          // A refused change must not leave the switch showing what was not saved.
          key={`${v.onDuty}-${error ?? ''}`}
          checked={v.onDuty}
          disabled={busy}
          color="#1a7f4b"
          aria-label="接单开关"
          onChange={(e) =>
            void update({ onDuty: e.detail.value }, 'duty', e.detail.value ? '已开始接单' : '已休息')
          }
          data-testid="vol-duty-switch"
        />
      </View>
      {paused ? (
        <Btn
          variant="ghost"
          disabled={busy}
          onClick={() => void update({ pausedUntil: null }, 'resume', '已恢复接单')}
          testId="vol-resume"
        >
          {runningKey === 'resume' ? '保存中…' : '提前恢复接单'}
        </Btn>
      ) : (
        <View className="cc-actions" data-testid="vol-pause">
          {PAUSE_OPTIONS.map((o) => (
            <Btn
              key={o.days}
              variant="ghost small"
              disabled={busy}
              onClick={() =>
                void update({ pausedUntil: pauseUntil(o.days) }, `pause-${o.days}`, `已${o.label}`)
              }
              testId={`vol-pause-${o.days}`}
            >
              {o.label}
            </Btn>
          ))}
        </View>
      )}
      <Text className="cc-line" data-testid="vol-week">
        {load.text}
      </Text>
      <View className="vol-bar" aria-hidden>
        <View
          className={`vol-bar__fill${load.full ? ' vol-bar__fill--full' : ''}`}
          style={{ width: `${Math.round(load.share * 100)}%` }}
        />
      </View>
      {v.rating !== null ? (
        <Text className="muted">{`长者评价 ${v.rating.toFixed(1)} 分（${v.ratingCount} 次）`}</Text>
      ) : null}
      {error ? <Text className="state__message">{error}</Text> : null}
    </View>
  );
}

/** One scope's tasks, with 接单 / 婉拒 on the cards. */
function TaskList({ scope, myName }: { scope: TaskScope; myName: string }) {
  const state = useApi(() => call('volunteerTasks', { query: { scope } }), {
    key: scope,
    refreshOnShow: true,
  });
  const { busy, runningKey, run } = useAction(volunteerErrorText);
  const [cardError, setCardError] = useState<{ id: string; text: string } | null>(null);

  async function accept(t: HelpTask) {
    setCardError(null);
    let lost = false;
    const next = await run(async () => {
      try {
        return await call('acceptTask', { params: { id: t.id }, body: {} });
      } catch (err) {
        lost = isCode(err, 'TASK_TAKEN');
        setCardError({ id: t.id, text: volunteerErrorText(err) });
        throw err;
      }
    }, `accept:${t.id}`);
    if (lost) {
      void Taro.showToast({ title: '已被接单', icon: 'none' });
      await state.reload();
      return;
    }
    if (!next) return;
    void Taro.showToast({ title: '接单成功', icon: 'success' });
    await state.reload();
    go(`${PAGES.volunteerTask}?id=${next.id}`);
  }

  async function decline(t: HelpTask, reason: string) {
    setCardError(null);
    const next = await run(async () => {
      try {
        return await call('declineTask', { params: { id: t.id }, body: { reason } });
      } catch (err) {
        setCardError({ id: t.id, text: volunteerErrorText(err) });
        throw err;
      }
    }, `decline:${t.id}`);
    if (next) {
      void Taro.showToast({ title: '已婉拒', icon: 'success' });
      await state.reload();
    }
  }

  const items = state.data?.items ?? [];
  return (
    <View data-testid={`vol-list-${scope}`}>
      {state.loading && !state.data ? <Text className="muted">加载中…</Text> : null}
      {state.error ? (
        <View className="card stack cc-card">
          <Text className="state__message">{`加载失败：${volunteerErrorText(state.error)}`}</Text>
          <Btn variant="ghost" onClick={() => void state.reload()}>
            重试
          </Btn>
        </View>
      ) : null}
      {state.data && items.length === 0 ? (
        <View className="card">
          <Text className="muted" data-testid="vol-list-empty">
            {SCOPE_EMPTY_TEXT[scope]}
          </Text>
        </View>
      ) : null}
      {items.map((t) => (
        <TaskCard
          key={t.id}
          task={t}
          scope={scope}
          myName={myName}
          busy={busy}
          running={runningKey?.endsWith(t.id) ? runningKey.split(':')[0]! : null}
          error={cardError?.id === t.id ? cardError.text : null}
          onAccept={() => void accept(t)}
          onDecline={(reason) => void decline(t, reason)}
        />
      ))}
    </View>
  );
}

/** 志愿服务: the volunteer's day — emergencies, duty, offers, own tasks, the board and history. */
export default function VolunteerHomePage() {
  const state = useApi(() => call('volunteerMe'), { refreshOnShow: true });
  // An update answers with the whole profile; it stands until the next load replaces it.
  const [latest, setLatest] = useState<{ base: unknown; value: VolunteerProfile } | null>(null);
  const [scope, setScope] = useState<TaskScope>('offers');
  const [listKey, setListKey] = useState(0);
  usePullRefresh(state.reload, async () => setListKey((k) => k + 1));
  const fetched = state.data?.volunteer ?? null;
  const v = latest && latest.base === state.data ? latest.value : fetched;
  const verified = v?.status === 'verified';

  return (
    <Page name="volunteer" state={state}>
      {verified ? <EmergencyBanner key={`e-${listKey}`} /> : null}
      <StageCard v={v} />
      {v ? (
        <View className="vol-entries" data-testid="vol-entries">
          <Btn variant="ghost" onClick={() => go(PAGES.volunteerBank)} testId="vol-go-bank">
            时间银行
          </Btn>
          <Btn variant="ghost" onClick={() => go(PAGES.volunteerActivities)} testId="vol-go-activities">
            志愿活动
          </Btn>
          <Btn variant="ghost" onClick={() => go(PAGES.volunteerApply)} testId="vol-go-profile">
            我的资料
          </Btn>
        </View>
      ) : null}
      {v && verified ? (
        <>
          <DutyCard v={v} onChanged={(value) => setLatest({ base: state.data, value })} />
          <View className="vol-tabs" data-testid="vol-tabs">
            {TASK_SCOPES.map((s) => (
              <Btn
                key={s.value}
                variant={s.value === scope ? 'small' : 'ghost small'}
                onClick={() => setScope(s.value)}
                testId={`vol-tab-${s.value}`}
              >
                {s.label}
              </Btn>
            ))}
          </View>
          <TaskList key={`${scope}-${listKey}`} scope={scope} myName={v.realName} />
        </>
      ) : null}
    </Page>
  );
}

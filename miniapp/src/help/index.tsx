import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { formatDisplayTime, type HelpTask, type Order, PAGES, type RouteResponse } from 'shared';
import { call } from '../api';
import { emergencyStatusText, headlineText, isLive } from '../common/emergency-text';
import { Btn } from '../components/Btn';
import { AsyncContent, Page } from '../components/Page';
import { useAction } from '../hooks/use-action';
import { type ApiState, useApi } from '../hooks/use-api';
import { usePoll } from '../hooks/use-poll';
import { usePullRefresh } from '../hooks/use-pull-refresh';
import { offersDailyTap, showDoorCode, streakText, taskNextText, windowText } from './help-model';
import { DoorCode, describeHelpError, HoursReview, InlineConfirm, openTask, TaskTag } from './ui';
import '../common/care-console.scss';
import '../common/care-console-elder.scss';
import './help.scss';
import './help-elder.scss';
import { tappable } from '../components/a11y';

/** 邻里互助 / 一键求助: the alarm, today's check-in, my requests, and locker orders to have brought up. */
export default function HelpIndexPage() {
  const tasks = useApi(() => call('helpTasks', { query: { scope: 'active' } }), { refreshOnShow: true });
  const checkin = useApi(() => call('checkinToday'), { refreshOnShow: true });
  const calls = useApi(() => call('elderEmergencies'), { refreshOnShow: true });
  const lockers = useApi(loadLockerOrders, { refreshOnShow: true });
  usePullRefresh(tasks.reload, checkin.reload, calls.reload, lockers.reload);
  // A volunteer taking the task, arriving or finishing is what the elder waits for on this page.
  const waiting = (tasks.data?.items ?? []).some((t) => t.status !== 'done');
  usePoll(tasks.reload, 15_000, waiting);

  const live = (calls.data?.items ?? []).filter(isLive);

  return (
    <Page name="help">
      {live.map((c) => (
        <View
          {...tappable()}
          key={c.id}
          className="hp-live"
          onClick={() => void Taro.navigateTo({ url: `${PAGES.helpEmergency}?id=${c.id}` })}
          data-testid={`help-live-${c.id}`}
        >
          <Text className="hp-live__title">{emergencyStatusText(c)}</Text>
          <Text className="hp-live__text">{`${headlineText(c)} 点此查看 ›`}</Text>
        </View>
      ))}

      <SosCard />

      <CheckinCard state={checkin} />

      <View className="hp-big-btn">
        <Btn onClick={() => void Taro.navigateTo({ url: PAGES.helpNew })} testId="help-new">
          请志愿者帮忙
        </Btn>
      </View>

      <View className="card stack hp-card" data-testid="help-tasks">
        <Text className="card__title">我的求助</Text>
        <AsyncContent state={tasks}>
          {tasks.data?.items.length === 0 ? <Text className="muted">暂时没有进行中的求助</Text> : null}
          {tasks.data?.items.map((t) => (
            <TaskItem key={t.id} task={t} onChanged={tasks.reload} />
          ))}
        </AsyncContent>
      </View>

      <LockerOrders state={lockers} onAsked={tasks.reload} />

      <View className="hp-actions">
        <Btn
          variant="ghost"
          onClick={() => void Taro.navigateTo({ url: PAGES.helpSettings })}
          testId="help-go-settings"
        >
          报平安与代取设置
        </Btn>
      </View>
    </Page>
  );
}

/** The locker orders waiting in a compartment, each with its bank, compartments and deadline. */
async function loadLockerOrders(): Promise<Order[]> {
  const page = await call('orders', { query: { status: 'in_locker' } });
  const details = await Promise.all(
    page.items.slice(0, 10).map((o) => call('order', { params: { id: o.id } })),
  );
  return details.filter((o) => o.status === 'in_locker' && o.locker);
}

/**
 * 一键求助: a very large red button; a second large tap (确定求助) sends it, so a knock against the
 * phone does not alert everyone. 演练模式 lets a family try the whole chain without alarming anyone.
 */
function SosCard() {
  const [asking, setAsking] = useState(false);
  const [drill, setDrill] = useState(false);
  const action = useAction(describeHelpError);

  const raise = () =>
    action.run(async () => {
      const c = await call('raiseEmergency', { body: { testMode: drill } });
      setAsking(false);
      void Taro.navigateTo({ url: `${PAGES.helpEmergency}?id=${c.id}` });
    });

  return (
    <View className="hp-sos-card" data-testid="help-sos-card">
      {asking ? (
        <InlineConfirm
          question={
            drill
              ? '演练：将按真实流程通知志愿者、家属和社区（都会看到“演练”字样）。确定吗？'
              : '确定要求助吗？将立即通知附近志愿者、家属和社区工作人员。'
          }
          confirmText={drill ? '确定演练' : '确定求助'}
          danger
          busy={action.busy}
          onConfirm={() => void raise()}
          onCancel={() => setAsking(false)}
          testId="help-sos-confirm"
        />
      ) : (
        <Btn variant="danger" onClick={() => setAsking(true)} testId="help-sos">
          {drill ? '一键求助（演练）' : '一键求助'}
        </Btn>
      )}
      {action.error ? <Text className="hp-error">{`求助未发出：${action.error}`}</Text> : null}
      <View className="hp-drill">
        <Text className="muted hp-drill__text">
          {drill ? '演练模式已开启，不会真的求助' : '家人可先演练一次'}
        </Text>
        <Btn variant="ghost small" onClick={() => setDrill(!drill)} testId="help-sos-drill">
          {drill ? '关闭演练' : '演练模式'}
        </Btn>
      </View>
    </View>
  );
}

/** 我很好: today's tap when a daily plan is on; done shows ✓ and the streak. */
function CheckinCard({ state }: { state: ApiState<RouteResponse<'checkinToday'>> }) {
  const action = useAction(describeHelpError);
  const [done, setDone] = useState<RouteResponse<'checkinToday'> | null>(null);
  // A reload (the page shown again, pulled down) is newer than the tap's answer.
  useEffect(() => setDone(state.data ?? null), [state.data]);
  const today = done ?? state.data;
  if (state.error && !today) return null; // no plan service yet: the rest of the page still works
  if (!today || !offersDailyTap(today.plan)) return null;

  const tap = () =>
    action.run(async () => {
      setDone(await call('checkIn', { body: {} }));
      void Taro.showToast({ title: '已报平安', icon: 'success' });
    });

  return (
    <View className="card stack hp-card" data-testid="help-checkin-card">
      {today.checkedInAt ? (
        <>
          <Text className="hp-ok-big" data-testid="help-checked-in">
            今天已报平安 ✓
          </Text>
          <Text className="muted">{`${formatDisplayTime(today.checkedInAt).slice(11)} 已报${streakText(today.streak) ? ` · ${streakText(today.streak)}` : ''}`}</Text>
        </>
      ) : (
        <>
          <Text className="muted">
            {today.dueAt
              ? `请在 ${formatDisplayTime(today.dueAt).slice(11)} 前点一下，家人就放心了`
              : '点一下，家人就放心了'}
          </Text>
          <View className="hp-big-btn">
            <Btn disabled={action.busy} onClick={() => void tap()} testId="help-checkin">
              {action.busy ? '正在报平安…' : '我很好'}
            </Btn>
          </View>
          {streakText(today.streak) ? <Text className="muted">{streakText(today.streak)}</Text> : null}
        </>
      )}
      {action.error ? <Text className="hp-error">{action.error}</Text> : null}
    </View>
  );
}

function TaskItem({ task, onChanged }: { task: HelpTask; onChanged: () => Promise<void> }) {
  // An action's answer is the task as it is now, until the list reloads.
  const [answered, setAnswered] = useState<HelpTask | null>(null);
  useEffect(() => setAnswered(task), [task]);
  const t = answered ?? task;
  return (
    <View className="hp-item" data-testid={`help-task-${t.id}`}>
      <View {...tappable()} className="hp-row tap-text" onClick={() => openTask(t.id)}>
        <Text className="hp-item__title hp-row__main">{t.title}</Text>
        <TaskTag task={t} />
      </View>
      <Text className="hp-line">{windowText(t.windowStart, t.windowEnd)}</Text>
      {t.volunteerName ? <Text className="hp-line">{`志愿者：${t.volunteerName}`}</Text> : null}
      <Text className="muted">{taskNextText(t)}</Text>
      {showDoorCode(t) ? <DoorCode code={t.checkinCode!} /> : null}
      <HoursReview
        task={t}
        onDone={(next) => {
          setAnswered(next);
          void onChanged();
        }}
      />
      <Btn variant="ghost small" onClick={() => openTask(t.id)} testId={`help-task-open-${t.id}`}>
        查看详情
      </Btn>
    </View>
  );
}

/** Orders waiting in a locker, each with 请志愿者代取送上门 (the produce run, asked for now). */
function LockerOrders({ state, onAsked }: { state: ApiState<Order[]>; onAsked: () => Promise<void> }) {
  const [asked, setAsked] = useState<Record<string, string>>({});
  const action = useAction(describeHelpError);
  if (!state.data?.length) return null;

  const bring = (orderId: string) =>
    action.run(async () => {
      const task = await call('bringLockerOrder', { body: { orderId, note: '' } });
      setAsked((a) => ({ ...a, [orderId]: task.id }));
      void Taro.showToast({ title: '已请志愿者代取', icon: 'none' });
      await onAsked();
    }, orderId);

  return (
    <View className="card stack hp-card" data-testid="help-lockers">
      <Text className="card__title">生鲜柜里待取的订单</Text>
      {state.data.map((o) => (
        <View key={o.id} className="hp-item" data-testid={`help-locker-${o.id}`}>
          <Text className="hp-item__title">{o.merchant.name}</Text>
          <Text className="hp-line">{`${o.locker!.bankName} · ${o.locker!.compartments.join('、')} 号格口`}</Text>
          {o.locker!.deadline ? (
            <Text className="muted">{`请在 ${formatDisplayTime(o.locker!.deadline).slice(5)} 前取走`}</Text>
          ) : null}
          {asked[o.id] ? (
            <>
              <Text className="hp-ok">已请志愿者代取，有人接单后会通知您</Text>
              <Btn
                variant="ghost small"
                onClick={() => openTask(asked[o.id]!)}
                testId={`help-locker-task-${o.id}`}
              >
                查看求助进度
              </Btn>
            </>
          ) : (
            <Btn disabled={action.busy} onClick={() => void bring(o.id)} testId={`help-bring-${o.id}`}>
              {action.runningKey === o.id ? '正在发出…' : '请志愿者代取送上门'}
            </Btn>
          )}
        </View>
      ))}
      {action.error ? <Text className="hp-error">{action.error}</Text> : null}
    </View>
  );
}

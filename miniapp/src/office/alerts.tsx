import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import type { StaffAlert } from 'shared';
import { call } from '../api';
import { describeError } from '../api/errors';
import { confirm } from '../common/confirm';
import { Btn } from '../components/Btn';
import { Field } from '../components/Field';
import { AsyncContent, Page } from '../components/Page';
import { TextArea } from '../components/TextArea';
import { useAction } from '../hooks/use-action';
import { useApi } from '../hooks/use-api';
import { usePoll } from '../hooks/use-poll';
import { usePullRefresh } from '../hooks/use-pull-refresh';
import { officeTime } from './activities-fields';
import { alertCounter, alertProblem, progressPercent, progressText, sendConfirmText } from './alerts-model';
import '../common/care-console.scss';
import '../common/care-console-elder.scss';
import './community.scss';
import './community-elder.scss';

const alertError = (err: unknown) => describeError(err, { fields: { text: '内容最多 110 字' } });

/**
 * How many the next alert reaches: the BFF counts the verified members of the community the caller
 * runs (when they run several, the alert names one and the count is theirs together).
 */
function audienceOf(list: { audiences: { members: number }[] } | undefined): number | null {
  if (!list || list.audiences.length === 0) return null;
  return list.audiences.reduce((n, a) => n + a.members, 0);
}

const progressOf = (a: StaffAlert) => ({
  reached: a.reached,
  total: a.members,
  done: a.deliveredAt !== null,
});

/**
 * 紧急通知: up to 110 characters to every member of the community at once (inbox and a WeChat
 * push). A confirm names how many it reaches; then the fan-out's progress, live.
 */
export default function OfficeAlertsPage() {
  const list = useApi(() => call('staffAlerts'), { refreshOnShow: true });
  usePullRefresh(list.reload);
  const sending = list.data?.items.some((a) => a.deliveredAt === null && a.withdrawnAt === null) ?? false;
  // While a fan-out runs, its count climbs: follow it.
  usePoll(list.reload, 1000, sending);
  const audience = audienceOf(list.data);

  return (
    <Page name="officeAlerts">
      <Composer audience={audience} onSent={list.reload} />
      <AsyncContent state={list}>
        {list.data?.items.length === 0 ? (
          <View className="card">
            <Text className="muted">还没有发过紧急通知</Text>
          </View>
        ) : null}
        {list.data?.items.map((a) => (
          <AlertCard key={a.id} a={a} onChanged={list.reload} />
        ))}
      </AsyncContent>
    </Page>
  );
}

function Composer({ audience, onSent }: { audience: number | null; onSent: () => Promise<void> }) {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const action = useAction(alertError);
  const counter = alertCounter(text);

  const send = async () => {
    const why = alertProblem(text);
    setProblem(why);
    if (why) return;
    const ok = await confirm(
      '发送紧急通知',
      audience === null
        ? '将立即推送给本社区全体已认证居民。推送发出后收不回；之后只能从首页横幅撤下。'
        : sendConfirmText(audience),
      { confirmText: '立即发送', cancelText: '再看看' },
    );
    if (!ok) return;
    const sent = await action.run(() => call('createAlert', { body: { text: text.trim() } }));
    if (sent) {
      setText('');
      void Taro.showToast({ title: '已开始推送', icon: 'none' });
      await onSent();
    }
  };

  return (
    <View className="card stack cc-card" data-testid="office-alert-form">
      <Text className="card__title">发紧急通知</Text>
      <Text className="muted">用于停水停电、燃气泄漏、极端天气等需要全体居民立刻知道的事。</Text>
      <Field label="通知内容" error={problem}>
        <TextArea
          value={text}
          onChange={(v) => {
            setText(v);
            setProblem(null);
          }}
          placeholder="如：今晚 20:00 至 22:00 3 号楼停电检修，请提前做好准备。"
          maxLength={200}
          testId="office-alert-text"
        />
      </Field>
      <Text
        className={`of-counter${counter.over ? ' of-counter--over' : ''}`}
        data-testid="office-alert-counter"
      >
        {counter.over ? `${counter.text}，超出 ${counter.over} 字` : counter.text}
      </Text>
      {audience !== null ? <Text className="muted">{`将送达本社区 ${audience} 位居民`}</Text> : null}
      {action.error ? <Text className="state__message">{action.error}</Text> : null}
      <Btn variant="danger" disabled={action.busy} onClick={() => void send()} testId="office-alert-send">
        {action.busy ? '发送中…' : '发送'}
      </Btn>
    </View>
  );
}

function AlertCard({ a, onChanged }: { a: StaffAlert; onChanged: () => Promise<void> }) {
  const action = useAction(alertError);
  const progress = progressOf(a);

  const withdraw = async () => {
    const ok = await confirm('撤回紧急通知', '撤回后首页不再显示这条通知；已发出的消息和微信提醒收不回。', {
      confirmText: '撤回',
    });
    if (!ok) return;
    await action.run(async () => {
      await call('withdrawAlert', { params: { id: a.id }, body: {} });
      await onChanged();
    });
  };

  return (
    <View className="card stack cc-card" data-testid={`office-alert-${a.id}`}>
      <Text className="of-alert-text">{a.text}</Text>
      <Text className="muted">{`${a.authorName} 发于 ${officeTime(a.createdAt)}`}</Text>
      <Text className="cc-line cc-strong" data-testid="office-alert-progress">
        {progressText(progress)}
      </Text>
      <View className="of-progress" aria-hidden>
        <View className="of-progress__fill" style={{ width: `${progressPercent(progress)}%` }} />
      </View>
      <Text className="muted" data-testid="office-alert-acked">{`${a.acknowledged} 人已点「我知道了」`}</Text>
      {a.withdrawnAt ? <Text className="cc-warn">{`已于 ${officeTime(a.withdrawnAt)} 撤回`}</Text> : null}
      {action.error ? <Text className="state__message">{action.error}</Text> : null}
      {a.withdrawnAt ? null : (
        <View className="cc-actions">
          <Btn
            variant="ghost small"
            disabled={action.busy}
            onClick={() => void withdraw()}
            testId="office-alert-withdraw"
          >
            {action.busy ? '撤回中…' : '撤回'}
          </Btn>
        </View>
      )}
    </View>
  );
}

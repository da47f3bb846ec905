import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { type EmergencyCall, formatDisplayTime } from 'shared';
import { call } from '../api';
import { describeError } from '../api/errors';
import { confirm } from '../common/confirm';
import {
  emergencyStatusText,
  emergencyTone,
  eventText,
  eventTime,
  headlineText,
  isLive,
} from '../common/emergency-text';
import { Btn } from '../components/Btn';
import { Field } from '../components/Field';
import { AsyncContent, Page } from '../components/Page';
import { TextInput } from '../components/TextInput';
import { useAction } from '../hooks/use-action';
import { useApi } from '../hooks/use-api';
import { usePoll } from '../hooks/use-poll';
import { usePullRefresh } from '../hooks/use-pull-refresh';
import '../common/care-console.scss';
import '../common/care-console-elder.scss';
import './volunteer-staff.scss';
import './volunteer-staff-elder.scss';
import { tappable } from '../components/a11y';

const emergencyError = (err: unknown) => describeError(err, { fields: { note: '处置说明请在 300 字以内' } });

/** 紧急求助: live calls first (确认处置, then 解除 with a note), the recent ones below; polled. */
export default function StaffEmergenciesPage() {
  const list = useApi(() => call('staffEmergencies'), { refreshOnShow: true });
  usePullRefresh(list.reload);
  const items = list.data?.items ?? [];
  const live = items.filter(isLive);
  const past = items.filter((c) => !isLive(c));
  // A live call changes by the minute (who answered, who was told next): look every few seconds.
  usePoll(list.reload, live.length ? 5_000 : 30_000);

  return (
    <Page name="staff-emergencies">
      <AsyncContent state={list}>
        <Text className="muted cc-summary" data-testid="staff-emergency-summary">
          {live.length ? `正在进行 ${live.length} 起` : '目前没有进行中的紧急求助'}
        </Text>
        {live.map((c) => (
          <CallCard key={c.id} c={c} onDone={list.reload} />
        ))}
        {past.length ? <Text className="card__title">最近的求助</Text> : null}
        {past.map((c) => (
          <CallCard key={c.id} c={c} onDone={list.reload} />
        ))}
      </AsyncContent>
    </Page>
  );
}

function CallCard({ c, onDone }: { c: EmergencyCall; onDone: () => Promise<void> }) {
  const [resolving, setResolving] = useState(false);
  const [note, setNote] = useState('');
  const [showAll, setShowAll] = useState(isLive(c));
  const action = useAction(emergencyError);

  const acknowledge = async () => {
    const done = await action.run(
      () => call('acknowledgeEmergency', { params: { id: c.id }, body: {} }),
      'ack',
    );
    if (done) {
      void Taro.showToast({ title: '已确认处置', icon: 'success' });
      await onDone();
    }
  };
  const resolve = async () => {
    if (!(await confirm('解除求助', `确认「${c.elderName}」的求助已处理完毕？`, { confirmText: '解除' })))
      return;
    const done = await action.run(
      () => call('resolveEmergency', { params: { id: c.id }, body: { note: note.trim() } }),
      'resolve',
    );
    if (done) {
      void Taro.showToast({ title: '已解除', icon: 'success' });
      setResolving(false);
      await onDone();
    }
  };

  const timeline = [...c.timeline].reverse();
  return (
    <View
      className={`card stack cc-card${isLive(c) ? ' vs-live' : ''}`}
      data-testid={`staff-emergency-${c.id}`}
    >
      <View className="cc-head">
        <Text className="card__title">{c.elderName}</Text>
        <Text className={`tag tag--${emergencyTone(c.status)}`}>{emergencyStatusText(c)}</Text>
      </View>
      {c.testMode ? <Text className="vs-drill">演练，非真实求助</Text> : null}
      <Text className="cc-line cc-strong">{headlineText(c)}</Text>
      {c.address ? <Text className="cc-line">{`地址：${c.address}`}</Text> : null}
      {c.phone ? (
        <Text
          {...tappable()}
          className="cc-line tap-text"
          onClick={() => void Taro.makePhoneCall({ phoneNumber: c.phone! }).catch(() => undefined)}
        >
          {`电话：${c.phone}（点击拨打）`}
        </Text>
      ) : null}
      <Text className="muted">
        {`发起：${formatDisplayTime(c.createdAt)}${c.round > 0 ? ` · 已扩大通知 ${c.round} 轮` : ''}`}
      </Text>
      {c.responderName ? (
        <Text className="cc-line">{`响应志愿者：${c.responderName}${c.answeredAt ? `（${eventTime(c.answeredAt)}）` : ''}`}</Text>
      ) : null}
      {c.acknowledgedByName ? (
        <Text className="cc-line">{`处置人：${c.acknowledgedByName}${c.acknowledgedAt ? `（${eventTime(c.acknowledgedAt)}）` : ''}`}</Text>
      ) : null}

      <View className="vs-timeline" data-testid={`staff-emergency-timeline-${c.id}`}>
        {(showAll ? timeline : timeline.slice(0, 2)).map((ev) => (
          <Text
            key={`${ev.at}-${ev.kind}-${ev.who ?? ''}-${ev.channel ?? ''}-${ev.round}`}
            className="cc-line"
          >{`${eventTime(ev.at)} ${eventText(ev)}`}</Text>
        ))}
        {timeline.length === 0 ? <Text className="muted">暂无记录</Text> : null}
      </View>
      {!showAll && timeline.length > 2 ? (
        <Btn variant="ghost small" onClick={() => setShowAll(true)}>
          {`查看全部 ${timeline.length} 条记录`}
        </Btn>
      ) : null}

      {c.can.acknowledge || c.can.resolve ? (
        <View className="cc-actions">
          {c.can.acknowledge ? (
            <Btn
              disabled={action.busy}
              onClick={() => void acknowledge()}
              testId={`staff-emergency-ack-${c.id}`}
            >
              {action.runningKey === 'ack' ? '提交中…' : '确认处置'}
            </Btn>
          ) : null}
          {c.can.resolve ? (
            <Btn
              variant="ghost"
              onClick={() => setResolving(!resolving)}
              testId={`staff-emergency-resolve-open-${c.id}`}
            >
              解除
            </Btn>
          ) : null}
        </View>
      ) : null}
      {resolving ? (
        <View className="cc-edit stack vs-edit">
          <Field label="处置说明（选填）">
            <TextInput
              value={note}
              onChange={setNote}
              placeholder="如：已电话联系，老人误触，平安"
              maxLength={300}
              testId={`staff-emergency-note-${c.id}`}
            />
          </Field>
          <Btn
            disabled={action.busy}
            onClick={() => void resolve()}
            testId={`staff-emergency-resolve-${c.id}`}
          >
            {action.runningKey === 'resolve' ? '提交中…' : '确认解除'}
          </Btn>
        </View>
      ) : null}
      {action.error ? <Text className="state__message">{action.error}</Text> : null}
    </View>
  );
}

import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import type { EmergencyCall } from 'shared';
import { call } from '../api';
import {
  emergencyStatusText,
  emergencyTone,
  eventText,
  eventTime,
  headlineText,
  isLive,
} from '../common/emergency-text';
import { Btn } from '../components/Btn';
import { Page } from '../components/Page';
import { useAction } from '../hooks/use-action';
import { useApi } from '../hooks/use-api';
import { usePoll } from '../hooks/use-poll';
import { describeHelpError, InlineConfirm } from './ui';
import './help.scss';
import './help-elder.scss';

/** The call after 一键求助 (?id=): what is happening now, in one big line, and who was told. */
export default function HelpEmergencyPage() {
  const { id = '' } = useRouter().params;
  const state = useApi(() => call('elderEmergency', { params: { id } }), { key: id, refreshOnShow: true });
  const [answered, setAnswered] = useState<EmergencyCall | undefined>(undefined);
  useEffect(() => setAnswered(state.data), [state.data]);
  const c = answered ?? state.data;
  // While it is live the person who pressed the button watches this page: look every few seconds.
  usePoll(state.reload, 4_000, !!c && isLive(c));

  return (
    <Page name="help-emergency" state={state}>
      {c ? (
        <>
          {c.testMode ? (
            <Text className="hp-drill-banner" data-testid="help-emergency-drill">
              这是一次演练，不是真的求助
            </Text>
          ) : null}
          <View className="card stack hp-card" data-testid="help-emergency-head">
            <Text className={`tag tag--${emergencyTone(c.status)}`} data-testid="help-emergency-status">
              {emergencyStatusText(c)}
            </Text>
            <Text className="hp-headline" data-testid="help-emergency-headline">
              {headlineText(c)}
            </Text>
            {c.responderName ? <Text className="hp-line">{`响应的志愿者：${c.responderName}`}</Text> : null}
            {c.acknowledgedByName ? (
              <Text className="hp-line">{`社区处置人：${c.acknowledgedByName}`}</Text>
            ) : null}
            {isLive(c) ? <Text className="muted">页面会自动刷新，请保持手机在身边</Text> : null}
          </View>

          {c.can.cancel ? <CancelCall call={c} onDone={setAnswered} /> : null}

          <View className="card stack hp-card" data-testid="help-emergency-timeline">
            <Text className="card__title">通知记录</Text>
            {c.timeline.length === 0 ? <Text className="muted">正在通知…</Text> : null}
            {[...c.timeline].reverse().map((ev) => (
              <View
                key={`${ev.at}-${ev.kind}-${ev.who ?? ''}-${ev.channel ?? ''}-${ev.round}`}
                className="hp-item"
              >
                <Text className="hp-line">{eventText(ev)}</Text>
                <Text className="muted">{`${eventTime(ev.at)}${ev.round > 0 ? ` · 第 ${ev.round + 1} 轮` : ''}`}</Text>
              </View>
            ))}
          </View>
        </>
      ) : null}
    </Page>
  );
}

/** 误触，取消求助: one tap opens the question, a second large tap cancels. */
function CancelCall({ call: c, onDone }: { call: EmergencyCall; onDone: (c: EmergencyCall) => void }) {
  const [open, setOpen] = useState(false);
  const action = useAction(describeHelpError);
  const cancel = () =>
    action.run(async () => {
      onDone(await call('cancelEmergency', { params: { id: c.id }, body: { note: '误触' } }));
      setOpen(false);
      void Taro.showToast({ title: '已取消求助', icon: 'none' });
    });
  return (
    <View className="hp-block" data-testid="help-emergency-cancel-area">
      {open ? (
        <InlineConfirm
          question="确定取消求助吗？将告诉大家您没事了。"
          confirmText="确定，我没事"
          cancelText="不取消"
          busy={action.busy}
          onConfirm={() => void cancel()}
          onCancel={() => setOpen(false)}
          testId="help-emergency-cancel-confirm"
        />
      ) : (
        <Btn variant="ghost" onClick={() => setOpen(true)} testId="help-emergency-cancel">
          误触，取消求助
        </Btn>
      )}
      {action.error ? <Text className="hp-error">{action.error}</Text> : null}
    </View>
  );
}

import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import type { EmergencyCall } from 'shared';
import { call } from '../api';
import { Btn } from '../components/Btn';
import { Page } from '../components/Page';
import { useAction } from '../hooks/use-action';
import { useApi } from '../hooks/use-api';
import { usePullRefresh } from '../hooks/use-pull-refresh';
import { emergencyStage, stageText, timelineLines } from './emergency-model';
import { isCode, volunteerErrorText } from './errors';
import { whenText } from './labels';
import '../common/care-console.scss';
import '../common/care-console-elder.scss';
import './volunteer.scss';
import './volunteer-elder.scss';

/** While the call is live the page keeps up on its own: every 15 s. */
const POLL_MS = 15_000;

/** 紧急求助: for a volunteer told of an emergency — 我去帮忙, then the address and phone. */
export default function VolunteerEmergencyPage() {
  const id = useRouter().params.id ?? '';
  // There is no single-call route for volunteers: the call is read from the list they were told of.
  const state = useApi(() => call('volunteerEmergencies'), { refreshOnShow: true });
  const [answered, setAnswered] = useState<EmergencyCall | null>(null);
  const [lost, setLost] = useState(false);
  const { busy, error, run } = useAction((err) =>
    volunteerErrorText(err, { EMERGENCY_ANSWERED: '已有志愿者响应了这次求助，感谢您' }),
  );
  usePullRefresh(state.reload);

  const listed = state.data?.items.find((c) => c.id === id) ?? null;
  // The answer's own view has the address; a later list read may not repeat it.
  const c: EmergencyCall | null =
    answered && listed
      ? { ...listed, address: listed.address ?? answered.address, phone: listed.phone ?? answered.phone }
      : (listed ?? answered);
  const stage = c ? (lost ? 'taken' : emergencyStage(c, answered !== null)) : null;

  const live = c !== null && stage !== 'closed';
  const { reload } = state;
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => void reload(), POLL_MS);
    return () => clearInterval(timer);
  }, [live, reload]);

  async function answer() {
    let taken = false;
    const next = await run(async () => {
      try {
        return await call('answerEmergency', { params: { id }, body: {} });
      } catch (err) {
        taken = isCode(err, 'EMERGENCY_ANSWERED');
        throw err;
      }
    });
    if (taken) {
      setLost(true);
      await state.reload();
      return;
    }
    if (next) {
      setAnswered(next);
      void Taro.showToast({ title: '已响应，请尽快前往', icon: 'none' });
      await state.reload();
    }
  }

  return (
    <Page name="volunteer-emergency" state={state}>
      {state.data && !c ? (
        <View className="card stack cc-card" data-testid="emergency-gone">
          <Text className="card__title">求助已结束</Text>
          <Text className="cc-line">这次紧急求助已解除或已由社区处置，感谢您的关注。</Text>
        </View>
      ) : null}
      {c && stage ? (
        <>
          <View className="vol-alert" data-testid="emergency-head">
            <Text className="vol-alert__title">{`${c.testMode ? '【演练】' : ''}${c.elderName}的紧急求助`}</Text>
            <Text className="vol-alert__line">{`${whenText(c.createdAt)} 发出`}</Text>
            <Text className="vol-alert__line" data-testid="emergency-stage">
              {stageText(c, stage)}
            </Text>
          </View>
          {stage === 'open' ? (
            <View className="card stack cc-card">
              <Text className="cc-line">
                如果您现在能赶过去，请点「我去帮忙」。响应后会显示长者的地址和电话，社区工作人员也会同时收到。
              </Text>
              <Btn variant="danger" disabled={busy} onClick={() => void answer()} testId="emergency-answer">
                {busy ? '提交中…' : '我去帮忙'}
              </Btn>
              {error ? <Text className="state__message">{error}</Text> : null}
            </View>
          ) : null}
          {stage === 'taken' ? (
            <Text className="cc-ok" data-testid="emergency-taken">
              已有志愿者响应
            </Text>
          ) : null}
          {stage === 'mine' ? (
            <View className="card stack cc-card" data-testid="emergency-contact">
              <Text className="card__title">长者住址</Text>
              <Text className="cc-line cc-strong" data-testid="emergency-address">
                {c.address ?? '地址暂未获取，请联系社区工作人员'}
              </Text>
              {c.phone ? (
                <>
                  <Text className="cc-line">{`电话：${c.phone}`}</Text>
                  <Btn
                    onClick={() => void Taro.makePhoneCall({ phoneNumber: c.phone! }).catch(() => undefined)}
                    testId="emergency-call"
                  >
                    拨打电话
                  </Btn>
                </>
              ) : null}
              <Text className="muted">情况危急请先拨打 120。到达后请联系社区工作人员说明情况。</Text>
            </View>
          ) : null}
          {c.timeline.length ? (
            <View className="card stack cc-card" data-testid="emergency-timeline">
              <Text className="card__title">经过</Text>
              <View className="vol-timeline">
                {timelineLines(c.timeline).map((l) => (
                  <View key={l.key} className="vol-timeline__item">
                    <Text className="muted">{l.when}</Text>
                    <Text className="cc-line">{l.text}</Text>
                  </View>
                ))}
              </View>
            </View>
          ) : null}
        </>
      ) : null}
    </Page>
  );
}

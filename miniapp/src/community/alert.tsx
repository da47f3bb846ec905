import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { type Alert, PAGES } from 'shared';
import { call } from '../api';
import { Btn } from '../components/Btn';
import { Page } from '../components/Page';
import { useAction } from '../hooks/use-action';
import { useApi } from '../hooks/use-api';
import { askToSubscribe, prefetchSubscribeTemplates } from '../notify/subscribe';
import { communityErrorText, goneText } from './errors';
import { shortTime } from './labels';
import { withCopy } from './ui';
import './community.scss';
import './community-elder.scss';

/** Back where the resident came from; 首页 when the alert was opened from a push (no page behind). */
function leave() {
  if (Taro.getCurrentPages().length > 1) void Taro.navigateBack();
  else void Taro.switchTab({ url: PAGES.home });
}

/** 紧急通知 in full, in large type; 我知道了 acknowledges it and takes the banner off 首页. */
export default function CommunityAlertPage() {
  const id = useRouter().params.id ?? '';
  const state = useApi(() => call('communityAlert', { params: { id } }), { key: id });
  const [acked, setAcked] = useState<Alert | null>(null);
  const action = useAction(communityErrorText);
  const a = acked ?? state.data;
  useEffect(() => {
    void prefetchSubscribeTemplates();
  }, []);

  const ack = async () => {
    // Inside the tap, before any await: the next alert can then reach WeChat too, not only the inbox.
    void askToSubscribe(['orderStatus']);
    const next = await action.run(() => call('acknowledgeAlert', { params: { id }, body: {} }));
    if (next) {
      setAcked(next);
      void Taro.showToast({ title: '已确认收到', icon: 'none' });
    }
  };

  return (
    <Page name="communityAlert" state={withCopy(state, goneText('紧急通知'))}>
      {a ? (
        <View className="card stack cm-alert" data-testid="alert-detail">
          <Text className="cm-alert__label">紧急通知</Text>
          <Text className="cm-alert__text" data-testid="alert-text">
            {a.text}
          </Text>
          <Text className="cm-alert__meta">{`社区发布于 ${shortTime(a.createdAt)}`}</Text>
          {a.withdrawnAt ? <Text className="cm-alert__meta">这条通知已由社区撤回</Text> : null}
          {action.error ? (
            <Text className="state__message" data-testid="alert-error">
              {action.error}
            </Text>
          ) : null}
          {a.acknowledgedAt ? (
            <>
              <Text className="cm-alert__meta" data-testid="alert-acked">
                {`您已于 ${shortTime(a.acknowledgedAt)} 确认收到`}
              </Text>
              <Btn variant="ghost" onClick={leave} testId="alert-back">
                返回
              </Btn>
            </>
          ) : (
            <Btn variant="danger" disabled={action.busy} onClick={() => void ack()} testId="alert-ack">
              {action.busy ? '提交中…' : '我知道了'}
            </Btn>
          )}
        </View>
      ) : null}
    </Page>
  );
}

import { Text, View } from '@tarojs/components';
import { call, tokens } from '../api';
import { Page } from '../components/Page';
import { useApi } from '../hooks/use-api';
import { FamilyRequests } from './FamilyRequests';
import { LinkElderForm } from './LinkElderForm';
import { MyElders } from './MyElders';
import './family.scss';

/**
 * 家属代办: as a family member, link elders and act for them; as an elder, answer requests, end
 * links and read what family members did. One person can be both.
 */
export default function FamilyPage() {
  const state = useApi(() => call('proxyLinks'), { refreshOnShow: true });
  // proxy-links never takes X-On-Behalf-Of, so "me" is always the signed-in person.
  const myId = tokens.get()?.userId ?? '';
  const items = state.data?.items ?? [];
  const asFamily = items.filter((l) => l.proxy.id === myId);
  const asElder = items.filter((l) => l.elder?.id === myId && l.consentStatus !== 'revoked');
  const everElder = items.some((l) => l.elder?.id === myId);

  return (
    <Page name="family" state={state}>
      {state.data ? (
        <>
          {everElder ? <FamilyRequests links={asElder} onChanged={state.reload} /> : null}
          {/* An elder answering their family is not offered 添加长辈 (unless they act for someone too). */}
          {everElder && asFamily.length === 0 ? null : <MyElders links={asFamily} onChanged={state.reload} />}
          {asFamily.some((l) => l.consentStatus === 'granted') ? (
            <View className="card stack" data-testid="family-care">
              <Text className="card__title">居家养老服务</Text>
              <Text className="muted">
                点「为TA代办」后，在首页进入「居家养老服务」，即可为长辈预约上门服务、订餐，查看服务记录和谁查看了长辈的信息。
              </Text>
            </View>
          ) : null}
          {everElder && asFamily.length === 0 ? null : <LinkElderForm onLinked={state.reload} />}
        </>
      ) : null}
    </Page>
  );
}

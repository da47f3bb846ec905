import { Text, View } from '@tarojs/components';
import type { ProxyLink } from 'shared';
import { call } from '../api';
import { confirm } from '../common/confirm';
import { Btn } from '../components/Btn';
import { startActingFor } from '../session/session';
import { ConsentTag } from './ConsentTag';
import { EmptyNote } from './EmptyNote';
import { useLinkAction } from './use-link-action';

/** Who a link is with, as the family member may know it: the elder's name only once they agreed. */
const elderLabel = (link: ProxyLink) => link.elder?.name ?? `手机号 ${link.elderPhone}`;

/** As a family member: the elders I asked to act for, 为TA代办 once they agreed, and 解除. */
export function MyElders({ links, onChanged }: { links: ProxyLink[]; onChanged: () => Promise<void> }) {
  const { busyId, error, run } = useLinkAction(onChanged);

  const revoke = async (link: ProxyLink) => {
    if (!(await confirm('解除代办', `解除后将不能再为${elderLabel(link)}代办，确定吗？`))) return;
    await run(link.id, () => call('revokeProxyLink', { params: { id: link.id }, body: {} }));
  };

  return (
    <View className="card" data-testid="my-elders">
      <Text className="card__title">我代办的长辈</Text>
      {links.length === 0 ? <EmptyNote text="还没有关联长辈" /> : null}
      {error ? <Text className="state__message">{`操作失败：${error}`}</Text> : null}
      {links.map((link) => (
        <View key={link.id} className="link-item stack" data-testid={`elder-link-${link.id}`}>
          <View className="row">
            <Text className="link-item__name">{`${elderLabel(link)}（我是${link.relationship}）`}</Text>
            <ConsentTag status={link.consentStatus} />
          </View>
          {link.consentStatus === 'pending' ? (
            <Text className="muted">
              已发送申请。若该号码是已登记的长辈，TA
              会收到确认请求；长辈不方便用手机时，可请社区工作人员上门确认。
            </Text>
          ) : null}
          {link.consentStatus !== 'revoked' ? (
            <View className="row row--end">
              {link.consentStatus === 'granted' && link.elder ? (
                <Btn
                  variant="small"
                  disabled={busyId !== null}
                  onClick={() =>
                    link.elder && void startActingFor({ elderId: link.elder.id, name: link.elder.name })
                  }
                  testId="act-for"
                >
                  为TA代办
                </Btn>
              ) : null}
              <Btn
                variant="ghost small"
                disabled={busyId !== null}
                onClick={() => void revoke(link)}
                testId="revoke-link"
              >
                解除
              </Btn>
            </View>
          ) : null}
        </View>
      ))}
    </View>
  );
}

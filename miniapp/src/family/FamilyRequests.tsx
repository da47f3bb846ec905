import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { ProxyLink } from 'shared';
import { PAGES } from 'shared';
import { call } from '../api';
import { confirm } from '../common/confirm';
import { tappable } from '../components/a11y';
import { Btn } from '../components/Btn';
import { familyMemberLabel } from './audit-labels';
import { ConsentTag } from './ConsentTag';
import { EmptyNote } from './EmptyNote';
import { useLinkAction } from './use-link-action';

const who = (link: ProxyLink) => familyMemberLabel(link.proxy.name, link.relationship);

/** As an elder: family members asking to act for me (同意 / 拒绝), those who may (解除), 代办记录. */
export function FamilyRequests({ links, onChanged }: { links: ProxyLink[]; onChanged: () => Promise<void> }) {
  const { busyId, error, run } = useLinkAction(onChanged);
  const pending = links.filter((l) => l.consentStatus === 'pending');
  const granted = links.filter((l) => l.consentStatus === 'granted');

  const consent = (link: ProxyLink) =>
    run(link.id, async () => {
      await call('consentProxyLink', { params: { id: link.id }, body: {} });
      void Taro.showToast({ title: '已同意', icon: 'success' });
    });
  const end = async (link: ProxyLink, title: string) => {
    if (!(await confirm(title, `${who(link)}将不能再为您代办，确定吗？`))) return;
    await run(link.id, () => call('revokeProxyLink', { params: { id: link.id }, body: {} }));
  };

  return (
    <>
      <View className="card" data-testid="family-requests">
        <Text className="card__title">家属的代办申请</Text>
        {pending.length === 0 ? <EmptyNote text="没有待确认的申请" /> : null}
        {pending.map((link) => (
          <View key={link.id} className="link-item stack" data-testid={`family-request-${link.id}`}>
            <Text>{`${who(link)}申请为您代办社区服务`}</Text>
            {/* A name may be unset or anyone's; the number tells the elder who is really asking. */}
            {link.proxy.phoneMasked ? (
              <Text
                className="muted"
                data-testid="request-phone"
              >{`来自手机号 ${link.proxy.phoneMasked}，不认识请拒绝`}</Text>
            ) : null}
            <View className="row row--end">
              <Btn
                variant="small"
                disabled={busyId !== null}
                onClick={() => void consent(link)}
                testId="consent-link"
              >
                同意
              </Btn>
              <Btn
                variant="ghost small"
                disabled={busyId !== null}
                onClick={() => void end(link, '拒绝申请')}
                testId="decline-link"
              >
                拒绝
              </Btn>
            </View>
          </View>
        ))}
      </View>

      <View className="card" data-testid="my-family">
        <Text className="card__title">为我代办的家属</Text>
        {granted.length === 0 ? <EmptyNote text="还没有家属为您代办" /> : null}
        {error ? <Text className="state__message">{`操作失败：${error}`}</Text> : null}
        {granted.map((link) => (
          <View key={link.id} className="row link-item" data-testid={`family-member-${link.id}`}>
            <Text className="link-item__name">{who(link)}</Text>
            <ConsentTag status="granted" />
            <Btn
              variant="ghost small"
              disabled={busyId !== null}
              onClick={() => void end(link, '解除代办')}
              testId="revoke-family"
            >
              解除
            </Btn>
          </View>
        ))}
        <View
          {...tappable()}
          className="link-row"
          onClick={() => Taro.navigateTo({ url: PAGES.familyAudit })}
          data-testid="open-audit"
        >
          <Text>代办记录</Text>
          <Text className="muted">›</Text>
        </View>
      </View>
    </>
  );
}

import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { EMERGENCY_STATUS_LABELS, type EmergencyCall, PAGES, type Role } from 'shared';
import { headlineText } from '../../common/emergency-text';
import './emergency-banner.scss';
import './emergency-banner-elder.scss';
import { tappable } from '../../components/a11y';

/** Where a tap on a live call leads: staff to their console, the volunteer asked to their page, the elder's side to the call. */
function targetOf(c: EmergencyCall, roles: readonly Role[], elderSide: boolean): string | null {
  if (roles.includes('staff')) return PAGES.staffEmergencies;
  if (elderSide) return `${PAGES.helpEmergency}?id=${c.id}`;
  if (roles.includes('volunteer')) return `${PAGES.volunteerEmergency}?id=${c.id}`;
  return null;
}

/**
 * 首页's red strip for live 一键求助 calls the person was told of (family, staff, volunteers). It
 * works with no subscribe-message quota: the app asks the BFF each time it is shown.
 */
export function EmergencyBanner({
  calls,
  roles,
  elderSide,
}: {
  calls: EmergencyCall[];
  roles: readonly Role[];
  elderSide: boolean;
}) {
  return (
    <View data-testid="home-emergency">
      {calls.map((c) => {
        const url = targetOf(c, roles, elderSide);
        return (
          <View
            {...(url ? tappable() : {})}
            key={c.id}
            className="sos-banner"
            onClick={url ? () => void Taro.navigateTo({ url }) : undefined}
            data-testid={`home-emergency-${c.id}`}
          >
            <Text className="sos-banner__title">
              {`${c.testMode ? '【演练】' : ''}${c.elderName} ${EMERGENCY_STATUS_LABELS[c.status]}`}
            </Text>
            <Text className="sos-banner__text">{headlineText(c)}</Text>
            {c.address ? <Text className="sos-banner__text">{`地址：${c.address}`}</Text> : null}
            {c.phone ? (
              <Text
                {...tappable()}
                className="sos-banner__text tap-text"
                onClick={(e) => {
                  e.stopPropagation();
                  void Taro.makePhoneCall({ phoneNumber: c.phone! }).catch(() => undefined);
                }}
              >
                {`电话：${c.phone}（点击拨打）`}
              </Text>
            ) : null}
            {url ? <Text className="sos-banner__text">查看详情 ›</Text> : null}
          </View>
        );
      })}
    </View>
  );
}

import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { PAGES, REQUEST_CATEGORY_LABELS } from 'shared';
import { call } from '../../api';
import { Btn } from '../../components/Btn';
import { Page } from '../../components/Page';
import { StatusTag } from '../../components/StatusTag';
import { useApi } from '../../hooks/use-api';
import { usePoll } from '../../hooks/use-poll';
import { useActingFor } from '../../session/use-acting-for';
import { CommunityAlertBanner, CommunityCard } from './CommunityHome';
import { EmergencyBanner } from './EmergencyBanner';
import { greeting } from './greeting';
import { LinkedElders } from './LinkedElders';

export default function HomePage() {
  const me = useApi(() => call('me'), { refreshOnShow: true });
  const banner = useApi(() => call('emergencyBanner'), { refreshOnShow: true });
  const acting = useActingFor();
  const data = me.data;
  // Someone the user is told of pressed 一键求助: keep the banner current while one is live.
  usePoll(banner.reload, 15_000, (banner.data?.items.length ?? 0) > 0);
  const verified = data?.memberships.find((m) => m.status === 'approved');
  const pending = data?.memberships.find((m) => m.status === 'pending');

  return (
    <Page name="home" state={me}>
      {data ? (
        <>
          {/* 紧急通知 from the community office: above everything while unacknowledged. */}
          {verified ? <CommunityAlertBanner /> : null}
          {banner.data?.items.length ? (
            <EmergencyBanner calls={banner.data.items} roles={data.roles} elderSide={data.user.isElder} />
          ) : null}
          <View className="card">
            <Text className="card__title" data-testid="home-greeting">
              {data.user.name ? `${greeting(new Date())}，${data.user.name}` : `${greeting(new Date())}！`}
            </Text>
            {data.user.name ? null : (
              <Text
                className="muted"
                onClick={() => void Taro.switchTab({ url: PAGES.mine })}
                data-testid="home-set-name"
              >
                还没有称呼，去「我的」设置一下，方便邻居和工作人员认出您 ›
              </Text>
            )}
            {verified ? (
              <View className="stack">
                <Text className="muted">我的住址</Text>
                <Text data-testid="home-household">{verified.address}</Text>
              </View>
            ) : pending ? (
              <View className="stack">
                <View className="row">
                  <Text>{pending.address}</Text>
                  <StatusTag status="pending" />
                </View>
                <Text className="muted">住户认证审核中，通过后即可使用社区服务。</Text>
              </View>
            ) : (
              <View className="stack">
                <Text>认证住户后，即可使用集市、代收等社区服务。</Text>
                <Btn onClick={() => Taro.navigateTo({ url: PAGES.membership })}>申请住户认证</Btn>
              </View>
            )}
          </View>

          {/* An elder, or a family member acting for one: help from neighbours, and the alarm. */}
          {data.user.isElder ? (
            <View className="card stack" data-testid="home-help">
              <Btn
                variant="danger"
                onClick={() => void Taro.navigateTo({ url: PAGES.help })}
                testId="home-help-sos"
              >
                一键求助
              </Btn>
              <View
                className="link-row"
                onClick={() => void Taro.navigateTo({ url: PAGES.help })}
                data-testid="home-help-open"
              >
                <Text>邻里互助</Text>
                <Text className="muted">请志愿者帮忙、报平安 ›</Text>
              </View>
            </View>
          ) : null}

          <View className="card">
            <View
              className="link-row"
              onClick={() => Taro.navigateTo({ url: PAGES.inbox })}
              data-testid="home-inbox"
            >
              <Text>消息通知</Text>
              {data.unreadNotifications > 0 ? (
                <Text className="badge" data-testid="home-unread">
                  {`${data.unreadNotifications} 条未读`}
                </Text>
              ) : (
                <Text className="muted">暂无未读</Text>
              )}
            </View>
          </View>

          {/* 社区公告, 社区活动, 议事, 兴趣小组: for verified members of a community. */}
          {verified ? <CommunityCard /> : null}

          {/* 有事找社区 (resident requests): raise one, or follow those raised. */}
          {verified ? (
            <View className="card stack" data-testid="home-requests">
              <Text className="card__title">有事找社区</Text>
              {/* The form's own categories, so the promise matches what can be chosen there. */}
              <Text className="muted">{`${Object.values(REQUEST_CATEGORY_LABELS).join('、')}都可以反映`}</Text>
              {/* Each button in a View: `.btn` resets the margin `.stack` puts between them. */}
              <View>
                <Btn
                  onClick={() => void Taro.navigateTo({ url: PAGES.requestNew })}
                  testId="home-request-new"
                >
                  我要反映
                </Btn>
              </View>
              <View>
                <Btn
                  variant="ghost"
                  onClick={() => void Taro.navigateTo({ url: PAGES.requests })}
                  testId="home-requests-mine"
                >
                  我的诉求
                </Btn>
              </View>
            </View>
          ) : null}

          <View className="card" data-testid="home-care">
            <View
              className="link-row"
              onClick={() => void Taro.navigateTo({ url: PAGES.care })}
              data-testid="home-care-catalog"
            >
              <Text>居家养老服务</Text>
              <Text className="muted">助浴 助洁 助医 助餐 ›</Text>
            </View>
            <View
              className="link-row"
              onClick={() => void Taro.navigateTo({ url: PAGES.careDashboard })}
              data-testid="home-care-dashboard"
            >
              <Text>我的养老服务</Text>
              <Text className="muted">预约、服务券、订餐 ›</Text>
            </View>
          </View>

          {/* Not while acting; an elder finds 成为志愿者 under 我的, so 首页 stays short for them. */}
          {acting || (data.user.isElder && !data.roles.includes('volunteer')) ? null : (
            <View className="card" data-testid="home-volunteer">
              {data.roles.includes('volunteer') ? (
                <View
                  className="link-row"
                  onClick={() => void Taro.navigateTo({ url: PAGES.volunteerHome })}
                  data-testid="home-volunteer-home"
                >
                  <Text>志愿服务</Text>
                  <Text className="muted">接单、活动、时间银行 ›</Text>
                </View>
              ) : (
                <View
                  className="link-row"
                  onClick={() => void Taro.navigateTo({ url: PAGES.volunteerApply })}
                  data-testid="home-volunteer-apply"
                >
                  <Text>成为志愿者</Text>
                  <Text className="muted">帮帮身边的老人 ›</Text>
                </View>
              )}
            </View>
          )}

          {data.elders.length > 0 ? <LinkedElders elders={data.elders} /> : null}
        </>
      ) : null}
    </Page>
  );
}

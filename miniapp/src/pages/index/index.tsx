import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { PAGES } from 'shared';
import { call } from '../../api';
import { tappable } from '../../components/a11y';
import { Btn } from '../../components/Btn';
import { Page } from '../../components/Page';
import { StatusTag } from '../../components/StatusTag';
import { useApi } from '../../hooks/use-api';
import { usePoll } from '../../hooks/use-poll';
import { useActingFor } from '../../session/use-acting-for';
import { CommunityAlertBanner, CommunityCard } from './CommunityHome';
import { EmergencyBanner } from './EmergencyBanner';
import { greeting } from './greeting';
import { elderEntries, offersHousehold, residentEntries } from './home-model';
import { LinkedElders } from './LinkedElders';
import { ActiveOrdersCard, EntryGrid, LockerPickupCard, NextWindowCard } from './ResidentHome';
import { CourierToday, ShopDesk, StaffQueues } from './WorkHome';
// Order and batch status tags and .warn, as on the 订单 tab.
import '../../market/market.scss';
import '../../market/market-elder.scss';
import './home.scss';
import './home-elder.scss';

/**
 * 首页: what each person opens the app for, from one read (GET /v1/home). A resident's locker
 * order comes first, then the next delivery window and orders on the way; an elder (or a family
 * member acting for one) gets the same with four big entries; a merchant, courier or staff member
 * gets their day's work above the rest.
 */
export default function HomePage() {
  const home = useApi(() => call('home'), { refreshOnShow: true });
  const banner = useApi(() => call('emergencyBanner'), { refreshOnShow: true });
  const acting = useActingFor();
  const data = home.data;
  // Someone the user is told of pressed 一键求助: keep the banner current while one is live.
  usePoll(banner.reload, 15_000, (banner.data?.items.length ?? 0) > 0);
  const me = data?.me;
  const verified = me?.memberships.find((m) => m.status === 'approved');
  const pending = me?.memberships.find((m) => m.status === 'pending');
  const r = data?.resident ?? null;
  // The elder's own home, or a family member's acting for them: fewest choices, biggest targets.
  const elderHome = Boolean(me?.user.isElder || acting);
  // Someone who comes here to work sees their work first; living here is offered further down.
  const works = Boolean(data?.staff || data?.merchant || data?.courier);

  return (
    <Page name="home" state={home}>
      {data && me ? (
        <>
          {/* 紧急通知 from the community office: above everything while unacknowledged. */}
          {verified ? <CommunityAlertBanner /> : null}
          {banner.data?.items.length ? (
            <EmergencyBanner calls={banner.data.items} roles={me.roles} elderSide={me.user.isElder} />
          ) : null}

          {r?.lockerOrders.length ? <LockerPickupCard orders={r.lockerOrders} /> : null}

          <View className="card">
            <Text className="card__title" data-testid="home-greeting">
              {me.user.name ? `${greeting(new Date())}，${me.user.name}` : `${greeting(new Date())}！`}
            </Text>
            {me.user.name ? null : (
              <Text
                className="muted"
                onClick={() => void Taro.switchTab({ url: PAGES.mine })}
                {...tappable()}
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
            ) : r && offersHousehold(me.roles) && !works ? (
              <View className="stack" data-testid="home-verify">
                <Text>认证住户后，即可在集市下单送到小区生鲜柜，参加社区活动、反映诉求。</Text>
                <Btn
                  onClick={() => void Taro.navigateTo({ url: PAGES.membership })}
                  testId="home-verify-start"
                >
                  申请住户认证
                </Btn>
              </View>
            ) : null}
          </View>

          {/* Work first for those who come here to work: the shop, the run, the queues. */}
          {data.staff ? <StaffQueues staff={data.staff} /> : null}
          {data.merchant ? <ShopDesk shop={data.merchant} /> : null}
          {data.courier ? <CourierToday courier={data.courier} /> : null}

          {r && elderHome ? (
            <EntryGrid big entries={elderEntries(r.lockerOrders[0]?.orderId ?? null)} />
          ) : null}
          {r?.nextWindow ? <NextWindowCard window={r.nextWindow} /> : null}
          {r?.activeOrders.length ? <ActiveOrdersCard orders={r.activeOrders} /> : null}
          {r && !elderHome ? (
            <EntryGrid
              entries={residentEntries({
                roles: me.roles,
                verified: Boolean(verified),
                acting: Boolean(acting),
              })}
            />
          ) : null}

          {works && r && !verified && !pending && offersHousehold(me.roles) ? (
            <View className="card" data-testid="home-verify">
              <View
                className="link-row"
                onClick={() => void Taro.navigateTo({ url: PAGES.membership })}
                {...tappable()}
                data-testid="home-verify-start"
              >
                <Text>也住在本社区？申请住户认证</Text>
                <Text className="muted">›</Text>
              </View>
            </View>
          ) : null}

          <View className="card">
            <View
              className="link-row"
              onClick={() => void Taro.navigateTo({ url: PAGES.inbox })}
              {...tappable()}
              data-testid="home-inbox"
            >
              <Text>消息通知</Text>
              {me.unreadNotifications > 0 ? (
                <Text className="badge" data-testid="home-unread">
                  {`${me.unreadNotifications} 条未读`}
                </Text>
              ) : (
                <Text className="muted">暂无未读</Text>
              )}
            </View>
          </View>

          {/* 社区公告 and the ways into 社区活动, 议事, 兴趣小组; an elder gets the notices alone. */}
          {r?.notices ? <CommunityCard notices={r.notices} noticesOnly={elderHome} /> : null}

          {me.elders.length > 0 && !acting ? <LinkedElders elders={me.elders} /> : null}
        </>
      ) : null}
    </Page>
  );
}

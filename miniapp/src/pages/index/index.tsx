import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { PAGES } from 'shared';
import { call } from '../../api';
import { Btn } from '../../components/Btn';
import { Page } from '../../components/Page';
import { StatusTag } from '../../components/StatusTag';
import { useApi } from '../../hooks/use-api';
import { greeting } from './greeting';
import { LinkedElders } from './LinkedElders';

export default function HomePage() {
  const me = useApi(() => call('me'), { refreshOnShow: true });
  const data = me.data;
  const verified = data?.memberships.find((m) => m.status === 'approved');
  const pending = data?.memberships.find((m) => m.status === 'pending');

  return (
    <Page name="home" state={me}>
      {data ? (
        <>
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

          {data.elders.length > 0 ? <LinkedElders elders={data.elders} /> : null}
        </>
      ) : null}
    </Page>
  );
}

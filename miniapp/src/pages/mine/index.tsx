import { Switch, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { call } from '../../api';
import { Btn } from '../../components/Btn';
import { Page } from '../../components/Page';
import { useElderMode } from '../../elder/use-elder-mode';
import { useApi } from '../../hooks/use-api';
import { logout, ROLE_TEXT } from '../../session/session';

function LinkRow({
  text,
  url,
  extra,
  testId,
}: {
  text: string;
  url: string;
  extra?: string;
  testId: string;
}) {
  return (
    <View className="link-row" onClick={() => Taro.navigateTo({ url })} data-testid={testId}>
      <Text>{text}</Text>
      <Text className="muted">{extra ?? '›'}</Text>
    </View>
  );
}

export default function MinePage() {
  const me = useApi(() => call('me'), { refreshOnShow: true });
  const [elder, setElder] = useElderMode();
  const data = me.data;

  return (
    <Page name="mine" state={me}>
      {data ? (
        <>
          <View className="card stack" data-testid="mine-profile">
            <Text className="card__title">{data.user.name}</Text>
            <Text className="muted">手机号：{data.user.phoneMasked ?? '未绑定'}</Text>
            <Text className="muted">
              身份：{data.roles.length ? data.roles.map((r) => ROLE_TEXT[r]).join('、') : '暂无'}
            </Text>
          </View>

          <View className="card">
            <LinkRow text="我的住户认证" url="/membership/index" testId="mine-membership" />
            <LinkRow
              text="消息"
              url="/inbox/index"
              extra={data.unreadNotifications > 0 ? `${data.unreadNotifications} 条未读` : undefined}
              testId="mine-inbox"
            />
            {data.roles.includes('staff') ? (
              <LinkRow text="居民审核" url="/staff/memberships" testId="mine-staff-review" />
            ) : null}
          </View>

          <View className="card">
            <View className="row">
              <View>
                <Text>长辈模式</Text>
                <Text className="muted">字更大、按钮更大、对比更清晰</Text>
              </View>
              <Switch
                checked={elder}
                color="#1a7f4b"
                onChange={(e) => setElder(e.detail.value)}
                data-testid="elder-switch"
              />
            </View>
          </View>

          <Btn variant="danger" onClick={() => void logout()} testId="logout">
            退出登录
          </Btn>
        </>
      ) : null}
    </Page>
  );
}

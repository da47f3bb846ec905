import { Text, View } from '@tarojs/components';
import { call } from '../api';
import { Page } from '../components/Page';
import { useApi } from '../hooks/use-api';
import { ConsentCard } from './ConsentCard';

/** 代办确认: pending family-proxy requests of elders in my community, confirmed offline by staff. */
export default function StaffProxyLinksPage() {
  const list = useApi(() => call('staffProxyLinks', { query: { status: 'pending' } }), {
    refreshOnShow: true,
  });

  return (
    <Page name="staff-proxy-links" state={list}>
      <View className="card">
        <Text className="muted">长辈不方便在手机上确认时，上门或签署纸质同意书后在此记录。</Text>
      </View>
      {list.data?.items.length === 0 ? (
        <View className="card">
          <Text className="muted">暂无待确认的代办申请</Text>
        </View>
      ) : null}
      {list.data?.items.map((link) => (
        <ConsentCard key={link.id} link={link} onDone={list.reload} />
      ))}
    </Page>
  );
}

import { Text, View } from '@tarojs/components';
import { formatDisplayTime, type Membership } from 'shared';
import { StatusTag } from '../components/StatusTag';

export function MyRequests({ items }: { items: Membership[] }) {
  return (
    <View className="card" data-testid="my-memberships">
      <Text className="card__title">我的认证申请</Text>
      {items.length === 0 ? <Text className="muted">还没有提交过认证申请。</Text> : null}
      {items.map((m) => (
        <View key={m.id} className="stack membership-item" data-testid={`membership-${m.id}`}>
          <View className="row">
            <Text>{m.address}</Text>
            <StatusTag status={m.status} />
          </View>
          <Text className="muted">{`提交于 ${formatDisplayTime(m.createdAt)}`}</Text>
          {m.reviewNote ? <Text className="muted">{`审核备注：${m.reviewNote}`}</Text> : null}
        </View>
      ))}
    </View>
  );
}

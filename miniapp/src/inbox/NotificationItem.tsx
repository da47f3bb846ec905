import { Text, View } from '@tarojs/components';
import { formatDisplayTime, type Notification } from 'shared';
import { tappable } from '../components/a11y';

export function NotificationItem({
  notification: n,
  onOpen,
}: {
  notification: Notification;
  onOpen: () => void;
}) {
  const unread = !n.readAt;
  return (
    <View
      {...tappable()}
      className={`card stack notification${unread ? ' notification--unread' : ''}`}
      onClick={onOpen}
      data-testid={`notification-${n.id}`}
    >
      <View className="row">
        <View>
          {unread ? <View className="dot" data-testid="unread-dot" /> : null}
          <Text className="card__title notification__title">{n.title}</Text>
        </View>
        <Text className="muted">{unread ? '未读' : '已读'}</Text>
      </View>
      <Text>{n.body}</Text>
      <Text className="muted">{formatDisplayTime(n.createdAt)}</Text>
    </View>
  );
}

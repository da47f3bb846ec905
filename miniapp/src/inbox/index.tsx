import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import type { Notification } from 'shared';
import { call } from '../api';
import { errorMessage } from '../api/errors';
import { Btn } from '../components/Btn';
import { Page } from '../components/Page';
import { useApi } from '../hooks/use-api';
import { resolveLink } from './links';
import { NotificationItem } from './NotificationItem';
import './inbox.scss';

interface Inbox {
  items: Notification[];
  nextCursor: string | null;
  unread: number;
}

/** 消息: my notifications, newest first; tap to read (and open its page), or 全部已读. */
export default function InboxPage() {
  const state = useApi<Inbox>(() => call('notifications', { query: { limit: 20 } }), {
    refreshOnShow: true,
  });
  const [extra, setExtra] = useState<{ items: Notification[]; nextCursor: string | null } | null>(null);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);

  const items = [...(state.data?.items ?? []), ...(extra?.items ?? [])];
  const nextCursor = extra ? extra.nextCursor : (state.data?.nextCursor ?? null);

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setActionError(null);
    try {
      await action();
    } catch (err) {
      setActionError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  const reloadAll = async () => {
    setExtra(null);
    await state.reload();
  };

  const markAll = () =>
    run(async () => {
      await call('markNotificationsRead', { body: { all: true } });
      await reloadAll();
    });

  const open = (n: Notification) =>
    run(async () => {
      if (!n.readAt) {
        await call('markNotificationsRead', { body: { ids: [n.id] } });
        await reloadAll();
      }
      const target = resolveLink(n.link);
      if (target?.kind === 'tab') await Taro.switchTab({ url: target.url });
      else if (target) await Taro.navigateTo({ url: target.url });
    });

  const loadMore = () =>
    run(async () => {
      if (!nextCursor) return;
      const more = await call('notifications', { query: { limit: 20, cursor: nextCursor } });
      setExtra({ items: [...(extra?.items ?? []), ...more.items], nextCursor: more.nextCursor });
    });

  return (
    <Page name="inbox" state={{ ...state, reload: reloadAll }}>
      <View className="card row inbox-header">
        <Text className="inbox-header__text" data-testid="inbox-unread">
          {state.data?.unread ? `${state.data.unread} 条未读` : '没有未读消息'}
        </Text>
        <Btn
          variant="ghost small"
          disabled={busy || !state.data?.unread}
          onClick={() => void markAll()}
          testId="inbox-mark-all"
        >
          全部已读
        </Btn>
      </View>
      {actionError ? <Text className="state__message">{`操作失败：${actionError}`}</Text> : null}
      {items.length === 0 ? (
        <View className="card">
          <Text className="muted">暂无消息</Text>
        </View>
      ) : null}
      {items.map((n) => (
        <NotificationItem key={n.id} notification={n} onOpen={() => void open(n)} />
      ))}
      {nextCursor ? (
        <Btn variant="ghost" disabled={busy} onClick={() => void loadMore()}>
          加载更多
        </Btn>
      ) : null}
    </Page>
  );
}

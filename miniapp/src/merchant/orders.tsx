import { Text, View } from '@tarojs/components';
import { useDidHide, useDidShow } from '@tarojs/taro';
import { useEffect, useRef, useState } from 'react';
import { tappable } from '../components/a11y';
import { Btn } from '../components/Btn';
import { AsyncContent, Page } from '../components/Page';
import { useAction } from '../hooks/use-action';
import { useApi } from '../hooks/use-api';
import { usePullRefresh } from '../hooks/use-pull-refresh';
import { merchantErrorText } from './errors';
import { OrderCard } from './OrderCard';
import { type Loaded, loadTab, ORDER_TABS } from './order-tabs';
import { PickupVerifier } from './PickupVerifier';
import { NoShop, ShopHeader, useMyShop } from './shop';
import { EmptyCard } from './ui';

const POLL_MS = 30_000;

/** 订单管理: incoming orders by status with badges, 核销取货码 on top. */
export default function MerchantOrdersPage() {
  const shop = useMyShop();
  const [tabKey, setTabKey] = useState('paid');
  const tab = ORDER_TABS.find((t) => t.key === tabKey) ?? ORDER_TABS[0]!;
  const list = useApi(() => loadTab(tab), { key: tabKey, refreshOnShow: true });
  const [more, setMore] = useState<Loaded | null>(null);
  const loadingMore = useAction(merchantErrorText);

  // A reload (tab switch, refresh, an action) starts again from the first page.
  // biome-ignore lint/correctness/useExhaustiveDependencies: list.data is the signal to drop extra pages
  useEffect(() => setMore(null), [list.data]);

  // New orders come in while the page is open: look again every 30 s while it is on screen, unless
  // the merchant has paged further down (a reload would drop those pages).
  const paged = useRef(false);
  paged.current = more !== null;
  const visible = useRef(true);
  useDidShow(() => {
    visible.current = true;
  });
  useDidHide(() => {
    visible.current = false;
  });
  useEffect(() => {
    const timer = setInterval(() => {
      if (visible.current && !paged.current) void list.reload();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [list.reload]);

  const reload = async () => {
    await Promise.all([list.reload(), shop.reload()]);
  };
  usePullRefresh(list.reload, shop.reload);

  const items = [...(list.data?.items ?? []), ...(more?.items ?? [])];
  const cursors = more ? more.cursors : (list.data?.cursors ?? {});
  const hasMore = Object.values(cursors).some((c) => c != null);
  const counts = list.data?.counts ?? {};

  const loadMore = () =>
    loadingMore.run(async () => {
      const next = await loadTab(tab, cursors);
      setMore({
        items: [...(more?.items ?? []), ...next.items],
        cursors: { ...cursors, ...next.cursors },
        counts: next.counts,
      });
    });

  return (
    <Page name="merchant-orders" state={shop}>
      {shop.data === null ? <NoShop /> : null}
      {shop.data ? (
        <>
          <ShopHeader shop={shop.data} />
          <PickupVerifier onVerified={reload} />
          <View className="row filter-bar m-head">
            <Text className="card__title">订单</Text>
            <Btn
              variant="ghost small"
              disabled={list.loading}
              onClick={() => void reload()}
              testId="orders-refresh"
            >
              {list.loading ? '刷新中…' : '刷新'}
            </Btn>
          </View>
          <View className="m-tabs" data-testid="order-tabs">
            {ORDER_TABS.map((t) => {
              const n = t.badge ? (counts[t.badge] ?? 0) : 0;
              return (
                <View
                  {...tappable({ pressed: t.key === tabKey })}
                  key={t.key}
                  className={`choice m-tab${t.key === tabKey ? ' choice--selected' : ''}`}
                  onClick={() => setTabKey(t.key)}
                  data-testid={`order-tab-${t.key}`}
                >
                  <Text>{t.label}</Text>
                  {n > 0 ? (
                    <Text className="badge" data-testid={`order-badge-${t.key}`}>
                      {n > 99 ? '99+' : String(n)}
                    </Text>
                  ) : null}
                </View>
              );
            })}
          </View>
          <AsyncContent state={list}>
            {items.length === 0 ? <EmptyCard text={`暂无${tab.label}订单`} /> : null}
            {items.map((o) => (
              <OrderCard key={o.id} order={o} onChanged={reload} />
            ))}
            {loadingMore.error ? <Text className="state__message">{loadingMore.error}</Text> : null}
            {hasMore ? (
              <Btn variant="ghost" disabled={loadingMore.busy} onClick={() => void loadMore()}>
                {loadingMore.busy ? '加载中…' : '加载更多'}
              </Btn>
            ) : null}
          </AsyncContent>
        </>
      ) : null}
    </Page>
  );
}

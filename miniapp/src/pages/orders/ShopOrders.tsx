import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { type ReactNode, useState } from 'react';
import { DELIVERY_MODE_LABELS, formatDisplayTime, formatYuan, type MerchantOrder, PAGES } from 'shared';
import { call } from '../../api';
import { tappable } from '../../components/a11y';
import { Btn } from '../../components/Btn';
import { Page } from '../../components/Page';
import { ToggleButtons } from '../../components/ToggleButtons';
import { useApi } from '../../hooks/use-api';
import { useCursorList } from '../../hooks/use-cursor-list';
import { usePullRefresh } from '../../hooks/use-pull-refresh';
import { useCartBadge } from '../../market/cart';
import { MoreButton } from '../../market/MoreButton';
import { OrderStatusTag } from '../../market/OrderStatusTag';
import { useActingFor } from '../../session/use-acting-for';

export type OrdersView = 'mine' | 'shop';

/**
 * Whether the signed-in person owns a shop, and which list 订单 shows them. A shop owner starts
 * on 店铺订单 (what they come to the tab for) and can switch to 我的购买; while acting for an
 * elder the tab is the elder's purchases only.
 */
export function useOrdersView() {
  const acting = useActingFor();
  const me = useApi(() => call('me'));
  const owner = !acting && (me.data?.roles.includes('merchant') ?? false);
  const [chosen, setChosen] = useState<OrdersView>('shop');
  return { owner, view: owner ? chosen : ('mine' as OrdersView), setView: setChosen };
}

export function OrdersSwitch({ view, setView }: { view: OrdersView; setView: (v: OrdersView) => void }) {
  return (
    <ToggleButtons
      options={[
        { value: 'shop', label: '店铺订单' },
        { value: 'mine', label: '我的购买' },
      ]}
      selected={[view]}
      onToggle={setView}
      testId="orders-view"
    />
  );
}

const COUNTS = [
  { key: 'paid', label: '待接单' },
  { key: 'accepted', label: '备货中' },
  { key: 'packed', label: '已备货' },
  { key: 'refund_requested', label: '退款申请' },
] as const;

/** 店铺订单: the shop's newest orders and what is open, with 商家工作台 one tap away to work them. */
export function ShopOrders({ switcher }: { switcher: ReactNode }) {
  useCartBadge();
  const list = useCursorList((cursor) => call('merchantOrders', { query: { cursor, limit: 20 } }), {
    key: 'shop',
    refreshOnShow: true,
  });
  usePullRefresh(list.reload);
  const counts = list.data && 'counts' in list.data ? (list.data.counts as Record<string, number>) : {};
  const desk = () => void Taro.navigateTo({ url: PAGES.merchantOrders });
  return (
    <Page name="orders" state={list}>
      {switcher}
      <View className="card stack" data-testid="shop-orders-summary">
        <View className="row">
          {COUNTS.map((c) => (
            <View key={c.key} className="shop-orders__count" data-testid={`shop-orders-${c.key}`}>
              <Text className="shop-orders__n">{String(counts[c.key] ?? 0)}</Text>
              <Text className="muted">{c.label}</Text>
            </View>
          ))}
        </View>
        <Btn onClick={desk} testId="shop-orders-desk">
          去商家工作台处理
        </Btn>
      </View>
      {list.items.length === 0 ? (
        <View className="card empty" data-testid="shop-orders-empty">
          <Text>店铺还没有订单</Text>
        </View>
      ) : null}
      {list.items.map((o) => (
        <ShopOrderCard key={o.id} order={o} onOpen={desk} />
      ))}
      <MoreButton list={list} />
    </Page>
  );
}

function ShopOrderCard({ order: o, onOpen }: { order: MerchantOrder; onOpen: () => void }) {
  const first = o.items[0]?.name ?? '';
  const title = o.items.length > 1 ? `${first} 等 ${o.items.length} 件` : first;
  return (
    <View
      className="card stack"
      onClick={onOpen}
      {...tappable({ label: `${o.customer.name}的订单，${title}，去商家工作台处理` })}
      data-testid={`shop-order-${o.id}`}
    >
      <View className="row">
        <Text className="card__title merchant-card__name">{`${o.customer.name}（${o.customer.phoneMasked}）`}</Text>
        <OrderStatusTag order={o} />
      </View>
      <Text className="order-card__title">{title}</Text>
      <View className="row">
        <Text className="muted">{`${DELIVERY_MODE_LABELS[o.delivery.mode]} · ${formatDisplayTime(o.createdAt)}`}</Text>
        <Text className="total">{formatYuan(o.totalFen)}</Text>
      </View>
    </View>
  );
}

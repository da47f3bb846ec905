import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { type ReactNode, useState } from 'react';
import {
  DELIVERY_MODE_LABELS,
  formatDisplayTime,
  formatYuan,
  type OrderStatus,
  type OrderSummary,
  PAGES,
} from 'shared';
import { call } from '../../api';
import { Btn } from '../../components/Btn';
import { Page } from '../../components/Page';
import { useCursorList } from '../../hooks/use-cursor-list';
import { usePullRefresh } from '../../hooks/use-pull-refresh';
import { useCartBadge } from '../../market/cart';
import { FilterChips } from '../../market/FilterChips';
import { MoreButton } from '../../market/MoreButton';
import { ORDER_TABS, OrderStatusTag } from '../../market/OrderStatusTag';
import { OrdersSwitch, ShopOrders, useOrdersView } from './ShopOrders';
import '../../market/market.scss';
import '../../market/market-elder.scss';
import { tappable } from '../../components/a11y';

/** 订单: a shop owner switches between 店铺订单 and 我的购买; everyone else sees their purchases. */
export default function OrdersPage() {
  const v = useOrdersView();
  const switcher = v.owner ? <OrdersSwitch view={v.view} setView={v.setView} /> : null;
  return v.view === 'shop' ? <ShopOrders switcher={switcher} /> : <MyOrders switcher={switcher} />;
}

/** 我的购买: my orders, newest first, filtered by state; tap for the detail. */
function MyOrders({ switcher }: { switcher: ReactNode }) {
  useCartBadge();
  const [tab, setTab] = useState<'' | OrderStatus>('');
  const list = useCursorList(
    (cursor) => call('orders', { query: { status: tab || undefined, cursor, limit: 20 } }),
    { key: tab, refreshOnShow: true },
  );
  usePullRefresh(list.reload);

  return (
    <Page name="orders" state={list}>
      {switcher}
      <FilterChips
        items={ORDER_TABS}
        selected={tab}
        onSelect={(id) => setTab(id as '' | OrderStatus)}
        testId="order-tabs"
      />
      {list.items.length === 0 ? (
        <View className="card stack empty" data-testid="orders-empty">
          <Text>{tab ? '这里还没有订单' : '还没有订单，去集市看看吧'}</Text>
          {tab ? null : (
            <Btn variant="ghost" onClick={() => void Taro.switchTab({ url: PAGES.market })}>
              去集市
            </Btn>
          )}
        </View>
      ) : null}
      {list.items.map((o) => (
        <OrderCard key={o.id} order={o} />
      ))}
      <MoreButton list={list} />
    </Page>
  );
}

function OrderCard({ order: o }: { order: OrderSummary }) {
  return (
    <View
      {...tappable()}
      className="card stack"
      onClick={() => void Taro.navigateTo({ url: `${PAGES.orderDetail}?id=${o.id}` })}
      data-testid={`order-${o.id}`}
    >
      <View className="row">
        <Text className="card__title merchant-card__name">{o.merchant.name}</Text>
        <OrderStatusTag order={o} />
      </View>
      <Text className="order-card__title">{o.title}</Text>
      <Text className="muted" data-testid="order-number">{`订单号 ${o.number}`}</Text>
      <View className="row">
        <Text className="muted">{`${DELIVERY_MODE_LABELS[o.delivery.mode]} · ${formatDisplayTime(o.createdAt)}`}</Text>
        <Text className="total">{formatYuan(o.totalFen)}</Text>
      </View>
      {o.status === 'created' && o.payBy ? (
        <Text className="warn">{`请在 ${formatDisplayTime(o.payBy).slice(11)} 前付款，超时自动取消`}</Text>
      ) : null}
    </View>
  );
}

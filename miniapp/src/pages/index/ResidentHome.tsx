import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { HomeActiveOrder, HomeLockerOrder, HomeResident } from 'shared';
import { DELIVERY_MODE_LABELS, PAGES } from 'shared';
import { tappable } from '../../components/a11y';
import { Btn } from '../../components/Btn';
import { OrderStatusTag } from '../../market/OrderStatusTag';
import { useCountdown } from '../../market/use-countdown';
import { countdownText, dayTime, type HomeEntry } from './home-model';

export const open = (url: string, tab?: boolean) => () =>
  void (tab ? Taro.switchTab({ url }) : Taro.navigateTo({ url }));

/** The order waiting in a locker: where, which door, the code, by when. First thing on 首页. */
export function LockerPickupCard({ orders }: { orders: HomeLockerOrder[] }) {
  return (
    <View className="card stack home-locker" data-testid="home-locker">
      <Text className="card__title">
        {orders.length > 1 ? `有 ${orders.length} 单在生鲜柜等您取` : '您的订单已到生鲜柜'}
      </Text>
      {orders.map((o) => (
        <View
          key={o.orderId}
          className="home-locker__order"
          onClick={open(`${PAGES.orderDetail}?id=${o.orderId}`)}
          {...tappable()}
          data-testid={`home-locker-${o.orderId}`}
        >
          <Text className="home-locker__where">{`${o.bankName}（${o.location}）`}</Text>
          <Text className="home-locker__doors" data-testid="home-locker-doors">
            {`格口 ${o.compartments.join('、')}`}
          </Text>
          {o.code ? (
            <View className="home-locker__code-row">
              <Text className="muted">取件码</Text>
              <Text className="home-locker__code" data-testid="home-locker-code">
                {o.code}
              </Text>
            </View>
          ) : null}
          {o.deadline ? (
            <Text className={o.overdue ? 'warn' : 'muted'} data-testid="home-locker-deadline">
              {o.overdue
                ? `已超过免费保管时间（${dayTime(o.deadline)}），请尽快取件`
                : `请在 ${dayTime(o.deadline)} 前取件`}
            </Text>
          ) : null}
          <Text className="muted">{`${o.merchantName} · 查看订单 ›`}</Text>
        </View>
      ))}
    </View>
  );
}

/** The next delivery window of the community: when it cuts off (ticking) and when it arrives. */
export function NextWindowCard({ window: w }: { window: NonNullable<HomeResident['nextWindow']> }) {
  const left = useCountdown(w.cutoffAt);
  return (
    <View className="card stack" data-testid="home-window">
      <View className="row home-window__head">
        <Text className="card__title">下一次生鲜配送</Text>
        <Text className="badge" data-testid="home-window-countdown">
          {left === null || left > 0 ? `还剩 ${countdownText(left ?? 0)}` : '已截单'}
        </Text>
      </View>
      {/* Each half stays whole: elder mode otherwise leaves 柜 alone on the next line. */}
      <Text data-testid="home-window-times">
        <Text className="keep-together">{`${dayTime(w.cutoffAt)} 截单`}</Text>
        {' · '}
        <Text className="keep-together">{`${dayTime(w.deliverAt)} 送到柜`}</Text>
      </Text>
      <Text className="muted">截单前下单，和邻居的订单一起送到小区生鲜柜。</Text>
      <View>
        <Btn onClick={open(PAGES.market, true)} testId="home-window-shop">
          去买菜
        </Btn>
      </View>
    </View>
  );
}

/** Orders paid for and still on their way: the state each is in, tap for the order. */
export function ActiveOrdersCard({ orders }: { orders: HomeActiveOrder[] }) {
  const shown = orders.slice(0, 3);
  return (
    <View className="card" data-testid="home-orders">
      <Text className="card__title">进行中的订单</Text>
      {shown.map((o) => (
        <View
          key={o.id}
          className="link-row"
          onClick={open(`${PAGES.orderDetail}?id=${o.id}`)}
          {...tappable()}
          data-testid={`home-order-${o.id}`}
        >
          <View className="home-orders__main">
            <Text className="home-orders__title">{`${o.merchantName} · ${o.title}`}</Text>
            <Text className="muted">
              {o.deliverAt ? `${dayTime(o.deliverAt)} 送到柜` : DELIVERY_MODE_LABELS[o.mode]}
            </Text>
          </View>
          <OrderStatusTag
            order={{ status: o.status, delivery: { mode: o.mode }, locker: { batchStatus: o.batchStatus } }}
          />
        </View>
      ))}
      {orders.length > shown.length ? (
        <View
          className="link-row"
          onClick={open(PAGES.orders, true)}
          {...tappable()}
          data-testid="home-orders-all"
        >
          <Text>{`全部 ${orders.length} 单进行中`}</Text>
          <Text className="muted">›</Text>
        </View>
      ) : null}
    </View>
  );
}

/** Quick entries as real buttons, two or four to a row; elders get fewer and bigger. */
export function EntryGrid({ entries, big }: { entries: HomeEntry[]; big?: boolean }) {
  return (
    <View className={`card home-entries${big ? ' home-entries--big' : ''}`} data-testid="home-entries">
      {entries.map((e) => (
        <View
          key={e.key}
          className="home-entries__item"
          data-testid={e.key === 'help' ? 'home-help' : undefined}
        >
          <Btn variant={big ? '' : 'ghost'} onClick={open(e.url, e.tab)} testId={e.testId}>
            <View className="home-entries__text">
              <Text className="home-entries__label">{e.label}</Text>
              <Text className="home-entries__hint">{e.hint}</Text>
            </View>
          </Btn>
        </View>
      ))}
    </View>
  );
}

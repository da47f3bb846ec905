import { Picker, Text, View } from '@tarojs/components';
import { useState } from 'react';
import { formatYuan, localClock } from 'shared';
import { call } from '../api';
import { shiftDate } from '../common/hours-model';
import { tappable } from '../components/a11y';
import { Btn } from '../components/Btn';
import { AsyncContent, Page } from '../components/Page';
import { useApi } from '../hooks/use-api';
import { RevenueChart } from './RevenueChart';
import { NoShop, ShopHeader, useMyShop } from './shop';

/** 经营数据: a day's orders, revenue and best sellers, and the 14 days up to it. */
export default function MerchantStatsPage() {
  const shop = useMyShop();
  const today = localClock(new Date()).date;
  const [date, setDate] = useState(today);
  const stats = useApi(() => call('merchantStats', { query: { date } }), { key: date, refreshOnShow: true });
  const s = stats.data;
  const isToday = date === today;

  return (
    <Page name="merchant-stats" state={shop}>
      {shop.data === null ? <NoShop /> : null}
      {shop.data ? (
        <>
          <ShopHeader shop={shop.data} />
          <View className="card stack">
            <View>
              <Picker mode="date" value={date} end={today} onChange={(e) => setDate(String(e.detail.value))}>
                <View className="input m-time" data-testid="stats-date" {...tappable()}>
                  <Text>{isToday ? `今天 ${date}` : date}</Text>
                </View>
              </Picker>
            </View>
            <View className="m-actions">
              <Btn variant="ghost small" onClick={() => setDate(shiftDate(date, -1))} testId="stats-prev">
                前一天
              </Btn>
              {isToday ? null : (
                <>
                  <Btn variant="ghost small" onClick={() => setDate(shiftDate(date, 1))} testId="stats-next">
                    后一天
                  </Btn>
                  <Btn variant="ghost small" onClick={() => setDate(today)} testId="stats-today">
                    回到今天
                  </Btn>
                </>
              )}
            </View>
          </View>
          <AsyncContent state={stats}>
            {s ? (
              <>
                <View className="card m-figures" data-testid="stats-figures">
                  <View className="m-figure">
                    <Text className="m-figure__value" data-testid="stats-orders">
                      {String(s.orderCount)}
                    </Text>
                    <Text className="m-figure__label">{isToday ? '今日订单数' : '订单数'}</Text>
                  </View>
                  <View className="m-figure">
                    <Text className="m-figure__value" data-testid="stats-revenue">
                      {formatYuan(s.revenueFen)}
                    </Text>
                    <Text className="m-figure__label">{isToday ? '今日营业额' : '营业额'}</Text>
                  </View>
                </View>
                <View className="card stack" data-testid="stats-top">
                  <Text className="card__title">热销商品</Text>
                  {s.topProducts.length === 0 ? <Text className="muted">当天暂无销售</Text> : null}
                  {s.topProducts.map((p, i) => (
                    <View key={p.productId} className="m-line">
                      <Text className="m-line__name">{`${i + 1}. ${p.name}`}</Text>
                      <Text>{`销量 ${p.quantity} · ${formatYuan(p.revenueFen)}`}</Text>
                    </View>
                  ))}
                </View>
                <View className="card stack">
                  <Text className="card__title">近 14 天营业额</Text>
                  <RevenueChart key={date} days={s.daily} selected={s.date} />
                </View>
              </>
            ) : null}
          </AsyncContent>
        </>
      ) : null}
    </Page>
  );
}

import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { formatDisplayTime, formatYuan, MEAL_KIND_LABELS, MEAL_MODE_LABELS, PAGES } from 'shared';
import { call } from '../api';
import { Btn } from '../components/Btn';
import { Page } from '../components/Page';
import { useApi } from '../hooks/use-api';
import { usePullRefresh } from '../hooks/use-pull-refresh';
import { accessReads, weekdaysText } from './labels';
import { BookingRow, Empty, todayLocal } from './ui';
import './care.scss';
import './care-elder.scss';

/** 养老服务总览: one page per elder — visits, vouchers, meals, locker orders and who read what. */
export default function CareDashboardPage() {
  const state = useApi(() => call('careDashboard'), { refreshOnShow: true });
  const consent = useApi(() => call('errandConsent'), { refreshOnShow: true });
  const [today] = useState(todayLocal);
  usePullRefresh(state.reload, consent.reload);
  const d = state.data;

  return (
    <Page name="care-dashboard" state={state}>
      {d ? (
        <>
          <View className="card stack care-card" data-testid="care-dash-elder">
            <Text className="card__title">{`${d.elder.name}${d.elder.age !== null ? `（${d.elder.age}岁）` : ''}`}</Text>
            <Btn onClick={() => void Taro.navigateTo({ url: PAGES.care })} testId="care-dash-book">
              预约服务
            </Btn>
          </View>

          <View className="card" data-testid="care-dash-next">
            <Text className="card__title">即将进行的服务</Text>
            {d.nextVisits.length === 0 ? <Empty text="暂无预约" /> : null}
            {d.nextVisits.map((b) => (
              <BookingRow key={b.id} booking={b} today={today} />
            ))}
          </View>

          <View className="card stack care-card" data-testid="care-dash-voucher">
            <Text className="card__title">服务券</Text>
            <Text className="muted">当前余额</Text>
            <Text className="care-big" data-testid="care-dash-balance">
              {formatYuan(d.voucher.balanceFen)}
            </Text>
            <Text className="care-line">{`${monthText(d.voucher.month)}服务券已用 ${formatYuan(d.voucher.spentFen)}，自付 ${formatYuan(d.voucher.selfPayFen)}`}</Text>
          </View>

          <View className="card stack care-card" data-testid="care-dash-meals">
            <View className="care-row">
              <Text className="card__title care-row__main">助餐</Text>
              <Btn
                variant="ghost small"
                onClick={() => void Taro.navigateTo({ url: PAGES.careMeals })}
                testId="care-dash-meals-go"
              >
                {d.mealPlan?.active ? '管理' : '去订餐'}
              </Btn>
            </View>
            {d.mealPlan?.active ? (
              <>
                <Text className="care-line">{`${d.mealPlan.providerName} · ${d.mealPlan.meals.map((m) => MEAL_KIND_LABELS[m]).join('、')} · ${MEAL_MODE_LABELS[d.mealPlan.mode]}`}</Text>
                <Text className="muted">{`${weekdaysText(d.mealPlan.weekdays)}，每餐 ${formatYuan(d.mealPlan.priceFen)}`}</Text>
              </>
            ) : (
              <Empty text="还没有订餐" />
            )}
          </View>

          {d.lockerOrders.length ? (
            <View className="card" data-testid="care-dash-lockers">
              <Text className="card__title">生鲜柜待取</Text>
              {d.lockerOrders.map((o) => (
                <View key={o.orderId} className="care-list-item">
                  <Text className="care-line">{`${o.bankName} ${o.compartment} 号格口`}</Text>
                  <Text className="muted">
                    {`订单 ${o.shortNo}${o.pickupBy ? `，请在 ${formatDisplayTime(o.pickupBy)} 前取走` : ''}`}
                  </Text>
                </View>
              ))}
            </View>
          ) : null}

          {/* The produce run: whether a volunteer may fetch a forgotten locker order. Hidden if unknown. */}
          {consent.data ? (
            <View className="card stack care-card" data-testid="care-dash-errand">
              <View className="care-row">
                <Text className="card__title care-row__main">生鲜柜订单代取</Text>
                <Btn
                  variant="ghost small"
                  onClick={() => void Taro.navigateTo({ url: PAGES.helpSettings })}
                  testId="care-dash-errand-go"
                >
                  设置
                </Btn>
              </View>
              <Text className="care-line" data-testid="care-dash-errand-state">
                {consent.data.enabled
                  ? `允许志愿者代取生鲜柜订单：已开启，入柜 ${consent.data.afterHours} 小时后未取由志愿者送上门`
                  : '允许志愿者代取生鲜柜订单：未开启'}
              </Text>
            </View>
          ) : null}

          <View className="card" data-testid="care-dash-past">
            <Text className="card__title">已完成的服务</Text>
            {d.pastVisits.length === 0 ? <Empty text="暂无服务记录" /> : null}
            {d.pastVisits.map((b) => (
              <BookingRow key={b.id} booking={b} today={today} />
            ))}
          </View>

          <View className="card stack care-card" data-testid="care-dash-access">
            <Text className="card__title">谁查看了长者信息</Text>
            {d.accessLog.length === 0 ? <Empty text="暂无查看记录" /> : null}
            {accessReads(d.accessLog)
              .slice(0, 3)
              .map((e) => (
                <View key={e.id} className="care-list-item">
                  <Text className="care-line">{e.text}</Text>
                  <Text className="muted">{`${formatDisplayTime(e.at)} · ${e.reason}`}</Text>
                </View>
              ))}
            <Btn
              variant="ghost"
              onClick={() => void Taro.navigateTo({ url: PAGES.careAccessLog })}
              testId="care-dash-access-all"
            >
              查看全部记录
            </Btn>
          </View>
        </>
      ) : null}
    </Page>
  );
}

/** 2026-06 -> 6月. */
function monthText(month: string): string {
  const m = Number(month.slice(5, 7));
  return m ? `${m}月` : '本月';
}

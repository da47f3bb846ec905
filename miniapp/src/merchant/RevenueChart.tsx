import { ScrollView, Text, View } from '@tarojs/components';
import { useState } from 'react';
import { formatYuan } from 'shared';
import { tappable } from '../components/a11y';
import { buildBars, type DayPoint } from './chart';

/**
 * 近 14 天营业额: plain Views, bar heights in proportion to the tallest day. Day numbers sit under
 * the bars; tapping a bar (or its day number: one target) names its date, revenue and orders in full.
 */
export function RevenueChart({ days, selected }: { days: DayPoint[]; selected: string }) {
  const bars = buildBars(days);
  const [picked, setPicked] = useState<string | null>(null);
  const current = bars.find((b) => b.date === (picked ?? selected)) ?? bars[bars.length - 1];
  const max = Math.max(0, ...bars.map((b) => b.revenueFen));

  return (
    <View className="stack" data-testid="revenue-chart">
      <Text className="muted">{max > 0 ? `最高 ${formatYuan(max)}` : '近 14 天暂无营业额'}</Text>
      {/* One column per day, bar over its day number, each a full-size target: 14 of them do not fit
          the phone's width at 32 px (44 px in elder mode), so the row scrolls sideways. It opens at
          its right end, the latest days (a scrollLeft past the end stops there). */}
      <ScrollView className="m-chart-scroll" scrollX scrollLeft={100_000}>
        <View className="m-chart">
          {bars.map((b) => (
            <View
              key={b.date}
              className={`m-chart__col${b.date === current?.date ? ' m-chart__col--selected' : ''}`}
              onClick={() => setPicked(b.date)}
              data-testid={`bar-${b.date}`}
              {...tappable({
                pressed: b.date === current?.date,
                label: `${b.longLabel}：营业额 ${formatYuan(b.revenueFen)}，${b.orderCount} 单`,
              })}
            >
              <View className="m-chart__plot">
                <View className="m-chart__bar" style={{ height: `${b.heightPct}%` }} />
              </View>
              <Text className="m-chart__label">{b.dayLabel}</Text>
            </View>
          ))}
        </View>
      </ScrollView>
      {current ? (
        <Text className="m-p" data-testid="chart-detail">
          {`${current.longLabel}：营业额 ${formatYuan(current.revenueFen)}，${current.orderCount} 单`}
        </Text>
      ) : null}
    </View>
  );
}

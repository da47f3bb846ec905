import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { formatYuan } from 'shared';
import { buildBars, type DayPoint } from './chart';

/**
 * 近 14 天营业额: plain Views, bar heights in proportion to the tallest day. Day numbers sit under
 * the bars; tapping a bar names its date, revenue and orders in full.
 */
export function RevenueChart({ days, selected }: { days: DayPoint[]; selected: string }) {
  const bars = buildBars(days);
  const [picked, setPicked] = useState<string | null>(null);
  const current = bars.find((b) => b.date === (picked ?? selected)) ?? bars[bars.length - 1];
  const max = Math.max(0, ...bars.map((b) => b.revenueFen));

  return (
    <View className="stack" data-testid="revenue-chart">
      <Text className="muted">{max > 0 ? `最高 ${formatYuan(max)}` : '近 14 天暂无营业额'}</Text>
      <View className="m-chart">
        {bars.map((b) => (
          <View
            key={b.date}
            className={`m-chart__col${b.date === current?.date ? ' m-chart__col--selected' : ''}`}
            onClick={() => setPicked(b.date)}
            data-testid={`bar-${b.date}`}
          >
            <View className="m-chart__bar" style={{ height: `${b.heightPct}%` }} />
          </View>
        ))}
      </View>
      <View className="m-chart__labels">
        {bars.map((b) => (
          <Text
            key={b.date}
            className={`m-chart__label${b.date === current?.date ? ' m-chart__label--selected' : ''}`}
            onClick={() => setPicked(b.date)}
          >
            {b.dayLabel}
          </Text>
        ))}
      </View>
      {current ? (
        <Text className="m-p" data-testid="chart-detail">
          {`${current.longLabel}：营业额 ${formatYuan(current.revenueFen)}，${current.orderCount} 单`}
        </Text>
      ) : null}
    </View>
  );
}

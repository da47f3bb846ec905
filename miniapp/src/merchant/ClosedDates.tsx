import { Picker, Text, View } from '@tarojs/components';
import { addClosedDate, removeClosedDate } from '../common/hours-model';
import { tappable } from '../components/a11y';
import { Btn } from '../components/Btn';

/** 休息日期: whole local days the shop is shut (holidays), on top of the weekly hours. */
export function ClosedDates({
  dates,
  today,
  onChange,
}: {
  dates: string[];
  /** YYYY-MM-DD in Asia/Shanghai: earlier days cannot be picked. */
  today: string;
  onChange: (dates: string[]) => void;
}) {
  return (
    <View className="stack" data-testid="closed-dates">
      {dates.length === 0 ? <Text className="muted">暂无休息日期</Text> : null}
      {dates.map((d) => (
        <View key={d} className="m-date-item" data-testid={`closed-${d}`}>
          <Text>{d < today ? `${d}（已过）` : d}</Text>
          <Btn variant="ghost small" onClick={() => onChange(removeClosedDate(dates, d))}>
            删除
          </Btn>
        </View>
      ))}
      {dates.length < 100 ? (
        <Picker
          mode="date"
          value={today}
          start={today}
          onChange={(e) => onChange(addClosedDate(dates, String(e.detail.value)))}
        >
          <View className="input m-time" data-testid="closed-add" {...tappable()}>
            <Text>＋ 添加休息日期</Text>
          </View>
        </Picker>
      ) : null}
    </View>
  );
}

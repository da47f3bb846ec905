import { Picker, Text, View } from '@tarojs/components';
import { addDays } from 'shared';
import { dayTitle, localToday } from '../common/care-console';
import { tappable } from './a11y';
import { Btn } from './Btn';

/** 前一天 / the day (tap for the date wheel) / 后一天, and 回到今天 when another day is shown. */
export function DaySwitcher({
  date,
  onChange,
  testId = 'day-switcher',
}: {
  date: string;
  onChange: (date: string) => void;
  testId?: string;
}) {
  const today = localToday();
  return (
    <View className="stack cc-card" data-testid={testId}>
      <View className="cc-day">
        <Btn variant="ghost small" onClick={() => onChange(addDays(date, -1))} testId={`${testId}-prev`}>
          前一天
        </Btn>
        <View className="cc-day__picker">
          <Picker mode="date" value={date} onChange={(e) => onChange(String(e.detail.value))}>
            <View
              className="input"
              data-testid={`${testId}-date`}
              {...tappable({ label: `${dayTitle(date, today)}，点击选择日期` })}
            >
              <Text>{dayTitle(date, today)}</Text>
            </View>
          </Picker>
        </View>
        <Btn variant="ghost small" onClick={() => onChange(addDays(date, 1))} testId={`${testId}-next`}>
          后一天
        </Btn>
      </View>
      {date === today ? null : (
        <Btn variant="ghost small" onClick={() => onChange(today)} testId={`${testId}-today`}>
          回到今天
        </Btn>
      )}
    </View>
  );
}

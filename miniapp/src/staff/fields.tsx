import { Picker, Text, View } from '@tarojs/components';
import type { ReactNode } from 'react';
import { tappable } from '../components/a11y';
import { Btn } from '../components/Btn';

export { Chips } from '../components/Chips';
export { Field } from '../components/Field';

/** A time of day: the system time wheel on weapp and H5, shown as large as our inputs. */
export function TimeField({
  value,
  onChange,
  testId,
}: {
  value: string;
  onChange: (value: string) => void;
  testId?: string;
}) {
  return (
    <View className="l-time-wrap">
      <Picker mode="time" value={value} onChange={(e) => onChange(String(e.detail.value))}>
        <View className="input l-time" data-testid={testId} {...tappable()}>
          <Text>{value}</Text>
        </View>
      </Picker>
    </View>
  );
}

/** A local date (YYYY-MM-DD) picked from the system date wheel. */
export function DateField({
  value,
  start,
  onChange,
  children,
  testId,
}: {
  value: string;
  start?: string;
  onChange: (value: string) => void;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <Picker mode="date" value={value} start={start} onChange={(e) => onChange(String(e.detail.value))}>
      <View className="input l-time" data-testid={testId} {...tappable()}>
        {children}
      </View>
    </Picker>
  );
}

/** Local dates with 删除 each, and a picker to add one (holidays without a window). */
export function DateList({
  dates,
  today,
  onChange,
  addText,
  testId,
}: {
  dates: string[];
  today: string;
  onChange: (dates: string[]) => void;
  addText: string;
  testId?: string;
}) {
  return (
    <View className="stack" data-testid={testId}>
      {dates.length === 0 ? <Text className="muted">暂无</Text> : null}
      {dates.map((d) => (
        <View key={d} className="l-date-item">
          <Text>{d}</Text>
          <Btn variant="ghost small" onClick={() => onChange(dates.filter((x) => x !== d))}>
            删除
          </Btn>
        </View>
      ))}
      <DateField
        value={today}
        start={today}
        onChange={(d) => onChange(dates.includes(d) ? dates : [...dates, d].sort())}
      >
        <Text>{addText}</Text>
      </DateField>
    </View>
  );
}

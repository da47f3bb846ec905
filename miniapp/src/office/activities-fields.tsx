import { Picker, Text, View } from '@tarojs/components';
import { formatDisplayTime } from 'shared';
import { localToday } from '../common/care-console';
import { tappable } from '../components/a11y';
import { TimeField } from '../components/TimeField';

/** 「12-03 09:00」 in Shanghai: staff lists are dense, the year is this one. */
export const officeTime = (iso: string): string => formatDisplayTime(iso).slice(5);

/** A local date and a time of day on the system wheels (the office's activities and polls). */
export function DateTimeField({
  date,
  time,
  onChange,
  label,
  testId,
}: {
  date: string;
  time: string;
  onChange: (next: { date: string; time: string }) => void;
  label: string;
  testId: string;
}) {
  return (
    <View className="of-datetime">
      <Picker
        mode="date"
        value={date}
        start={localToday()}
        onChange={(e) => onChange({ date: String(e.detail.value), time })}
      >
        <View
          className="input"
          data-testid={`${testId}-date`}
          {...tappable({ label: `${label}日期：${date}` })}
        >
          <Text>{date}</Text>
        </View>
      </Picker>
      <TimeField
        value={time}
        onChange={(t) => onChange({ date, time: t })}
        label={`${label}时间`}
        testId={`${testId}-time`}
      />
    </View>
  );
}

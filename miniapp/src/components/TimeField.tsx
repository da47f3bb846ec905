import { Picker, Text, View } from '@tarojs/components';
import { tappable } from './a11y';

/**
 * A time of day on the system time wheel, shown as large as our inputs. The wheel has no 24:00, so
 * an end of day opens at 23:59. The field is a button for a screen reader and a keyboard: Enter
 * clicks it, and the click reaches the picker around it, which opens the wheel.
 */
export function TimeField({
  value,
  onChange,
  label,
  testId,
}: {
  value: string;
  onChange: (value: string) => void;
  label: string;
  testId?: string;
}) {
  return (
    <View className="cc-time-wrap">
      <Picker
        mode="time"
        value={value === '24:00' ? '23:59' : value}
        onChange={(e) => onChange(String(e.detail.value))}
      >
        <View className="input" data-testid={testId} {...tappable({ label: `${label}：${value}，点击选择` })}>
          <Text>{value}</Text>
        </View>
      </Picker>
    </View>
  );
}

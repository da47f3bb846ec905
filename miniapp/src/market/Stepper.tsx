import { Text, View } from '@tarojs/components';
import { Btn } from '../components/Btn';

/** − quantity +, bounded by `max` (stock and per-order limit); − at 1 removes the line. */
export function Stepper({
  value,
  max,
  onChange,
  testId,
  disabled,
}: {
  value: number;
  max: number;
  onChange: (next: number) => void;
  testId: string;
  disabled?: boolean;
}) {
  return (
    <View className="stepper" data-testid={testId}>
      <Btn
        variant="ghost small"
        disabled={disabled}
        onClick={() => onChange(value - 1)}
        testId={`${testId}-minus`}
      >
        −
      </Btn>
      <Text className="stepper__value" data-testid={`${testId}-value`}>
        {String(value)}
      </Text>
      <Btn
        variant="ghost small"
        disabled={disabled || value >= max}
        onClick={() => onChange(value + 1)}
        testId={`${testId}-plus`}
      >
        +
      </Btn>
    </View>
  );
}

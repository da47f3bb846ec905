import { Text, View } from '@tarojs/components';
import { a11y } from '../components/a11y';
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
    <View className="stepper" data-testid={testId} {...a11y({ role: 'group', label: '数量' })}>
      <Btn
        variant="ghost small"
        disabled={disabled}
        label={value <= 1 ? '减少，数量为 1 时移除' : '减少一件'}
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
        label="增加一件"
        onClick={() => onChange(value + 1)}
        testId={`${testId}-plus`}
      >
        +
      </Btn>
    </View>
  );
}

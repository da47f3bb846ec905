import { View } from '@tarojs/components';
import { Btn } from './Btn';

/**
 * A row of real buttons where one or several are selected (filled) and the rest outlined: a filter,
 * a scope, a set of certifications. Screen readers hear each as a button with its label.
 */
export function ToggleButtons<T extends string | number>({
  options,
  selected,
  onToggle,
  testId,
}: {
  options: readonly { value: T; label: string }[];
  selected: readonly T[];
  onToggle: (value: T) => void;
  testId?: string;
}) {
  return (
    <View className="cc-actions" data-testid={testId}>
      {options.map((o) => {
        const on = selected.includes(o.value);
        return (
          <Btn
            key={String(o.value)}
            variant={on ? 'small' : 'ghost small'}
            pressed={on}
            onClick={() => onToggle(o.value)}
            testId={testId ? `${testId}-${o.value}` : undefined}
          >
            {on ? `✓ ${o.label}` : o.label}
          </Btn>
        );
      })}
    </View>
  );
}

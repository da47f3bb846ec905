import { View } from '@tarojs/components';
import { tappable } from './a11y';

/** Large tappable options in a wrapping row; one or several selected. Each option has its own test id. */
export function Chips<T extends string | number>({
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
    <View className="choice-list" data-testid={testId}>
      {options.map((o) => (
        <View
          key={String(o.value)}
          className={`choice${selected.includes(o.value) ? ' choice--selected' : ''}`}
          onClick={() => onToggle(o.value)}
          {...tappable({ pressed: selected.includes(o.value) })}
          data-testid={testId ? `${testId}-${o.value}` : undefined}
        >
          {o.label}
        </View>
      ))}
    </View>
  );
}

import { Text, View } from '@tarojs/components';
import { tappable } from '../components/a11y';

export interface Chip {
  id: string;
  label: string;
}

/** A wrapping row of large tappable filters (categories, order tabs); one is selected. */
export function FilterChips({
  items,
  selected,
  onSelect,
  testId,
}: {
  items: Chip[];
  selected: string;
  onSelect: (id: string) => void;
  testId: string;
}) {
  return (
    <View className="choice-list chips" data-testid={testId}>
      {items.map((chip) => (
        <View
          key={chip.id}
          className={`choice${chip.id === selected ? ' choice--selected' : ''}`}
          onClick={() => onSelect(chip.id)}
          {...tappable({ pressed: chip.id === selected })}
          data-testid={`${testId}-${chip.id || 'all'}`}
        >
          <Text>{chip.label}</Text>
        </View>
      ))}
    </View>
  );
}

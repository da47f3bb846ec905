import { ScrollView, Text, View } from '@tarojs/components';
import { tappable } from '../components/a11y';
import type { Chip } from './FilterChips';

/**
 * One row of categories that scrolls sideways, as grocery apps have, so the products start on the
 * first screen instead of below two dozen wrapping chips. The selected one says so (aria-pressed).
 * Test ids are FilterChips' (`<testId>-<id>`, `<testId>-all` for ''), so callers can switch.
 */
export function CategoryRail({
  items,
  selected,
  onSelect,
  testId,
  label,
}: {
  items: Chip[];
  selected: string;
  onSelect: (id: string) => void;
  testId: string;
  /** What the row is, for a screen reader (商品分类). */
  label: string;
}) {
  return (
    <ScrollView
      scrollX
      enhanced
      showScrollbar={false}
      className="rail"
      data-testid={testId}
      ariaLabel={label}
    >
      <View className="rail__row">
        {items.map((chip) => (
          <View
            key={chip.id}
            className={`choice rail__chip${chip.id === selected ? ' choice--selected' : ''}`}
            onClick={() => onSelect(chip.id)}
            {...tappable({ pressed: chip.id === selected })}
            data-testid={`${testId}-${chip.id || 'all'}`}
          >
            <Text>{chip.label}</Text>
          </View>
        ))}
      </View>
    </ScrollView>
  );
}

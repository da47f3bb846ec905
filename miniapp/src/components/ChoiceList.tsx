import { Text, View } from '@tarojs/components';
import { a11y, tappable } from './a11y';

interface ChoiceListProps<T extends { id: string }> {
  title: string;
  items: T[];
  selectedId: string | null;
  label: (item: T) => string;
  onSelect: (item: T) => void;
  testId: string;
}

/** A row of large tappable choices: friendlier than a picker wheel for elders, and easy to test by text. */
export function ChoiceList<T extends { id: string }>({
  title,
  items,
  selectedId,
  label,
  onSelect,
  testId,
}: ChoiceListProps<T>) {
  return (
    <View className="stack" data-testid={testId}>
      <Text className="muted">{title}</Text>
      {items.length === 0 ? <Text className="muted">暂无可选项</Text> : null}
      <View className="choice-list" {...a11y({ role: 'radiogroup', label: title })}>
        {items.map((item) => (
          <View
            key={item.id}
            className={`choice${item.id === selectedId ? ' choice--selected' : ''}`}
            onClick={() => onSelect(item)}
            {...tappable({ role: 'radio', checked: item.id === selectedId })}
          >
            {label(item)}
          </View>
        ))}
      </View>
    </View>
  );
}

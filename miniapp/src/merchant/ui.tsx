import { Input, Text, View } from '@tarojs/components';

export { Chips } from '../components/Chips';
export { Field } from '../components/Field';

/**
 * A number field. 'money' takes yuan with decimals (the decimal keypad on weapp; plain text on H5,
 * where a number input would throw away a half-typed '12.'); 'count' takes whole numbers.
 */
export function NumberInput({
  value,
  onChange,
  placeholder,
  kind,
  maxLength = 10,
  invalid,
  testId,
}: {
  value: string;
  onChange: (value: string) => void;
  placeholder: string;
  kind: 'money' | 'count';
  maxLength?: number;
  invalid?: boolean;
  testId?: string;
}) {
  // On H5 a number input drops a typed minus sign without a word (−3 becomes 3): take text, and let
  // the form's parser (parseStock, parseCount) say what is wrong.
  const weapp = process.env.TARO_ENV === 'weapp';
  const type = weapp ? (kind === 'count' ? 'number' : 'digit') : 'text';
  return (
    <Input
      className={`input${invalid ? ' m-input--error' : ''}`}
      type={type}
      maxlength={maxLength}
      placeholder={placeholder}
      value={value}
      onInput={(e) => onChange(e.detail.value)}
      data-testid={testId}
    />
  );
}

/** An empty-list line in a card. */
export function EmptyCard({ text }: { text: string }) {
  return (
    <View className="card">
      <Text className="muted">{text}</Text>
    </View>
  );
}

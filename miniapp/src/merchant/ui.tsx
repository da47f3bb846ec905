import { Input, Text, View } from '@tarojs/components';
import type { ReactNode } from 'react';

/** A labelled form row with its error underneath (client check or the envelope's details). */
export function Field({
  label,
  error,
  children,
  testId,
}: {
  label: string;
  error?: string | null;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <View className="m-field" data-testid={testId}>
      <Text className="m-field__label">{label}</Text>
      {children}
      {error ? (
        <Text className="m-field__error" data-testid={testId ? `${testId}-error` : undefined}>
          {error}
        </Text>
      ) : null}
    </View>
  );
}

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
  const type = kind === 'count' ? 'number' : process.env.TARO_ENV === 'weapp' ? 'digit' : 'text';
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

/** Large tappable choices; several may be on when `multi`. */
export function Chips<T extends string>({
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
          key={o.value}
          className={`choice${selected.includes(o.value) ? ' choice--selected' : ''}`}
          onClick={() => onToggle(o.value)}
        >
          {o.label}
        </View>
      ))}
    </View>
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

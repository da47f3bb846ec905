import { Input, Text } from '@tarojs/components';
import { inputLimitText } from './input-limit';

interface TextInputProps {
  value: string;
  onChange: (value: string) => void;
  placeholder: string;
  maxLength: number;
  /** 'phone' brings up the number pad and caps at 11 digits. */
  kind?: 'text' | 'phone';
  testId?: string;
  /** The keyboard's Enter / 搜索 key; with it the key reads 搜索. */
  onConfirm?: () => void;
}

/** One styled text field for every form, so elder mode sizes them all alike. */
export function TextInput({
  value,
  onChange,
  placeholder,
  maxLength,
  kind = 'text',
  testId,
  onConfirm,
}: TextInputProps) {
  const limit = inputLimitText(value, kind === 'phone' ? 11 : maxLength, kind);
  const input = (
    <Input
      className="input"
      // H5's number input drops letters without a word; there the field takes them and says why not.
      type={kind === 'phone' && process.env.TARO_ENV === 'weapp' ? 'number' : 'text'}
      maxlength={kind === 'phone' ? 11 : maxLength}
      placeholder={placeholder}
      value={value}
      onInput={(e) => onChange(e.detail.value)}
      {...(onConfirm ? { confirmType: 'search' as const, onConfirm: () => onConfirm() } : {})}
      data-testid={testId}
    />
  );
  // The limit is said under the field (a counter, or why only digits go in), never applied silently.
  return limit ? (
    <>
      {input}
      <Text className="input-limit" data-testid={testId ? `${testId}-limit` : undefined}>
        {limit}
      </Text>
    </>
  ) : (
    input
  );
}

import { Input } from '@tarojs/components';

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
  return (
    <Input
      className="input"
      type={kind === 'phone' ? 'number' : 'text'}
      maxlength={kind === 'phone' ? 11 : maxLength}
      placeholder={placeholder}
      value={value}
      onInput={(e) => onChange(e.detail.value)}
      {...(onConfirm ? { confirmType: 'search' as const, onConfirm: () => onConfirm() } : {})}
      data-testid={testId}
    />
  );
}

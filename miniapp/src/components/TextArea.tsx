import { Text, Textarea } from '@tarojs/components';
import { textAreaCount } from './input-limit';

/** A multi-line field (notes, summaries, reasons), sized for elder mode like our inputs. */
export function TextArea({
  value,
  onChange,
  placeholder,
  maxLength,
  testId,
}: {
  value: string;
  onChange: (value: string) => void;
  placeholder: string;
  maxLength: number;
  testId?: string;
}) {
  return (
    <>
      <Textarea
        className="cc-textarea"
        value={value}
        placeholder={placeholder}
        maxlength={maxLength}
        autoHeight
        onInput={(e) => onChange(e.detail.value)}
        data-testid={testId}
      />
      <Text className="input-limit">{textAreaCount(value, maxLength)}</Text>
    </>
  );
}

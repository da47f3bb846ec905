import { Textarea } from '@tarojs/components';

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
    <Textarea
      className="cc-textarea"
      value={value}
      placeholder={placeholder}
      maxlength={maxLength}
      autoHeight
      onInput={(e) => onChange(e.detail.value)}
      data-testid={testId}
    />
  );
}

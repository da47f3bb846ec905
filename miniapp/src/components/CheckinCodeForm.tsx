import { Input, View } from '@tarojs/components';
import { Btn } from './Btn';
import { Field } from './Field';
import './code-input.scss';
import './code-input-elder.scss';

interface CheckinCodeFormProps {
  code: string;
  /** A new value typed (the caller clears its error with it). */
  onCode: (code: string) => void;
  error: string | null;
  busy: boolean;
  /** While the check-in request runs: the button says so. */
  submitting: boolean;
  onSubmit: () => void;
  onCancel: () => void;
  placeholder: string;
  label: string;
}

/**
 * The code shown at an activity's place, typed to check in: a volunteer's activity and a
 * community activity ask for it the same way (the browser tests find it by the same test ids).
 */
export function CheckinCodeForm(p: CheckinCodeFormProps) {
  return (
    <View className="stack cc-edit">
      <Field label="现场签到码" error={p.error} testId="activity-code-field">
        <View className="code-input">
          <Input
            className="input"
            type="number"
            maxlength={6}
            placeholder={p.placeholder}
            value={p.code}
            onInput={(e) => p.onCode(e.detail.value)}
            aria-label={p.label}
            data-testid="activity-code"
          />
        </View>
      </Field>
      <View className="cc-actions">
        <Btn disabled={p.busy} onClick={p.onSubmit} testId="activity-checkin-submit">
          {p.submitting ? '签到中…' : '确认签到'}
        </Btn>
        <Btn variant="ghost" onClick={p.onCancel}>
          取消
        </Btn>
      </View>
    </View>
  );
}

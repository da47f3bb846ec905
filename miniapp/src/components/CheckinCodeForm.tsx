import { Input, View } from '@tarojs/components';
import { useState } from 'react';
import { Btn } from './Btn';
import { Field } from './Field';
import './code-input.scss';
import './code-input-elder.scss';

type Parsed = { ok: true; value: string } | { ok: false; error: string };

/**
 * The check-in's state and steps for an activity card: open the form, type, parse, send as one of
 * the card's actions, show a wrong or locked code on the field (`problem`; other failures are the
 * card's own error), close the form once checked in.
 */
export function useCheckinCode<T>(o: {
  parse: (input: string) => Parsed;
  /** The field's text for a refused code; null for failures that are not about the code. */
  codeErrorText: (err: unknown) => string | null;
  /** The check-in request itself. */
  send: (code: string) => Promise<T>;
  /** Runs it as one of the card's actions (its busy state, toast and list update). */
  act: (request: () => Promise<T>) => Promise<T | undefined>;
}) {
  const [coding, setCoding] = useState(false);
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  async function submit() {
    const parsed = o.parse(code);
    if (!parsed.ok) {
      setProblem(parsed.error);
      return;
    }
    setProblem(null);
    const next = await o.act(async () => {
      try {
        return await o.send(parsed.value);
      } catch (err) {
        setProblem(o.codeErrorText(err));
        throw err;
      }
    });
    if (next) {
      setCoding(false);
      setCode('');
    }
  }
  return {
    coding,
    start: () => setCoding(true),
    problem,
    form: {
      code,
      onCode: (v: string) => {
        setCode(v);
        setProblem(null);
      },
      error: problem,
      onSubmit: () => void submit(),
      onCancel: () => setCoding(false),
    },
  };
}

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

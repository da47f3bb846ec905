import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { errorMessage } from '../api/errors';
import { confirm } from '../common/confirm';
import { useAction } from '../hooks/use-action';
import { Btn } from './Btn';
import { Field } from './Field';
import { TextArea } from './TextArea';

/**
 * A step that needs a reason and must not happen by accident (重新打开, 不予受理, 退回): a button
 * opens the form, the reason is required, a confirm asks once more, then `submit` runs and
 * `onDone` gets its answer. Test ids: `testId` (the button), `-form`, `-reason`, `-submit`, `-back`.
 */
export function ReasonAction<T>({
  openText,
  title,
  label,
  placeholder,
  maxLength,
  emptyError,
  ask,
  submitText,
  toast,
  submit,
  onDone,
  describe = errorMessage,
  testId,
}: {
  openText: string;
  title?: string;
  label: string;
  placeholder: string;
  maxLength: number;
  /** Under the field when nothing was written. */
  emptyError: string;
  /** The confirm: its title, its question, its button. */
  ask: { title: string; content: string; confirmText: string };
  submitText: string;
  toast: string;
  submit: (reason: string) => Promise<T>;
  onDone: (answer: T) => void;
  describe?: (err: unknown) => string;
  testId: string;
}) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const action = useAction(describe);

  const go = async () => {
    const text = reason.trim();
    if (!text) {
      setError(emptyError);
      return;
    }
    setError(null);
    if (!(await confirm(ask.title, ask.content, { confirmText: ask.confirmText, cancelText: '再想想' })))
      return;
    const answer = await action.run(() => submit(text));
    if (answer !== undefined) {
      void Taro.showToast({ title: toast, icon: 'none' });
      setOpen(false);
      onDone(answer);
    }
  };

  if (!open)
    return (
      <Btn variant="ghost" onClick={() => setOpen(true)} testId={testId}>
        {openText}
      </Btn>
    );
  return (
    <View className="cc-edit stack" data-testid={`${testId}-form`}>
      {title ? <Text className="card__title">{title}</Text> : null}
      <Field label={label} error={error}>
        <TextArea
          value={reason}
          onChange={setReason}
          placeholder={placeholder}
          maxLength={maxLength}
          testId={`${testId}-reason`}
        />
      </Field>
      <View className="cc-actions">
        <Btn variant="danger" disabled={action.busy} onClick={() => void go()} testId={`${testId}-submit`}>
          {action.busy ? '提交中…' : submitText}
        </Btn>
        <Btn variant="ghost" disabled={action.busy} onClick={() => setOpen(false)} testId={`${testId}-back`}>
          返回
        </Btn>
      </View>
      {action.error ? <Text className="field__error">{action.error}</Text> : null}
    </View>
  );
}

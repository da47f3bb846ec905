import { Button, Picker, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { type ReactNode, useState } from 'react';
import { type HelpTask, PAGES } from 'shared';
import { call } from '../api';
import { describeError } from '../api/errors';
import { tappable } from '../components/a11y';
import { Btn } from '../components/Btn';
import { QrCode } from '../components/QrCode';
import { TextArea } from '../components/TextArea';
import { useAction } from '../hooks/use-action';
import { spacedCode, taskStatusText, taskTone } from './help-model';

/** The help pages' own sentences where the registry's would be too general. */
export const describeHelpError = (err: unknown) =>
  describeError(err, {
    fields: {
      title: '请写一句需要帮什么（40 字以内）',
      note: '备注请在 300 字以内',
      windowEnd: '时间段不对：请选一个还没过去、且够长的时间',
      windowStart: '时间段不对：请选一个还没过去、且够长的时间',
      durationMin: '服务时长需在 10 分钟到 8 小时之间',
      reason: '请写明原因（100 字以内）',
      dueMin: '报平安时间不对',
      graceMin: '宽限时间需在 10 分钟到 12 小时之间',
      afterHours: '时间需在 1 到 48 小时之间',
    },
  });

/**
 * ARIA attributes for Taro's Button: its H5 element has no role of its own, and Taro's typings
 * leave these out though both platforms pass them through.
 */
const a11y = (attrs: Record<string, string | undefined>) =>
  Object.fromEntries(Object.entries(attrs).filter(([, v]) => v !== undefined)) as object;

/** A chip that is a real button, its pressed state said out loud. */
export function ChipBtn({
  children,
  selected,
  onClick,
  testId,
  disabled,
  label,
}: {
  children: ReactNode;
  selected: boolean;
  onClick: () => void;
  testId?: string;
  disabled?: boolean;
  /** The accessible name when the text alone would not say it (★ for a star). */
  label?: string;
}) {
  return (
    <Button
      className={`btn hp-chip${selected ? ' hp-chip--selected' : ''}${disabled ? ' btn--disabled' : ''}`}
      {...a11y({ role: 'button', 'aria-pressed': selected ? 'true' : 'false', 'aria-label': label })}
      disabled={disabled ? true : undefined}
      onClick={disabled ? undefined : onClick}
      data-testid={testId}
    >
      {children}
    </Button>
  );
}

/** One of several, as a row of chips. */
export function ChipRow<T extends string | number>({
  options,
  value,
  onChange,
  testId,
}: {
  options: readonly { value: T; label: string; disabled?: boolean }[];
  value: T | null;
  onChange: (value: T) => void;
  testId: string;
}) {
  return (
    <View className="hp-chips" data-testid={testId}>
      {options.map((o) => (
        <ChipBtn
          key={String(o.value)}
          selected={o.value === value}
          disabled={o.disabled}
          onClick={() => onChange(o.value)}
          testId={`${testId}-${o.value}`}
        >
          {o.label}
        </ChipBtn>
      ))}
    </View>
  );
}

/** A time of day from the system wheel, shown as large as our inputs. */
export function TimePick({
  value,
  onChange,
  testId,
}: {
  value: string;
  onChange: (v: string) => void;
  testId?: string;
}) {
  return (
    <Picker mode="time" value={value} onChange={(e) => onChange(String(e.detail.value))}>
      <View className="input hp-pick" data-testid={testId} {...tappable()}>
        <Text>{value}</Text>
      </View>
    </Picker>
  );
}

export function DatePick({
  value,
  start,
  onChange,
  testId,
  children,
}: {
  value: string;
  start: string;
  onChange: (v: string) => void;
  testId?: string;
  children: ReactNode;
}) {
  return (
    <Picker mode="date" value={value} start={start} onChange={(e) => onChange(String(e.detail.value))}>
      <View className="input hp-pick" data-testid={testId} {...tappable()}>
        {children}
      </View>
    </Picker>
  );
}

export function TaskTag({ task }: { task: Pick<HelpTask, 'status' | 'hoursStatus'> }) {
  return (
    <Text className={`tag tag--${taskTone(task)}`} data-testid="help-task-status">
      {taskStatusText(task)}
    </Text>
  );
}

/** The code the elder shows at the door, large enough to read out from a chair. */
export function DoorCode({ code }: { code: string }) {
  return (
    <View className="hp-code-box" data-testid="help-door-code">
      <Text className="hp-code-label">签到码</Text>
      <Text
        className="hp-code"
        data-testid="help-door-code-value"
        aria-label={`签到码 ${code.split('').join(' ')}`}
      >
        {spacedCode(code)}
      </Text>
      <QrCode text={code} testId="help-door-qr" />
      <Text className="hp-code-hint">志愿者上门时请出示此码，或让志愿者扫码</Text>
    </View>
  );
}

/**
 * A step that must not happen by accident, confirmed by one more large tap in the page itself
 * (a system modal would not follow elder mode): the question, then 确定 and 取消.
 */
export function InlineConfirm({
  question,
  confirmText,
  cancelText = '取消',
  danger,
  busy,
  onConfirm,
  onCancel,
  testId,
  children,
}: {
  question: string;
  confirmText: string;
  cancelText?: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  testId: string;
  children?: ReactNode;
}) {
  return (
    <View className={`hp-confirm${danger ? ' hp-confirm--danger' : ''}`} data-testid={testId}>
      <Text className="hp-confirm__question">{question}</Text>
      {children}
      <Btn variant={danger ? 'danger' : ''} disabled={busy} onClick={onConfirm} testId={`${testId}-yes`}>
        {busy ? '提交中…' : confirmText}
      </Btn>
      <Btn variant="ghost" disabled={busy} onClick={onCancel} testId={`${testId}-no`}>
        {cancelText}
      </Btn>
    </View>
  );
}

/**
 * 确认时长 with an optional 1-5 star rating, or 有异议 with a note for staff. `onDone` gets the task
 * as it is now.
 */
export function HoursReview({ task, onDone }: { task: HelpTask; onDone: (t: HelpTask) => void }) {
  const [rating, setRating] = useState(0);
  const [disputing, setDisputing] = useState(false);
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string | null>(null);
  const action = useAction(describeHelpError);
  if (!task.can.confirm && !task.can.dispute) return null;

  const confirmHours = () =>
    action.run(async () => {
      const next = await call('confirmTaskHours', {
        params: { id: task.id },
        body: rating ? { rating } : {},
      });
      void Taro.showToast({ title: '已确认，谢谢', icon: 'none' });
      onDone(next);
    }, 'confirm');

  const dispute = () => {
    if (!note.trim()) {
      setNoteError('请写明哪里不对，社区工作人员会来核实');
      return;
    }
    setNoteError(null);
    void action.run(async () => {
      const next = await call('disputeTaskHours', { params: { id: task.id }, body: { note: note.trim() } });
      void Taro.showToast({ title: '已提交，社区会处理', icon: 'none' });
      onDone(next);
    }, 'dispute');
  };

  return (
    <View className="hp-review stack" data-testid={`help-hours-${task.id}`}>
      <Text className="hp-line hp-strong">
        {`${task.volunteerName ?? '志愿者'}记录了服务时长 ${task.minutes ?? 0} 分钟`}
      </Text>
      {disputing ? (
        <>
          <TextArea
            value={note}
            onChange={setNote}
            placeholder="哪里不对？如：实际只来了半小时"
            maxLength={300}
            testId="help-dispute-note"
          />
          {noteError ? <Text className="field__error">{noteError}</Text> : null}
          <View className="hp-actions">
            <Btn variant="danger" disabled={action.busy} onClick={dispute} testId="help-dispute-submit">
              {action.runningKey === 'dispute' ? '提交中…' : '提交异议'}
            </Btn>
            <Btn
              variant="ghost"
              disabled={action.busy}
              onClick={() => setDisputing(false)}
              testId="help-dispute-back"
            >
              返回
            </Btn>
          </View>
        </>
      ) : (
        <>
          <Text className="muted">满意的话可以点星星打分（选填）</Text>
          <View className="hp-stars" data-testid="help-stars">
            {[1, 2, 3, 4, 5].map((n) => (
              <ChipBtn
                key={n}
                label={`${n}星`}
                selected={n <= rating}
                onClick={() => setRating(n === rating ? 0 : n)}
                testId={`help-star-${n}`}
              >
                {n <= rating ? '★' : '☆'}
              </ChipBtn>
            ))}
          </View>
          {task.can.confirm ? (
            <Btn disabled={action.busy} onClick={() => void confirmHours()} testId="help-confirm-hours">
              {action.runningKey === 'confirm' ? '提交中…' : '确认时长'}
            </Btn>
          ) : null}
          {task.can.dispute ? (
            <Btn
              variant="ghost"
              disabled={action.busy}
              onClick={() => setDisputing(true)}
              testId="help-dispute"
            >
              有异议
            </Btn>
          ) : null}
        </>
      )}
      {action.error ? <Text className="hp-error">{action.error}</Text> : null}
    </View>
  );
}

export const openTask = (id: string) => void Taro.navigateTo({ url: `${PAGES.helpTask}?id=${id}` });

/** A card's section title. */
export function Title({ children }: { children: ReactNode }) {
  return <Text className="card__title">{children}</Text>;
}

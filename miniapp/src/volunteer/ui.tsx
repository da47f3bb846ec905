import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { type HelpTask, PAGES } from 'shared';
import { Btn } from '../components/Btn';
import { Field } from '../components/Field';
import { TextInput } from '../components/TextInput';
import { ToggleButtons } from '../components/ToggleButtons';
import {
  distanceLabel,
  skillLabel,
  taskStatusText,
  taskStatusTone,
  URGENCY_TEXT,
  windowText,
} from './labels';
import { type CardState, cardState, DECLINE_REASONS, type TaskScope } from './task-model';

export const openTask = (id: string) => void Taro.navigateTo({ url: `${PAGES.volunteerTask}?id=${id}` });

export function Tag({ text, tone, testId }: { text: string; tone: string; testId?: string }) {
  return (
    <Text className={`tag tag--${tone}`} data-testid={testId}>
      {text}
    </Text>
  );
}

/** The tags under a task's title: skill, urgency, status. */
export function TaskTags({ task, taken }: { task: HelpTask; taken: boolean }) {
  return (
    <View className="vol-meta">
      <Tag text={skillLabel(task.skill)} tone="skill" />
      {task.urgency !== 'normal' ? (
        <Tag text={URGENCY_TEXT[task.urgency]} tone={task.urgency} testId="task-urgency" />
      ) : null}
      <Tag
        text={taskStatusText(task.status, taken)}
        tone={taskStatusTone(task.status, taken)}
        testId="task-status"
      />
    </View>
  );
}

/** 银杏院 · 约 350 米 */
export const placeText = (task: Pick<HelpTask, 'compoundName' | 'distanceMetres'>) =>
  [task.compoundName || '本社区', distanceLabel(task.distanceMetres)].filter(Boolean).join(' · ');

/**
 * A reason to give (婉拒, 临时有事): a few quick ones or the volunteer's own words. The BFF takes
 * 1..100 characters.
 */
export function ReasonForm({
  title,
  reasons,
  submitText,
  busy,
  error,
  onSubmit,
  onCancel,
  testId,
}: {
  title: string;
  reasons: readonly string[];
  submitText: string;
  busy: boolean;
  error: string | null;
  onSubmit: (reason: string) => void;
  onCancel: () => void;
  testId: string;
}) {
  const [picked, setPicked] = useState<string | null>(null);
  const [own, setOwn] = useState('');
  const [missing, setMissing] = useState(false);
  const reason = (own.trim() || picked || '').slice(0, 100);
  return (
    <View className="stack cc-edit" data-testid={testId}>
      <Field label={title} error={missing ? '请选择或写下原因' : null}>
        <ToggleButtons
          options={reasons.map((r) => ({ value: r, label: r }))}
          selected={picked ? [picked] : []}
          onToggle={(r) => {
            setPicked(r === picked ? null : r);
            setMissing(false);
          }}
          testId={`${testId}-quick`}
        />
      </Field>
      <TextInput
        value={own}
        onChange={(v) => {
          setOwn(v);
          setMissing(false);
        }}
        placeholder="或写下其他原因"
        maxLength={100}
        testId={`${testId}-text`}
      />
      {error ? (
        <Text className="state__message" data-testid={`${testId}-error`}>
          {error}
        </Text>
      ) : null}
      <View className="cc-actions">
        <Btn
          variant="danger"
          disabled={busy}
          onClick={() => (reason ? onSubmit(reason) : setMissing(true))}
          testId={`${testId}-submit`}
        >
          {busy ? '提交中…' : submitText}
        </Btn>
        <Btn variant="ghost" onClick={onCancel} testId={`${testId}-cancel`}>
          取消
        </Btn>
      </View>
    </View>
  );
}

/**
 * A task in a list: title, tags, time window, place and distance, and on offers 接单 / 婉拒 right
 * there. A task another volunteer took is greyed with no buttons.
 */
export function TaskCard({
  task,
  scope,
  myName,
  busy,
  running,
  error,
  onAccept,
  onDecline,
}: {
  task: HelpTask;
  scope: TaskScope;
  myName: string | null;
  busy: boolean;
  /** 'accept' or 'decline' while this card's action runs. */
  running: string | null;
  error: string | null;
  onAccept: () => void;
  onDecline: (reason: string) => void;
}) {
  const s: CardState = cardState(task, myName, scope);
  const [declining, setDeclining] = useState(false);
  return (
    <View
      className={`card stack cc-card vol-task${s.taken ? ' vol-task--taken' : ''}`}
      data-testid={`task-${task.id}`}
      data-taken={s.taken ? 'true' : undefined}
    >
      <Text className="vol-task__title">{task.title}</Text>
      <TaskTags task={task} taken={s.taken} />
      <Text className="cc-line cc-strong">{windowText(task.windowStart, task.windowEnd)}</Text>
      <Text className="cc-line">{`${task.elderLabel} · ${placeText(task)}`}</Text>
      {s.note ? <Text className="muted">{s.note}</Text> : null}
      {error ? (
        <Text className="state__message" data-testid="task-card-error">
          {error}
        </Text>
      ) : null}
      {declining ? (
        <ReasonForm
          title="婉拒的原因（只有社区能看到）"
          reasons={DECLINE_REASONS}
          submitText="确认婉拒"
          busy={running === 'decline'}
          error={null}
          onSubmit={(reason) => onDecline(reason)}
          onCancel={() => setDeclining(false)}
          testId="decline"
        />
      ) : (
        <View className="cc-actions">
          {s.accept ? (
            <Btn disabled={busy} onClick={onAccept} testId="task-accept">
              {running === 'accept' ? '接单中…' : '接单'}
            </Btn>
          ) : null}
          {s.decline ? (
            <Btn variant="ghost" disabled={busy} onClick={() => setDeclining(true)} testId="task-decline">
              婉拒
            </Btn>
          ) : null}
          <Btn variant="ghost" onClick={() => openTask(task.id)} testId="task-open">
            查看详情
          </Btn>
        </View>
      )}
    </View>
  );
}

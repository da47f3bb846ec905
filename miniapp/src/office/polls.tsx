import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import {
  addDays,
  POLL_MAX_OPTIONS,
  POLL_RESULTS_VISIBILITY_LABELS,
  POLL_STATUS_LABELS,
  type Poll,
} from 'shared';
import { call } from '../api';
import { describeError } from '../api/errors';
import { localToday } from '../common/care-console';
import { confirm } from '../common/confirm';
import { Btn } from '../components/Btn';
import { Field } from '../components/Field';
import { AsyncContent, Page } from '../components/Page';
import { TextArea } from '../components/TextArea';
import { TextInput } from '../components/TextInput';
import { ToggleButtons } from '../components/ToggleButtons';
import { useAction } from '../hooks/use-action';
import { useApi } from '../hooks/use-api';
import { usePullRefresh } from '../hooks/use-pull-refresh';
import { DateTimeField, officeTime } from './activities-fields';
import { addOption, type PollErrors, type PollForm, pollDraft, removeOption } from './polls-form';
import '../common/care-console.scss';
import '../common/care-console-elder.scss';
import './community.scss';
import './community-elder.scss';

const pollError = (err: unknown) =>
  describeError(err, {
    fields: {
      question: '议题请在 120 字以内',
      options: '选项需 2 到 10 个、互不相同、每个 40 字以内',
      maxChoices: '最多可选项数不能超过选项数',
      closesAt: '截止时间需晚于开始时间',
      opensAt: '开始时间不对',
    },
  });

const emptyForm = (): PollForm => ({
  question: '',
  description: '',
  options: ['', ''],
  multiple: false,
  maxChoices: '',
  opensDate: localToday(),
  opensTime: '00:00',
  closesDate: addDays(localToday(), 7),
  closesTime: '18:00',
  resultsVisibility: 'after_vote',
});

const CHOICE = [
  { value: 'single' as const, label: '单选' },
  { value: 'multiple' as const, label: '多选' },
];
const VISIBILITY = [
  { value: 'after_vote' as const, label: POLL_RESULTS_VISIBILITY_LABELS.after_vote },
  { value: 'after_close' as const, label: POLL_RESULTS_VISIBILITY_LABELS.after_close },
];

/** 议事 for staff: start one (options, window, when results show), close early, results at any time. */
export default function OfficePollsPage() {
  const list = useApi(() => call('staffPolls'), { refreshOnShow: true });
  const [creating, setCreating] = useState(false);
  usePullRefresh(list.reload);

  return (
    <Page name="officePolls">
      {creating ? (
        <CreatePoll
          onClose={() => setCreating(false)}
          onCreated={async () => {
            setCreating(false);
            await list.reload();
          }}
        />
      ) : (
        <View className="filter-bar">
          <Btn onClick={() => setCreating(true)} testId="office-poll-new">
            发起议事
          </Btn>
        </View>
      )}
      <AsyncContent state={list}>
        {list.data?.items.length === 0 ? (
          <View className="card">
            <Text className="muted">还没有发起过议事</Text>
          </View>
        ) : null}
        {list.data?.items.map((p) => (
          <PollCard key={p.id} p={p} onChanged={list.reload} />
        ))}
      </AsyncContent>
    </Page>
  );
}

function CreatePoll({ onClose, onCreated }: { onClose: () => void; onCreated: () => Promise<void> }) {
  const [form, setForm] = useState<PollForm>(emptyForm);
  const [errors, setErrors] = useState<PollErrors>({});
  const action = useAction(pollError);
  const set = (patch: Partial<PollForm>) => setForm((f) => ({ ...f, ...patch }));

  const submit = () => {
    const built = pollDraft(form);
    if (!built.ok) {
      setErrors(built.errors);
      return;
    }
    setErrors({});
    void action.run(async () => {
      await call('createPoll', { body: built.draft });
      void Taro.showToast({ title: '已发起', icon: 'success' });
      await onCreated();
    });
  };

  return (
    <View className="card stack cc-card" data-testid="office-poll-form">
      <Text className="card__title">发起议事</Text>
      <Field label="议题" error={errors.question}>
        <TextInput
          value={form.question}
          onChange={(question) => set({ question })}
          placeholder="如：3 号楼是否加装电梯"
          maxLength={120}
          testId="office-poll-question"
        />
      </Field>
      <Field label="说明（选填）" error={errors.description}>
        <TextArea
          value={form.description}
          onChange={(description) => set({ description })}
          placeholder="背景、费用、影响"
          maxLength={1000}
          testId="office-poll-description"
        />
      </Field>
      <Field label={`选项（2 到 ${POLL_MAX_OPTIONS} 个）`} error={errors.options}>
        <View className="stack">
          {form.options.map((o, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: option rows are positions in the form (controlled inputs)
            <View key={i} className="of-option">
              <TextInput
                value={o}
                onChange={(v) => set({ options: form.options.map((x, j) => (j === i ? v : x)) })}
                placeholder={`选项 ${i + 1}`}
                maxLength={40}
                testId={`office-poll-option-${i}`}
              />
              {form.options.length > 2 ? (
                <Btn variant="ghost small" onClick={() => set({ options: removeOption(form.options, i) })}>
                  删除
                </Btn>
              ) : null}
            </View>
          ))}
          {form.options.length < POLL_MAX_OPTIONS ? (
            <Btn
              variant="ghost small"
              onClick={() => set({ options: addOption(form.options) })}
              testId="office-poll-add-option"
            >
              添加选项
            </Btn>
          ) : null}
        </View>
      </Field>
      <Field label="每户可选" error={errors.maxChoices}>
        <ToggleButtons
          options={CHOICE}
          selected={[form.multiple ? 'multiple' : 'single']}
          onToggle={(v) => set({ multiple: v === 'multiple' })}
          testId="office-poll-choice"
        />
        {form.multiple ? (
          <TextInput
            value={form.maxChoices}
            onChange={(maxChoices) => set({ maxChoices })}
            placeholder="最多可选几项（留空不限）"
            maxLength={2}
            testId="office-poll-max"
          />
        ) : null}
      </Field>
      <Field label="开始投票（已过的时间即现在开始）">
        <DateTimeField
          date={form.opensDate}
          time={form.opensTime}
          onChange={({ date, time }) => set({ opensDate: date, opensTime: time })}
          label="开始"
          testId="office-poll-opens"
        />
      </Field>
      <Field label="投票截止" error={errors.window}>
        <DateTimeField
          date={form.closesDate}
          time={form.closesTime}
          onChange={({ date, time }) => set({ closesDate: date, closesTime: time })}
          label="截止"
          testId="office-poll-closes"
        />
      </Field>
      <Field label="结果何时公布">
        <ToggleButtons
          options={VISIBILITY}
          selected={[form.resultsVisibility]}
          onToggle={(resultsVisibility) => set({ resultsVisibility })}
          testId="office-poll-visibility"
        />
      </Field>
      {action.error ? <Text className="state__message">{action.error}</Text> : null}
      <View className="cc-actions">
        <Btn disabled={action.busy} onClick={submit} testId="office-poll-submit">
          {action.busy ? '发起中…' : '发起'}
        </Btn>
        <Btn variant="ghost" onClick={onClose} testId="office-poll-close-form">
          取消
        </Btn>
      </View>
    </View>
  );
}

function PollCard({ p, onChanged }: { p: Poll; onChanged: () => Promise<void> }) {
  const action = useAction(pollError);
  const voted = p.votedHouseholds ?? 0;

  const close = async () => {
    const ok = await confirm('提前结束', `现在结束「${p.question}」的投票？结束后居民都能看到结果。`, {
      confirmText: '结束投票',
    });
    if (!ok) return;
    await action.run(async () => {
      await call('closePoll', { params: { id: p.id }, body: {} });
      await onChanged();
    });
  };

  return (
    <View className="card stack cc-card" data-testid={`office-poll-${p.id}`}>
      <View className="cc-head">
        <Text className="card__title">{p.question}</Text>
        <Text
          className={`tag tag--${p.status === 'open' ? 'approved' : p.status === 'upcoming' ? 'pending' : 'muted'}`}
        >
          {POLL_STATUS_LABELS[p.status]}
        </Text>
      </View>
      <Text className="muted">
        {`${officeTime(p.opensAt)} 至 ${officeTime(p.closedAt ?? p.closesAt)} · ${p.multiple ? '多选' : '单选'} · ${POLL_RESULTS_VISIBILITY_LABELS[p.resultsVisibility]}`}
      </Text>
      <Text className="cc-line cc-strong" data-testid="office-poll-turnout">
        {`已投票 ${voted} / ${p.households} 户`}
      </Text>
      {p.options.map((o) => (
        <View key={o.index} className="of-result">
          <Text>{o.label}</Text>
          <Text>{`${o.votes ?? 0} 户${voted ? `（${Math.round(((o.votes ?? 0) / voted) * 100)}%）` : ''}`}</Text>
        </View>
      ))}
      {action.error ? <Text className="state__message">{action.error}</Text> : null}
      {p.status === 'closed' ? null : (
        <View className="cc-actions">
          <Btn
            variant="danger small"
            disabled={action.busy}
            onClick={() => void close()}
            testId="office-poll-end"
          >
            {action.busy ? '提交中…' : '提前结束'}
          </Btn>
        </View>
      )}
    </View>
  );
}

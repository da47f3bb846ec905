import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import {
  addDays,
  type CareItem,
  PAGES,
  TASK_URGENCY_LABELS,
  VOLUNTEER_SKILL_LABELS,
  type VolunteerSkillCode,
} from 'shared';
import { call } from '../api';
import { Btn } from '../components/Btn';
import { Field } from '../components/Field';
import { Page } from '../components/Page';
import { TextArea } from '../components/TextArea';
import { TextInput } from '../components/TextInput';
import { useAction } from '../hooks/use-action';
import { useApi } from '../hooks/use-api';
import { useActingFor } from '../session/use-acting-for';
import {
  ASKABLE_SKILLS,
  DURATIONS,
  dayOf,
  defaultForm,
  type FormErrors,
  hoursText,
  localToday,
  minutesText,
  RANGES,
  rangeOf,
  rangeOpen,
  type TaskForm,
  titleFor,
  validateTaskForm,
  windowOf,
} from './help-model';
import { ChipBtn, ChipRow, DatePick, describeHelpError, TimePick } from './ui';
import '../common/care-console.scss';
import '../common/care-console-elder.scss';
import './help.scss';
import './help-elder.scss';

/** 请志愿者帮忙: what, when, how long, how urgent; a family member may pay with their banked hours. */
export default function HelpNewPage() {
  const [form, setForm] = useState<TaskForm>(() => defaultForm());
  const [errors, setErrors] = useState<FormErrors>({});
  const [custom, setCustom] = useState(false);
  const acting = useActingFor();
  const catalog = useApi(() => call('careCatalog'));
  // Only the signed-in family member's own bank pays (the route answers 0 for a non-volunteer).
  const bank = useApi(() => (acting ? call('timeBank') : Promise.resolve(null)), {
    key: acting?.elderId ?? '',
  });
  const action = useAction(describeHelpError);
  const today = localToday();

  const items: CareItem[] = (catalog.data?.categories ?? []).flatMap((c) =>
    c.items.filter((i) => i.active && i.performer === 'volunteer'),
  );
  const balance = bank.data?.balanceMin ?? 0;
  const set = (patch: Partial<TaskForm>) => setForm((f) => ({ ...f, ...patch }));

  const pickSkill = (skill: VolunteerSkillCode) =>
    setForm((f) => {
      // A title the person typed stays; one we filled in follows the chosen skill.
      const auto = !f.title.trim() || f.title === (f.skill ? titleFor(f.skill) : '') || f.careItemId !== null;
      return { ...f, skill, careItemId: null, title: auto ? titleFor(skill) : f.title };
    });
  const pickItem = (item: CareItem) =>
    setForm((f) => ({
      ...f,
      careItemId: f.careItemId === item.id ? null : item.id,
      skill: f.careItemId === item.id ? f.skill : (f.skill ?? 'company'),
      title: item.name,
      durationMin: item.durationMin,
    }));

  const submit = () => {
    const found = validateTaskForm(form);
    setErrors(found);
    if (Object.keys(found).length) return;
    void action.run(async () => {
      const window = windowOf(form);
      const task = await call('createHelpTask', {
        body: {
          skill: form.skill ?? 'company',
          title: form.title.trim(),
          note: form.note.trim(),
          windowStart: window.windowStart,
          windowEnd: window.windowEnd,
          durationMin: form.durationMin,
          urgency: form.urgency,
          ...(form.careItemId ? { careItemId: form.careItemId } : {}),
          payInHours: form.payInHours && balance >= form.durationMin,
        },
      });
      void Taro.showToast({ title: '已发出求助', icon: 'success' });
      void Taro.redirectTo({ url: `${PAGES.helpTask}?id=${task.id}&new=1` });
    });
  };

  const durations = [...new Set([...DURATIONS, form.durationMin])].sort((a, b) => a - b);

  return (
    <Page name="help-new">
      <View className="card stack hp-card" data-testid="help-new-what">
        <Text className="card__title">需要帮什么？</Text>
        <View className="hp-chips" data-testid="help-skill">
          {ASKABLE_SKILLS.map((s) => (
            <ChipBtn
              key={s}
              selected={form.skill === s && !form.careItemId}
              onClick={() => pickSkill(s)}
              testId={`help-skill-${s}`}
            >
              {VOLUNTEER_SKILL_LABELS[s]}
            </ChipBtn>
          ))}
        </View>
        {items.length ? (
          <>
            <Text className="muted">志愿者提供的养老服务</Text>
            <View className="hp-chips" data-testid="help-care-items">
              {items.map((i) => (
                <ChipBtn
                  key={i.id}
                  selected={form.careItemId === i.id}
                  onClick={() => pickItem(i)}
                  testId={`help-care-item-${i.code}`}
                >
                  {`${i.name}（约${minutesText(i.durationMin)}）`}
                </ChipBtn>
              ))}
            </View>
          </>
        ) : null}
        {errors.skill ? <Text className="field__error">{errors.skill}</Text> : null}
        <Field label="一句话说明" error={errors.title} testId="help-title-field">
          <TextInput
            value={form.title}
            onChange={(title) => set({ title })}
            placeholder="如：帮我去超市买米"
            maxLength={40}
            testId="help-title"
          />
        </Field>
      </View>

      <View className="card stack hp-card" data-testid="help-new-when">
        <Text className="card__title">什么时候？</Text>
        <ChipRow
          options={[
            { value: 'today', label: '今天' },
            { value: 'tomorrow', label: '明天' },
            { value: 'pick', label: '选日期' },
          ]}
          value={form.day}
          onChange={(day) => set({ day })}
          testId="help-day"
        />
        {form.day === 'pick' ? (
          <DatePick
            value={form.date}
            start={addDays(today, 1)}
            onChange={(date) => set({ date })}
            testId="help-date"
          >
            <Text>{dayOf(form)}</Text>
          </DatePick>
        ) : null}
        <View className="hp-chips" data-testid="help-range">
          {RANGES.map((r) => (
            <ChipBtn
              key={r.key}
              selected={!custom && rangeOf(form) === r.key}
              disabled={!rangeOpen(form, r)}
              onClick={() => {
                setCustom(false);
                set({ from: r.from, to: r.to });
              }}
              testId={`help-range-${r.key}`}
            >
              {r.label}
            </ChipBtn>
          ))}
          <ChipBtn
            selected={custom || rangeOf(form) === 'custom'}
            onClick={() => setCustom(true)}
            testId="help-range-custom"
          >
            自定义
          </ChipBtn>
        </View>
        {custom || rangeOf(form) === 'custom' ? (
          <View className="hp-times" data-testid="help-times">
            <TimePick value={form.from} onChange={(from) => set({ from })} testId="help-from" />
            <Text>至</Text>
            <TimePick value={form.to} onChange={(to) => set({ to })} testId="help-to" />
          </View>
        ) : null}
        {errors.window ? (
          <Text className="field__error" data-testid="help-window-error">
            {errors.window}
          </Text>
        ) : null}
        <Text className="muted">大约需要多久？</Text>
        <ChipRow
          options={durations.map((d) => ({ value: d, label: minutesText(d) }))}
          value={form.durationMin}
          onChange={(durationMin) => set({ durationMin })}
          testId="help-duration"
        />
        <Text className="muted">急不急？</Text>
        <ChipRow
          options={(['low', 'normal', 'urgent'] as const).map((u) => ({
            value: u,
            label: TASK_URGENCY_LABELS[u],
          }))}
          value={form.urgency}
          onChange={(urgency) => set({ urgency })}
          testId="help-urgency"
        />
      </View>

      <View className="card stack hp-card" data-testid="help-new-note">
        <Field label="还有什么要交代的（选填）" error={errors.note}>
          <TextArea
            value={form.note}
            onChange={(note) => set({ note })}
            placeholder="如：要买的东西、家里有没有人接应"
            maxLength={300}
            testId="help-note"
          />
        </Field>
        <Text className="muted">志愿者接单后才能看到您的地址和电话。</Text>
      </View>

      {acting && bank.data && balance > 0 ? (
        <View className="card stack hp-card" data-testid="help-pay-hours">
          <Text className="card__title">用我的时间银行支付</Text>
          <Text className="hp-line">{`我的余额：${hoursText(balance)}，本次需 ${hoursText(form.durationMin)}`}</Text>
          {balance < form.durationMin ? (
            <Text className="hp-warn">余额不够这次的时长</Text>
          ) : (
            <ChipRow
              options={[
                { value: 'no', label: '不用' },
                { value: 'yes', label: '用我的时间支付' },
              ]}
              value={form.payInHours ? 'yes' : 'no'}
              onChange={(v) => set({ payInHours: v === 'yes' })}
              testId="help-pay"
            />
          )}
        </View>
      ) : null}

      {action.error ? (
        <Text className="hp-error" data-testid="help-new-error">
          {`求助未发出：${action.error}`}
        </Text>
      ) : null}
      <View className="hp-big-btn">
        <Btn disabled={action.busy} onClick={submit} testId="help-new-submit">
          {action.busy ? '正在发出…' : '发出求助'}
        </Btn>
      </View>
    </Page>
  );
}

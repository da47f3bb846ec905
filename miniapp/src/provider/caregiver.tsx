import { Picker, Switch, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useState } from 'react';
import { addDays, type Caregiver } from 'shared';
import { call } from '../api';
import { localToday, periodText } from '../common/care-console';
import { confirm } from '../common/confirm';
import { tappable } from '../components/a11y';
import { Btn } from '../components/Btn';
import { Field } from '../components/Field';
import { Page } from '../components/Page';
import { TextInput } from '../components/TextInput';
import { useAction } from '../hooks/use-action';
import { useApi } from '../hooks/use-api';
import { CaregiverForm } from './CaregiverForm';
import {
  CAREGIVER_FIELD_HINTS,
  type CaregiverDraft,
  draftOf,
  parseCaregiverChanges,
  parseTimeOff,
  type TimeOffDraft,
} from './caregiver-model';
import { fieldErrorsOf, providerErrorText } from './errors';
import { useCompounds, useMyProvider } from './use-provider';

/** Who the caregiver is, and 接受新的预约 (off: no new bookings, the ones made stay). */
function CaregiverHead({ caregiver, onSaved }: { caregiver: Caregiver; onSaved: (c: Caregiver) => void }) {
  const { busy, error, run } = useAction(providerErrorText);

  async function setActive(active: boolean) {
    if (
      !active &&
      !(await confirm(
        '停用护理员',
        `停用后不再给「${caregiver.name}」派新的预约，已有预约不变。确定停用吗？`,
        { confirmText: '停用' },
      ))
    ) {
      // The switch moved on screen; put it back to what is saved.
      onSaved({ ...caregiver });
      return;
    }
    const saved = await run(() =>
      call('updateCaregiver', { params: { id: caregiver.id }, body: { active } }),
    );
    if (saved) onSaved(saved);
  }

  return (
    <View className="card stack cc-card" data-testid="caregiver-head">
      <View className="cc-head">
        <Text className="card__title">{caregiver.name}</Text>
        <Text className={`tag tag--${caregiver.active ? 'approved' : 'muted'}`}>
          {caregiver.active ? '在岗' : '已停用'}
        </Text>
      </View>
      {caregiver.phoneMasked ? <Text className="muted">{`手机号：${caregiver.phoneMasked}`}</Text> : null}
      <View className="cc-head">
        <Text className="cc-line">接受新的预约</Text>
        <Switch
          checked={caregiver.active}
          disabled={busy}
          onChange={(e) => void setActive(e.detail.value)}
          color="#1a7f4b"
          aria-label="接受新的预约"
          data-testid="caregiver-active"
        />
      </View>
      {error ? <Text className="state__message">{error}</Text> : null}
    </View>
  );
}

/** 资料与工作时间: name, certifications, compounds and the weekly shifts; only changes are sent. */
function EditCaregiver({ caregiver, onSaved }: { caregiver: Caregiver; onSaved: (c: Caregiver) => void }) {
  const provider = useMyProvider();
  const compounds = useCompounds(provider.data);
  const [draft, setDraft] = useState<CaregiverDraft>(() => draftOf(caregiver));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const { busy, error, setError, run } = useAction(providerErrorText);

  async function save() {
    const parsed = parseCaregiverChanges(caregiver, draft);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      setError('请按提示修改标红的项目');
      return;
    }
    setErrors({});
    if (Object.keys(parsed.body).length === 0) {
      void Taro.showToast({ title: '没有修改', icon: 'none' });
      return;
    }
    const saved = await run(async () => {
      try {
        return await call('updateCaregiver', { params: { id: caregiver.id }, body: parsed.body });
      } catch (e) {
        setErrors(fieldErrorsOf(e, CAREGIVER_FIELD_HINTS));
        throw e;
      }
    });
    if (saved) {
      void Taro.showToast({ title: '已保存', icon: 'success' });
      onSaved(saved);
    }
  }

  return (
    <View className="card stack cc-card" data-testid="caregiver-edit">
      <Text className="card__title">资料与工作时间</Text>
      <CaregiverForm
        draft={draft}
        onChange={setDraft}
        compounds={compounds.data ?? []}
        errors={errors}
        isNew={false}
      />
      {error ? (
        <Text className="state__message" data-testid="caregiver-edit-error">
          {error}
        </Text>
      ) : null}
      <Btn disabled={busy} onClick={() => void save()} testId="caregiver-save">
        {busy ? '保存中…' : '保存资料'}
      </Btn>
    </View>
  );
}

/** The later of two YYYY-MM-DD dates (they sort as text). */
const laterDate = (a: string, b: string) => (a.localeCompare(b) >= 0 ? a : b);

function DateTime({
  date,
  time,
  start,
  onDate,
  onTime,
  label,
  testId,
}: {
  date: string;
  time: string;
  start: string;
  onDate: (d: string) => void;
  onTime: (t: string) => void;
  label: string;
  testId: string;
}) {
  return (
    <View className="cc-period">
      <View className="cc-time-wrap">
        <Picker mode="date" value={date} start={start} onChange={(e) => onDate(String(e.detail.value))}>
          <View
            className="input"
            data-testid={`${testId}-date`}
            {...tappable({ label: `${label}日期：${date}` })}
          >
            <Text>{date}</Text>
          </View>
        </Picker>
      </View>
      <View className="cc-time-wrap">
        <Picker mode="time" value={time} onChange={(e) => onTime(String(e.detail.value))}>
          <View
            className="input"
            data-testid={`${testId}-time`}
            {...tappable({ label: `${label}时间：${time}` })}
          >
            <Text>{time}</Text>
          </View>
        </Picker>
      </View>
    </View>
  );
}

/** 请假: the caregiver's time off (no bookings are assigned then), add and remove. */
function TimeOffCard({
  caregiver,
  onChanged,
}: {
  caregiver: Caregiver;
  onChanged: (c: Caregiver | null) => void;
}) {
  const today = localToday();
  const [draft, setDraft] = useState<TimeOffDraft>({
    startDate: addDays(today, 1),
    startTime: '08:00',
    endDate: addDays(today, 1),
    endTime: '18:00',
    reason: '',
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const { busy, runningKey, error, run } = useAction(providerErrorText);
  const set = <K extends keyof TimeOffDraft>(k: K, v: TimeOffDraft[K]) => setDraft((d) => ({ ...d, [k]: v }));

  async function add() {
    const parsed = parseTimeOff(draft);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      return;
    }
    setErrors({});
    const saved = await run(
      () => call('addTimeOff', { params: { id: caregiver.id }, body: parsed.body }),
      'add',
    );
    if (saved) {
      void Taro.showToast({ title: '已添加请假', icon: 'success' });
      onChanged(saved);
    }
  }

  async function remove(id: string, when: string) {
    if (
      !(await confirm('删除请假', `删除「${when}」的请假吗？删除后这段时间可以接预约。`, {
        confirmText: '删除',
      }))
    )
      return;
    const done = await run(() => call('removeTimeOff', { params: { id } }), id);
    if (done) onChanged(null);
  }

  return (
    <View className="card stack cc-card" data-testid="caregiver-time-off">
      <Text className="card__title">请假安排</Text>
      <Text className="muted">请假期间不会派新的预约；已有的预约请在「预约与确认」中与家属协商改期。</Text>
      {caregiver.timeOff.length === 0 ? <Text className="muted">暂无请假</Text> : null}
      {caregiver.timeOff.map((t) => {
        const when = periodText(t.startsAt, t.endsAt);
        return (
          <View key={t.id} className="cc-table-row" data-testid={`time-off-${t.id}`}>
            <View className="cc-table-row__main">
              <Text className="cc-line">{when}</Text>
              {t.reason ? <Text className="muted">{`原因：${t.reason}`}</Text> : null}
            </View>
            <Btn
              variant="ghost small"
              disabled={busy}
              onClick={() => void remove(t.id, when)}
              testId={`time-off-remove-${t.id}`}
            >
              {runningKey === t.id ? '删除中…' : '删除请假'}
            </Btn>
          </View>
        );
      })}
      <Text className="cc-line cc-strong">新增请假</Text>
      <Field label="开始" error={errors.startsAt}>
        <DateTime
          date={draft.startDate}
          time={draft.startTime}
          start={today}
          onDate={(d) => setDraft((x) => ({ ...x, startDate: d, endDate: laterDate(x.endDate, d) }))}
          onTime={(t) => set('startTime', t)}
          label="请假开始"
          testId="time-off-start"
        />
      </Field>
      <Field label="结束" error={errors.endsAt}>
        <DateTime
          date={draft.endDate}
          time={draft.endTime}
          start={draft.startDate}
          onDate={(d) => set('endDate', d)}
          onTime={(t) => set('endTime', t)}
          label="请假结束"
          testId="time-off-end"
        />
      </Field>
      <Field label="原因（可不填）" error={errors.reason}>
        <TextInput
          placeholder="如：病假、培训"
          maxLength={100}
          value={draft.reason}
          onChange={(v) => set('reason', v)}
          testId="time-off-reason"
        />
      </Field>
      {error ? <Text className="state__message">{error}</Text> : null}
      <Btn variant="ghost" disabled={busy} onClick={() => void add()} testId="time-off-add">
        {runningKey === 'add' ? '提交中…' : '添加请假'}
      </Btn>
    </View>
  );
}

/** 护理员详情: edit one caregiver's details and hours, and their time off. */
export default function ProviderCaregiverPage() {
  const id = useRouter().params.id ?? '';
  // There is no single-caregiver route: the provider's list is short and already has everything.
  const list = useApi(async () => {
    const found = (await call('providerCaregivers')).items.find((c) => c.id === id);
    return found ?? null;
  });
  const [latest, setLatest] = useState<Caregiver | null>(null);
  const c = latest?.id === list.data?.id ? latest : list.data;
  const [version, setVersion] = useState(0);

  const changed = (next: Caregiver | null) => {
    if (next) setLatest(next);
    else void list.reload().then(() => setLatest(null));
    setVersion((v) => v + 1);
  };

  return (
    <Page name="provider-caregiver" state={list}>
      {list.data === null ? (
        <View className="card stack cc-card">
          <Text className="muted">没有找到这位护理员，可能已被移出机构。</Text>
          <Btn variant="ghost" onClick={() => void Taro.navigateBack()}>
            返回护理员列表
          </Btn>
        </View>
      ) : null}
      {c ? (
        <>
          <CaregiverHead key={`head-${version}`} caregiver={c} onSaved={changed} />
          {/* Time off first: a manager comes here for it far more often than to change the week. */}
          <TimeOffCard key={`off-${version}`} caregiver={c} onChanged={changed} />
          <EditCaregiver key={`edit-${version}`} caregiver={c} onSaved={changed} />
        </>
      ) : null}
    </Page>
  );
}

import { Switch, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import {
  PAGES,
  VOLUNTEER_SKILL_LABELS,
  VOLUNTEER_STATUS_LABELS,
  type VolunteerProfile,
  type VolunteerSkillCode,
} from 'shared';
import { call } from '../api';
import { Btn } from '../components/Btn';
import { Field, FieldError } from '../components/Field';
import { Page } from '../components/Page';
import { TextInput } from '../components/TextInput';
import { TimeField } from '../components/TimeField';
import { ToggleButtons } from '../components/ToggleButtons';
import { useAction } from '../hooks/use-action';
import { useApi } from '../hooks/use-api';
import {
  type ApplyDraft,
  draftFromProfile,
  EMPTY_DRAFT,
  fieldErrorsOf,
  homeChoices,
  parseDraft,
} from './apply-model';
import {
  type AvailabilityRow,
  addRow,
  removeRow,
  rowProblem,
  rowText,
  WEEKDAY_OPTIONS,
} from './availability-model';
import { volunteerErrorText } from './errors';
import '../common/care-console.scss';
import '../common/care-console-elder.scss';
import './volunteer.scss';
import './volunteer-elder.scss';

const SKILL_OPTIONS = (Object.keys(VOLUNTEER_SKILL_LABELS) as VolunteerSkillCode[]).map((value) => ({
  value,
  label: VOLUNTEER_SKILL_LABELS[value],
}));

/** Where a person lives and which compounds they may name: their approved households. */
async function loadHomes() {
  const me = await call('me');
  const communityIds = [
    ...new Set(me.memberships.filter((m) => m.status === 'approved').map((m) => m.communityId)),
  ];
  const trees = await Promise.all(
    communityIds.map((id) => call('community', { params: { id } }).catch(() => null)),
  );
  return homeChoices(
    me.memberships,
    trees.filter((t) => t !== null),
  );
}

/** The weekly availability: the rows so far, and 添加时段 with weekdays and from/to. */
function AvailabilityEditor({
  rows,
  onChange,
  error,
}: {
  rows: AvailabilityRow[];
  onChange: (rows: AvailabilityRow[]) => void;
  error?: string;
}) {
  const [days, setDays] = useState<number[]>([]);
  const [from, setFrom] = useState('18:00');
  const [to, setTo] = useState('21:00');
  const [problem, setProblem] = useState<string | null>(null);

  function add() {
    const row = { days, from, to };
    const why = rowProblem(row);
    setProblem(why);
    if (why) return;
    onChange(addRow(rows, row));
    setDays([]);
  }

  return (
    <View className="stack cc-card" data-testid="vol-availability">
      {rows.length === 0 ? (
        <Text className="muted">还没有添加时段。不填也可以，派单时会优先考虑有空的志愿者。</Text>
      ) : null}
      {rows.map((r, i) => (
        <View key={rowText(r)} className="cc-table-row" data-testid={`vol-slot-${i}`}>
          <Text className="cc-line cc-table-row__main">{rowText(r)}</Text>
          <Btn
            variant="ghost small"
            onClick={() => onChange(removeRow(rows, i))}
            testId={`vol-slot-${i}-remove`}
          >
            删除
          </Btn>
        </View>
      ))}
      {error ? <FieldError testId="vol-availability-error">{error}</FieldError> : null}
      <View className="stack cc-card cc-edit">
        <Text className="cc-line cc-strong">添加时段</Text>
        <ToggleButtons
          options={WEEKDAY_OPTIONS}
          selected={days}
          onToggle={(d) => {
            setDays((cur) => (cur.includes(d) ? cur.filter((x) => x !== d) : [...cur, d]));
            setProblem(null);
          }}
          testId="vol-days"
        />
        <Text className="muted">快速选择</Text>
        <View className="cc-actions">
          <Btn variant="ghost small" onClick={() => setDays([1, 2, 3, 4, 5])} testId="vol-days-weekdays">
            周一至周五
          </Btn>
          <Btn variant="ghost small" onClick={() => setDays([6, 0])} testId="vol-days-weekend">
            周末
          </Btn>
          <Btn variant="ghost small" onClick={() => setDays([0, 1, 2, 3, 4, 5, 6])} testId="vol-days-all">
            每天
          </Btn>
        </View>
        <View className="vol-times">
          <TimeField value={from} onChange={setFrom} label="开始时间" testId="vol-from" />
          <Text>至</Text>
          <TimeField value={to} onChange={setTo} label="结束时间" testId="vol-to" />
        </View>
        {problem ? <FieldError testId="vol-slot-problem">{problem}</FieldError> : null}
        <Btn variant="ghost" onClick={add} testId="vol-slot-add">
          添加这个时段
        </Btn>
      </View>
    </View>
  );
}

function ApplyForm({ profile, onSaved }: { profile: VolunteerProfile | null; onSaved: () => void }) {
  // A rejected application is sent again whole (applyVolunteer re-applies); any other profile is edited.
  const editing = profile !== null && profile.status !== 'rejected';
  const homes = useApi(loadHomes);
  const [draft, setDraft] = useState<ApplyDraft>(() => (profile ? draftFromProfile(profile) : EMPTY_DRAFT));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const { busy, error, setError, run } = useAction(volunteerErrorText);

  const set = <K extends keyof ApplyDraft>(key: K, value: ApplyDraft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    // The line under the button spoke of the last attempt; an edit starts a new one.
    setError(null);
    const field = key === 'rows' ? 'availability' : key === 'capHours' ? 'weeklyCapMin' : key;
    if (errors[field]) setErrors(({ [field]: _gone, ...rest }) => rest);
  };

  const choices = homes.data ?? [];
  const home = choices.find((c) => c.id === draft.compoundId);

  function pickHome(id: string) {
    const next = choices.find((c) => c.id === id);
    setDraft((d) => ({ ...d, compoundId: id, buildingId: next?.homeBuildingId ?? null }));
    if (errors.compoundId) setErrors(({ compoundId: _gone, ...rest }) => rest);
  }

  async function submit() {
    const parsed = parseDraft(draft, editing);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      setError('请按提示修改标红的项目');
      return;
    }
    setErrors({});
    const saved = await run(async () => {
      try {
        const b = parsed.body;
        if (editing) {
          return await call('updateVolunteer', {
            body: {
              compoundId: b.compoundId,
              buildingId: b.buildingId ?? null,
              skills: b.skills,
              availability: b.availability,
              weeklyCapMin: b.weeklyCapMin,
              leaderboardOptOut: parsed.leaderboardOptOut,
            },
          });
        }
        const applied = await call('applyVolunteer', { body: b });
        // The application has no opt-out field: it is a setting of the profile once it exists.
        if (parsed.leaderboardOptOut !== applied.leaderboardOptOut)
          return await call('updateVolunteer', { body: { leaderboardOptOut: parsed.leaderboardOptOut } });
        return applied;
      } catch (e) {
        setErrors(fieldErrorsOf(e));
        throw e;
      }
    });
    if (saved) {
      void Taro.showToast({ title: editing ? '资料已保存' : '已提交申请', icon: 'success' });
      onSaved();
    }
  }

  const noHome = homes.data !== undefined && choices.length === 0;

  return (
    <View data-testid="vol-apply-form">
      {profile ? (
        <View className="card stack cc-card" data-testid="vol-apply-status">
          <View className="cc-head">
            <Text className="card__title">{profile.realName}</Text>
            <Text
              className={`tag tag--${profile.status === 'verified' ? 'approved' : profile.status === 'pending' ? 'pending' : 'rejected'}`}
            >
              {VOLUNTEER_STATUS_LABELS[profile.status]}
            </Text>
          </View>
          {profile.status === 'rejected' && profile.reviewNote ? (
            <Text className="cc-warn">{`审核意见：${profile.reviewNote}`}</Text>
          ) : null}
          {profile.status === 'suspended' && profile.suspendReason ? (
            <Text className="cc-warn">{`暂停原因：${profile.suspendReason}`}</Text>
          ) : null}
          {editing ? (
            <Text className="muted">{`身份证后四位 ${profile.idTail}。姓名和身份证如需更改，请联系社区工作人员。`}</Text>
          ) : null}
        </View>
      ) : null}

      {editing ? null : (
        <View className="card stack cc-card">
          <Text className="card__title">实名信息</Text>
          <Text className="muted">只有社区工作人员审核时能看到，不会公开。</Text>
          <Field label="真实姓名" error={errors.realName} testId="field-vol-name">
            <TextInput
              value={draft.realName}
              onChange={(v) => set('realName', v)}
              placeholder="与身份证一致"
              maxLength={20}
              testId="vol-name"
            />
          </Field>
          <Field label="身份证后四位" error={errors.idTail} testId="field-vol-idtail">
            <TextInput
              value={draft.idTail}
              onChange={(v) => set('idTail', v)}
              placeholder="如 123X"
              maxLength={4}
              testId="vol-idtail"
            />
          </Field>
        </View>
      )}

      <View className="card stack cc-card">
        <Text className="card__title">住在哪里</Text>
        <Text className="muted">派单时按离您家的距离优先，只能选已通过住户认证的小区。</Text>
        {homes.error ? (
          <Text className="state__message">{`住址加载失败：${volunteerErrorText(homes.error)}`}</Text>
        ) : null}
        {homes.loading && !homes.data ? <Text className="muted">加载中…</Text> : null}
        {noHome ? (
          <>
            <Text className="cc-warn" data-testid="vol-no-home">
              您还没有通过住户认证的住址，请先完成住户认证再申请。
            </Text>
            <Btn
              variant="ghost"
              onClick={() => void Taro.navigateTo({ url: PAGES.membership })}
              testId="vol-go-membership"
            >
              去住户认证
            </Btn>
          </>
        ) : null}
        {choices.length ? (
          <Field label="所在小区" error={errors.compoundId} testId="field-vol-compound">
            <ToggleButtons
              options={choices.map((c) => ({ value: c.id, label: c.name }))}
              selected={draft.compoundId ? [draft.compoundId] : []}
              onToggle={pickHome}
              testId="vol-compound"
            />
          </Field>
        ) : errors.compoundId ? (
          <FieldError>{errors.compoundId}</FieldError>
        ) : null}
        {home?.buildings.length ? (
          <Field label="楼栋（可不选）" error={errors.buildingId} testId="field-vol-building">
            <ToggleButtons
              options={home.buildings.map((b) => ({ value: b.id, label: b.name }))}
              selected={draft.buildingId ? [draft.buildingId] : []}
              onToggle={(id) => set('buildingId', id === draft.buildingId ? null : id)}
              testId="vol-building"
            />
          </Field>
        ) : null}
      </View>

      <View className="card stack cc-card">
        <Text className="card__title">能提供的服务</Text>
        <Field label="可多选" error={errors.skills} testId="field-vol-skills">
          <ToggleButtons
            options={SKILL_OPTIONS}
            selected={draft.skills}
            onToggle={(s) =>
              set(
                'skills',
                draft.skills.includes(s) ? draft.skills.filter((x) => x !== s) : [...draft.skills, s],
              )
            }
            testId="vol-skills"
          />
        </Field>
      </View>

      <View className="card stack cc-card">
        <Text className="card__title">每周可服务时间</Text>
        <AvailabilityEditor
          rows={draft.rows}
          onChange={(rows) => set('rows', rows)}
          error={errors.availability}
        />
      </View>

      <View className="card stack cc-card">
        <Text className="card__title">时长和排行榜</Text>
        <Field label="每周最多服务（小时）" error={errors.weeklyCapMin} testId="field-vol-cap">
          <TextInput
            value={draft.capHours}
            onChange={(v) => set('capHours', v)}
            placeholder="1 到 70 小时"
            maxLength={4}
            testId="vol-cap"
          />
        </Field>
        <Text className="muted">达到上限后本周不再给您派单，量力而行。</Text>
        <View className="cc-head cc-head--center">
          <Text className="cc-line">不在排行榜上显示我</Text>
          <Switch
            checked={draft.leaderboardOptOut}
            onChange={(e) => set('leaderboardOptOut', e.detail.value)}
            color="#1a7f4b"
            aria-label="不在排行榜上显示我"
            data-testid="vol-optout"
          />
        </View>
      </View>

      {error ? (
        <Text className="state__message" data-testid="vol-apply-error">
          {error}
        </Text>
      ) : null}
      <Btn disabled={busy || noHome} onClick={() => void submit()} testId="vol-apply-submit">
        {busy ? '提交中…' : editing ? '保存资料' : profile ? '修改后重新提交' : '提交申请'}
      </Btn>
    </View>
  );
}

/** 志愿者资料: the application (real name, home, skills, time) and, once it exists, its editor. */
export default function VolunteerApplyPage() {
  const state = useApi(() => call('volunteerMe'));
  const profile = state.data?.volunteer ?? null;

  function saved() {
    const pages = Taro.getCurrentPages();
    if (pages.length > 1) void Taro.navigateBack();
    else void Taro.redirectTo({ url: PAGES.volunteerHome });
  }

  return (
    <Page name="volunteer-apply" state={state}>
      {state.data ? <ApplyForm key={profile?.userId ?? 'new'} profile={profile} onSaved={saved} /> : null}
    </Page>
  );
}

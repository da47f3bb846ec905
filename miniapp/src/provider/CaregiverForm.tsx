import { Text, View } from '@tarojs/components';
import { Field } from '../components/Field';
import { TextInput } from '../components/TextInput';
import { ToggleButtons } from '../components/ToggleButtons';
import { type CaregiverDraft, CERTIFICATION_OPTIONS, validateShifts } from './caregiver-model';
import { ShiftEditor } from './ShiftEditor';

const toggle = <T,>(list: readonly T[], value: T): T[] =>
  list.includes(value) ? list.filter((v) => v !== value) : [...list, value];

/** A caregiver's details: phone (new ones only), name, certifications, compounds and weekly hours. */
export function CaregiverForm({
  draft,
  onChange,
  compounds,
  errors,
  isNew,
}: {
  draft: CaregiverDraft;
  onChange: (draft: CaregiverDraft) => void;
  compounds: readonly { id: string; name: string }[];
  errors: Record<string, string>;
  isNew: boolean;
}) {
  const set = <K extends keyof CaregiverDraft>(key: K, value: CaregiverDraft[K]) =>
    onChange({ ...draft, [key]: value });
  return (
    <View className="stack cc-card" data-testid="caregiver-form">
      {isNew ? (
        <Field label="护理员手机号（用这个号码登录）" error={errors.phone} testId="field-caregiver-phone">
          <TextInput
            kind="phone"
            placeholder="11 位手机号"
            maxLength={11}
            value={draft.phone}
            onChange={(v) => set('phone', v)}
            testId="caregiver-phone"
          />
        </Field>
      ) : null}
      <Field label="姓名" error={errors.name} testId="field-caregiver-name">
        <TextInput
          placeholder="如：陈护理"
          maxLength={40}
          value={draft.name}
          onChange={(v) => set('name', v)}
          testId="caregiver-name"
        />
      </Field>
      <Field label="资质证书（可多选；护理、助浴等项目按资质派单）" error={errors.certifications}>
        <ToggleButtons
          options={CERTIFICATION_OPTIONS}
          selected={draft.certifications}
          onToggle={(c) => set('certifications', toggle(draft.certifications, c))}
          testId="caregiver-certs"
        />
      </Field>
      <Field label="服务小区（可多选）" error={errors.compoundIds} testId="field-caregiver-compounds">
        {compounds.length === 0 ? <Text className="muted">本社区暂无小区</Text> : null}
        <ToggleButtons
          options={compounds.map((c) => ({ value: c.id, label: c.name }))}
          selected={draft.compoundIds}
          onToggle={(id) => set('compoundIds', toggle(draft.compoundIds, id))}
          testId="caregiver-compounds"
        />
      </Field>
      <Field label="每周工作时间" error={errors.hours}>
        <ShiftEditor
          week={draft.week}
          onChange={(w) => set('week', w)}
          problems={validateShifts(draft.week)}
        />
      </Field>
    </View>
  );
}

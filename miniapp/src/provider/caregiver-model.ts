import {
  AddCaregiverBody,
  AddTimeOffBody,
  CARE_CERTIFICATIONS,
  type Caregiver,
  UpdateCaregiverBody,
  type WorkingHours,
  zonedInstant,
} from 'shared';
import type { z } from 'zod';
import { WEEKDAYS, type Week } from '../common/hours-model';

/**
 * A caregiver's form: the weekly hours editor works on the shared Week (common/hours-model.ts,
 * the shops' editor too); the API takes WorkingHours on ISO weekdays in local wall time. Unlike a
 * shop, a caregiver's shift never runs past midnight: a slot never spans a caregiver's day boundary.
 */

export const CARE_TZ = 'Asia/Shanghai';
export const CERTIFICATION_OPTIONS = (
  Object.keys(CARE_CERTIFICATIONS) as (keyof typeof CARE_CERTIFICATIONS)[]
).map((value) => ({ value, label: CARE_CERTIFICATIONS[value] }));
export type CertificationCode = keyof typeof CARE_CERTIFICATIONS;

/** A new caregiver starts on weekdays 08:00-12:00 and 14:00-18:00. */
export const DEFAULT_SHIFT: Week = WEEKDAYS.map((day) => ({
  day,
  periods:
    day <= 5
      ? [
          { open: '08:00', close: '12:00' },
          { open: '14:00', close: '18:00' },
        ]
      : [],
}));

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export function hoursToWeek(hours: readonly WorkingHours[]): Week {
  return WEEKDAYS.map((day) => ({
    day,
    periods: hours
      .filter((h) => h.weekday === day)
      .map((h) => ({ open: h.start, close: h.end }))
      .sort((a, b) => minutes(a.open) - minutes(b.open)),
  }));
}

export function weekToHours(week: Week): WorkingHours[] {
  return week.flatMap((d) =>
    [...d.periods]
      .sort((a, b) => minutes(a.open) - minutes(b.open))
      .map((p) => ({ weekday: d.day, start: p.open, end: p.close })),
  );
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const END = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

/** Problems per weekday in Chinese (key 0 for the whole week); empty when the week can be saved. */
export function validateShifts(week: Week): Record<number, string> {
  const problems: Record<number, string> = {};
  let total = 0;
  for (const d of week) {
    total += d.periods.length;
    const periods = [...d.periods].sort((a, b) => minutes(a.open) - minutes(b.open));
    if (periods.some((p) => !HHMM.test(p.open) || !END.test(p.close)))
      problems[d.day] = '时间格式应为 时:分，如 08:30';
    else if (periods.some((p) => minutes(p.close) <= minutes(p.open)))
      problems[d.day] = '下班时间要晚于上班时间（不能跨夜）';
    else if (periods.some((p, i) => i > 0 && minutes(p.open) < minutes(periods[i - 1]!.close)))
      problems[d.day] = '时段有重叠';
  }
  if (total > 21) problems[0] = '一周最多 21 个工作时段';
  return problems;
}

export interface CaregiverDraft {
  phone: string;
  name: string;
  certifications: CertificationCode[];
  compoundIds: string[];
  week: Week;
}

export const EMPTY_CAREGIVER: CaregiverDraft = {
  phone: '',
  name: '',
  certifications: [],
  compoundIds: [],
  week: DEFAULT_SHIFT,
};

export const CAREGIVER_FIELD_HINTS: Record<string, string> = {
  phone: '请输入护理员的 11 位手机号',
  name: '请填写护理员姓名（40 字以内）',
  certifications: '资质选择有误',
  compoundIds: '请至少选择一个服务小区',
  hours: '工作时间设置有误',
};

export function draftOf(c: Caregiver): CaregiverDraft {
  return {
    phone: '',
    name: c.name,
    certifications: c.certifications.filter((x): x is CertificationCode => x in CARE_CERTIFICATIONS),
    compoundIds: c.compoundIds,
    week: hoursToWeek(c.hours),
  };
}

type Result<B> = { ok: true; body: B } | { ok: false; errors: Record<string, string> };

function check<S extends z.ZodType>(schema: S, body: z.input<S>, week: Week): Result<z.input<S>> {
  const errors: Record<string, string> = {};
  if (Object.keys(validateShifts(week)).length) errors.hours = '工作时间设置有误，请按提示修改';
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? '');
      if (field) errors[field] ??= CAREGIVER_FIELD_HINTS[field] ?? issue.message;
    }
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, body };
}

/** 添加护理员: the body for addCaregiver, or problems by field. */
export function parseNewCaregiver(d: CaregiverDraft): Result<z.input<typeof AddCaregiverBody>> {
  return check(
    AddCaregiverBody,
    {
      phone: d.phone.trim(),
      name: d.name.trim(),
      certifications: d.certifications,
      compoundIds: d.compoundIds,
      hours: weekToHours(d.week),
    },
    d.week,
  );
}

/** 保存: only what changed since the caregiver was loaded, for updateCaregiver. */
export function parseCaregiverChanges(
  before: Caregiver,
  d: CaregiverDraft,
): Result<z.input<typeof UpdateCaregiverBody>> {
  const body: z.input<typeof UpdateCaregiverBody> = {};
  const same = (a: readonly string[], b: readonly string[]) => [...a].sort().join() === [...b].sort().join();
  if (d.name.trim() !== before.name) body.name = d.name.trim();
  if (!same(d.certifications, before.certifications)) body.certifications = d.certifications;
  if (!same(d.compoundIds, before.compoundIds)) body.compoundIds = d.compoundIds;
  const hours = weekToHours(d.week);
  const key = (h: WorkingHours[]) => h.map((x) => `${x.weekday}${x.start}${x.end}`).join();
  if (key(hours) !== key(weekToHours(hoursToWeek(before.hours)))) body.hours = hours;
  return check(UpdateCaregiverBody, body, d.week);
}

export interface TimeOffDraft {
  startDate: string;
  startTime: string;
  endDate: string;
  endTime: string;
  reason: string;
}

/** 请假: local dates and times (Asia/Shanghai) into the instants addTimeOff takes. */
export function parseTimeOff(d: TimeOffDraft): Result<z.input<typeof AddTimeOffBody>> {
  if (!d.startDate || !d.endDate) return { ok: false, errors: { startsAt: '请选择开始和结束时间' } };
  const startsAt = zonedInstant(d.startDate, d.startTime, CARE_TZ).toISOString();
  const endsAt = zonedInstant(d.endDate, d.endTime, CARE_TZ).toISOString();
  if (Date.parse(endsAt) <= Date.parse(startsAt))
    return { ok: false, errors: { endsAt: '结束时间要晚于开始时间' } };
  const body = { startsAt, endsAt, reason: d.reason.trim() };
  const parsed = AddTimeOffBody.safeParse(body);
  if (!parsed.success) return { ok: false, errors: { reason: '请假原因最多 100 字' } };
  return { ok: true, body };
}

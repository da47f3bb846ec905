import type { Caregiver } from 'shared';
import { describe, expect, it } from 'vitest';
import { setPeriodTime } from '../common/hours-model';
import {
  DEFAULT_SHIFT,
  draftOf,
  EMPTY_CAREGIVER,
  hoursToWeek,
  parseCaregiverChanges,
  parseNewCaregiver,
  parseTimeOff,
  validateShifts,
  weekToHours,
} from './caregiver-model';

const COMPOUND = '0190f5a0-0000-7000-8000-000000000001';
const caregiver: Caregiver = {
  id: '0190f5a0-0000-7000-8000-0000000000c1',
  userId: '0190f5a0-0000-7000-8000-0000000000u1',
  providerId: '0190f5a0-0000-7000-8000-0000000000p1',
  name: '陈护理',
  phoneMasked: '138****0005',
  certifications: ['caregiver', 'bathing'],
  compoundIds: [COMPOUND],
  hours: [
    { weekday: 1, start: '14:00', end: '18:00' },
    { weekday: 1, start: '08:00', end: '12:00' },
    { weekday: 6, start: '09:00', end: '24:00' },
  ],
  timeOff: [],
  active: true,
};

describe('caregiver hours', () => {
  it('turns working hours into a sorted week and back', () => {
    const week = hoursToWeek(caregiver.hours);
    expect(week[0]!.periods).toEqual([
      { open: '08:00', close: '12:00' },
      { open: '14:00', close: '18:00' },
    ]);
    expect(week[6]!.periods).toEqual([]);
    expect(weekToHours(week)).toEqual([
      { weekday: 1, start: '08:00', end: '12:00' },
      { weekday: 1, start: '14:00', end: '18:00' },
      { weekday: 6, start: '09:00', end: '24:00' },
    ]);
  });

  it('refuses overnight and overlapping shifts, per day', () => {
    expect(validateShifts(DEFAULT_SHIFT)).toEqual({});
    const overnight = setPeriodTime(DEFAULT_SHIFT, 2, 1, 'close', '02:00');
    expect(validateShifts(overnight)).toEqual({ 2: '下班时间要晚于上班时间（不能跨夜）' });
    const overlap = setPeriodTime(DEFAULT_SHIFT, 3, 1, 'open', '11:00');
    expect(validateShifts(overlap)).toEqual({ 3: '时段有重叠' });
  });
});

describe('caregiver form', () => {
  it('builds the add body with a trimmed phone and name', () => {
    const r = parseNewCaregiver({
      ...EMPTY_CAREGIVER,
      phone: ' 13800000005 ',
      name: ' 陈护理 ',
      certifications: ['nurse'],
      compoundIds: [COMPOUND],
    });
    expect(r).toEqual({
      ok: true,
      body: expect.objectContaining({ phone: '13800000005', name: '陈护理', certifications: ['nurse'] }),
    });
    if (r.ok) expect(r.body.hours).toHaveLength(10);
  });

  it('names each missing field in Chinese', () => {
    const r = parseNewCaregiver({ ...EMPTY_CAREGIVER, phone: '123' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toMatchObject({
      phone: '请输入护理员的 11 位手机号',
      name: '请填写护理员姓名（40 字以内）',
      compoundIds: '请至少选择一个服务小区',
    });
  });

  it('sends only what changed on edit', () => {
    const draft = draftOf(caregiver);
    expect(parseCaregiverChanges(caregiver, draft)).toEqual({ ok: true, body: {} });
    const r = parseCaregiverChanges(caregiver, {
      ...draft,
      certifications: ['bathing', 'caregiver', 'nurse'],
      week: setPeriodTime(draft.week, 1, 0, 'open', '07:30'),
    });
    expect(r.ok && Object.keys(r.body).sort()).toEqual(['certifications', 'hours']);
    const bad = parseCaregiverChanges(caregiver, { ...draft, compoundIds: [] });
    expect(bad.ok ? null : bad.errors.compoundIds).toBe('请至少选择一个服务小区');
  });
});

describe('time off', () => {
  it('reads local Shanghai times as UTC instants', () => {
    const r = parseTimeOff({
      startDate: '2026-02-10',
      startTime: '08:00',
      endDate: '2026-02-12',
      endTime: '18:00',
      reason: ' 回老家 ',
    });
    expect(r).toEqual({
      ok: true,
      body: { startsAt: '2026-02-10T00:00:00.000Z', endsAt: '2026-02-12T10:00:00.000Z', reason: '回老家' },
    });
  });

  it('refuses an end before the start', () => {
    const r = parseTimeOff({
      startDate: '2026-02-10',
      startTime: '12:00',
      endDate: '2026-02-10',
      endTime: '09:00',
      reason: '',
    });
    expect(r).toEqual({ ok: false, errors: { endsAt: '结束时间要晚于开始时间' } });
  });
});

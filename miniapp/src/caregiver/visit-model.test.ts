import { describe, expect, it } from 'vitest';
import {
  checkedLabels,
  checklistProgress,
  clockInHint,
  clockNote,
  contactNote,
  locationProblem,
  visitActions,
} from './visit-model';

const record = (over: Partial<{ clockInAt: string | null; clockOutAt: string | null }> = {}) => ({
  clockInAt: null,
  clockOutAt: null,
  clockInDistanceM: null,
  clockOutDistanceM: null,
  locationFlagged: false,
  checklist: [],
  notes: '',
  summary: '',
  photos: [],
  rating: null,
  ratingComment: null,
  ...over,
});

describe('visit actions', () => {
  // 10:00 in Shanghai on 5 Jan 2026.
  const startsAt = '2026-01-05T02:00:00Z';
  const at = (iso: string) => new Date(iso);

  it('offers clock-in and, once the start has passed, 老人不在家; nothing to record yet', () => {
    expect(
      visitActions({ status: 'confirmed', startsAt, visit: record() }, at('2026-01-05T02:05:00Z')),
    ).toEqual({
      clockIn: true,
      clockOut: false,
      elderAbsent: true,
      record: false,
      incident: true,
    });
  });

  it('keeps 老人不在家 away before the start, and clock-in there for the server to judge', () => {
    const a = visitActions({ status: 'confirmed', startsAt, visit: record() }, at('2026-01-04T02:00:00Z'));
    expect(a).toMatchObject({ clockIn: true, elderAbsent: false });
  });

  it('offers clock-out and the record while in service', () => {
    const a = visitActions({
      status: 'in_service',
      startsAt,
      visit: record({ clockInAt: '2026-01-05T02:00:00Z' }),
    });
    expect(a).toMatchObject({ clockIn: false, clockOut: true, elderAbsent: false, record: true });
  });

  it('offers no clocking once done, cancelled or a no-show', () => {
    for (const status of ['completed', 'cancelled', 'no_show'] as const) {
      const a = visitActions({ status, startsAt, visit: record({ clockInAt: 'x', clockOutAt: 'y' }) });
      expect(a.clockIn || a.clockOut || a.elderAbsent).toBe(false);
    }
    expect(visitActions({ status: 'cancelled', startsAt, visit: record() }).incident).toBe(false);
    expect(visitActions({ status: 'requested', startsAt, visit: record() }).clockIn).toBe(false);
  });

  it('says when clock-in opens until it does: 15 minutes before the start, in Shanghai time', () => {
    expect(clockInHint(startsAt, at('2026-01-04T08:00:00Z'))).toBe(
      '服务开始前 15 分钟起可以打卡（明天 09:45 起）',
    );
    expect(clockInHint(startsAt, at('2026-01-05T01:00:00Z'))).toBe(
      '服务开始前 15 分钟起可以打卡（今天 09:45 起）',
    );
    expect(clockInHint(startsAt, at('2026-01-02T08:00:00Z'))).toBe(
      '服务开始前 15 分钟起可以打卡（1月5日 周一 09:45 起）',
    );
    expect(clockInHint(startsAt, at('2026-01-05T01:45:00Z'))).toBeNull();
    expect(clockInHint(startsAt, at('2026-01-05T03:00:00Z'))).toBeNull();
  });
});

describe('checklist', () => {
  const list = [
    { label: '测血压', done: true },
    { label: '测血糖', done: false },
    { label: '记录', done: false },
  ];

  it('keeps the ticked labels in the checklist order and drops unknown ones', () => {
    expect(checkedLabels(list, ['记录', '测血压'])).toEqual(['测血压', '记录']);
    expect(checkedLabels(list, ['已删除的项', '测血糖'])).toEqual(['测血糖']);
    expect(checkedLabels(list, [])).toEqual([]);
  });

  it('says how far along it is', () => {
    expect(checklistProgress(list)).toBe('已完成 1/3 项');
    expect(checklistProgress([])).toBe('本项服务没有清单');
  });
});

describe('clock notes', () => {
  it('flags a far clock-in with the distance, and shows a near one plainly', () => {
    expect(clockNote(1340, true)).toBe('位置偏离，已记录（距小区约 1.3 公里）');
    expect(clockNote(80, false)).toBe('距小区约 80 米');
    expect(clockNote(null, false)).toBeNull();
    expect(clockNote(null, true)).toBe('位置偏离，已记录');
  });
});

describe('location problems', () => {
  it('tells a refusal from an outage, a timeout and an unsupported platform', () => {
    expect(locationProblem({ errMsg: 'getLocation:fail auth deny' })).toBe('denied');
    expect(locationProblem({ errMsg: 'getLocation:fail system permission denied' })).toBe('denied');
    expect(locationProblem({ errMsg: 'User denied Geolocation' })).toBe('denied');
    expect(locationProblem({ errMsg: 'Timeout expired', code: 3 })).toBe('timeout');
    expect(locationProblem({ errMsg: 'This coordinate system type is not temporarily supported' })).toBe(
      'unsupported',
    );
    expect(locationProblem({ errMsg: 'getLocation:fail' })).toBe('unavailable');
    expect(locationProblem(undefined)).toBe('unavailable');
  });

  it('explains a hidden address only until it is revealed', () => {
    expect(contactNote({ revealed: false })).toBe('服务开始前2小时显示完整地址和联系电话');
    expect(contactNote({ revealed: true })).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import {
  activityBody,
  activityWhen,
  availabilityText,
  boardSummary,
  creditText,
  parseCreditHours,
  parseMinutes,
  reviewActions,
  skillsText,
  sortBoard,
  taskActions,
  toggled,
} from './volunteer-model';

const NOW = new Date('2026-03-10T01:30:00Z'); // 09:30 in Shanghai

describe('volunteer review', () => {
  it('offers the buttons each state allows', () => {
    expect(reviewActions('pending')).toEqual({
      verify: true,
      reject: true,
      suspend: false,
      reinstate: false,
    });
    expect(reviewActions('verified')).toEqual({
      verify: false,
      reject: false,
      suspend: true,
      reinstate: false,
    });
    expect(reviewActions('suspended')).toEqual({
      verify: false,
      reject: false,
      suspend: false,
      reinstate: true,
    });
    expect(reviewActions('rejected')).toEqual({
      verify: false,
      reject: false,
      suspend: false,
      reinstate: false,
    });
  });

  it('names skills and weekly hours', () => {
    expect(skillsText(['errands', 'company'])).toBe('代买跑腿、陪伴聊天');
    expect(skillsText([])).toBe('未填写');
    expect(
      availabilityText([
        { weekday: 3, startMin: 1080, endMin: 1260 },
        { weekday: 1, startMin: 1080, endMin: 1260 },
        { weekday: 0, startMin: 540, endMin: 720 },
      ]),
    ).toBe('周一、周三 18:00-21:00；周日 09:00-12:00');
    expect(
      availabilityText([0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, startMin: 480, endMin: 1260 }))),
    ).toBe('每天 08:00-21:00');
    expect(availabilityText([])).toBe('未填写');
  });
});

describe('dispatch', () => {
  const can = {
    accept: false,
    decline: false,
    release: false,
    start: false,
    finish: false,
    confirm: false,
    dispute: false,
    cancel: true,
  };
  it('assigns only what can still be taken, resolves only disputes', () => {
    expect(taskActions({ status: 'escalated', hoursStatus: null, can })).toEqual({
      assign: true,
      cancel: true,
      resolve: false,
    });
    expect(taskActions({ status: 'in_progress', hoursStatus: null, can: { ...can, cancel: false } })).toEqual(
      {
        assign: false,
        cancel: false,
        resolve: false,
      },
    );
    expect(
      taskActions({ status: 'done', hoursStatus: 'disputed', can: { ...can, cancel: false } }).resolve,
    ).toBe(true);
    expect(
      taskActions({ status: 'done', hoursStatus: 'pending', can: { ...can, cancel: false } }).resolve,
    ).toBe(false);
  });

  it('reads minutes as typed', () => {
    expect(parseMinutes('45')).toEqual({ ok: true, value: 45 });
    expect(parseMinutes('４５分钟')).toEqual({ ok: true, value: 45 });
    expect(parseMinutes('0')).toEqual({ ok: true, value: 0 });
    expect(parseMinutes('721').ok).toBe(false);
    expect(parseMinutes('半小时').ok).toBe(false);
  });
});

describe('activities', () => {
  const form = {
    title: '社区义诊',
    description: '',
    place: '社区活动中心',
    date: '2026-03-12',
    start: '14:00',
    end: '16:00',
    capacity: '20',
    creditHours: '2',
  };

  it('turns the form into the body, Shanghai times as instants', () => {
    expect(activityBody(form, NOW)).toEqual({
      ok: true,
      body: {
        title: '社区义诊',
        description: '',
        place: '社区活动中心',
        startsAt: '2026-03-12T06:00:00.000Z',
        endsAt: '2026-03-12T08:00:00.000Z',
        capacity: 20,
        creditMin: 120,
      },
    });
  });

  it('says what is wrong, per field', () => {
    const bad = activityBody(
      { ...form, title: ' ', place: '', end: '13:00', capacity: '0', creditHours: '1.1' },
      NOW,
    );
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.errors).toEqual({
      title: '请填写活动名称',
      place: '请填写活动地点',
      end: '结束时间需晚于开始时间',
      capacity: '名额请填 1 到 1000 的整数',
      creditHours: '请按一刻钟填写，如 0.25、0.5、1.5',
    });
    const past = activityBody({ ...form, date: '2026-03-10', start: '08:00', end: '09:00' }, NOW);
    expect(past.ok ? null : past.errors.start).toBe('开始时间已经过去了');
  });

  it('reads credit hours and the time', () => {
    expect(parseCreditHours('1.5')).toEqual({ ok: true, value: 90 });
    expect(parseCreditHours('2小时')).toEqual({ ok: true, value: 120 });
    expect(parseCreditHours('13').ok).toBe(false);
    expect(creditText(90)).toBe('计 1.5 小时');
    expect(creditText(0)).toBe('不计时长');
    expect(activityWhen('2026-03-12T06:00:00Z', '2026-03-12T08:00:00Z')).toBe('3月12日 周四 14:00-16:00');
  });
});

describe('check-in board', () => {
  const items = [
    { elderName: '王奶奶', state: 'ok' as const },
    { elderName: '刘奶奶', state: 'alerted_staff' as const },
    { elderName: '张爷爷', state: 'waiting' as const },
    { elderName: '李爷爷', state: 'ok' as const },
  ];
  it('puts those needing a look first', () => {
    expect(sortBoard(items).map((i) => i.elderName)).toEqual(['刘奶奶', '张爷爷', '李爷爷', '王奶奶']);
    expect(boardSummary(items)).toBe('需社区跟进 1 · 等待中 1 · 已报平安 2');
    expect(boardSummary([])).toBe('今天没有需要报平安的老人');
  });

  it('toggles team members', () => {
    expect(toggled(['a', 'b'], 'a')).toEqual(['b']);
    expect(toggled(['a'], 'b')).toEqual(['a', 'b']);
  });
});

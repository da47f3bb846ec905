import type { HelpTask } from 'shared';
import { describe, expect, it } from 'vitest';
import {
  clockMinutes,
  clockText,
  defaultForm,
  hoursText,
  minutesText,
  offersDailyTap,
  planText,
  rangeOf,
  rangeOpen,
  showDoorCode,
  spacedCode,
  type TaskForm,
  taskNextText,
  taskStatusText,
  taskSteps,
  taskTone,
  validateTaskForm,
  windowOf,
  windowText,
} from './help-model';

// 2026-03-10 09:30 in Shanghai (a Tuesday).
const NOW = new Date('2026-03-10T01:30:00Z');

const task = (over: Partial<HelpTask> = {}): HelpTask => ({
  id: 't1',
  status: 'open',
  source: 'elder',
  skill: 'errands',
  title: '请帮忙代买跑腿',
  note: '',
  urgency: 'normal',
  windowStart: '2026-03-10T06:00:00Z',
  windowEnd: '2026-03-10T10:00:00Z',
  durationMin: 60,
  deadline: '2026-03-10T09:00:00Z',
  compoundName: '银杏院',
  elderLabel: '刘奶奶',
  contact: null,
  distanceMetres: null,
  volunteerName: null,
  acceptedAt: null,
  startedAt: null,
  finishedAt: null,
  minutes: null,
  hoursStatus: null,
  hoursConfirmBy: null,
  disputeNote: null,
  rating: null,
  paidMinutes: 0,
  checkinCode: '123456',
  pickup: null,
  can: {
    accept: false,
    decline: false,
    release: false,
    start: false,
    finish: false,
    confirm: false,
    dispute: false,
    cancel: true,
  },
  declined: false,
  createdAt: '2026-03-10T01:00:00Z',
  ...over,
});

describe('durations', () => {
  it('reads minutes as a person says them', () => {
    expect(minutesText(45)).toBe('45分钟');
    expect(minutesText(60)).toBe('1小时');
    expect(minutesText(90)).toBe('1小时30分钟');
    expect(hoursText(90)).toBe('1.5 小时');
    expect(hoursText(100)).toBe('1.7 小时');
    expect(hoursText(0)).toBe('0 小时');
  });

  it('turns minutes of the day into a clock and back', () => {
    expect(clockText(600)).toBe('10:00');
    expect(clockText(545)).toBe('09:05');
    expect(clockMinutes('09:05')).toBe(545);
  });
});

describe('a task as the elder sees it', () => {
  it('names its state, and where the hours stand once done', () => {
    expect(taskStatusText(task())).toBe('待接单');
    expect(taskStatusText(task({ status: 'done', hoursStatus: 'pending' }))).toBe('待确认时长');
    expect(taskStatusText(task({ status: 'done', hoursStatus: 'confirmed' }))).toBe('时长已确认');
    expect(taskTone(task({ status: 'done', hoursStatus: 'disputed' }))).toBe('rejected');
    expect(taskTone(task({ status: 'accepted' }))).toBe('active');
    expect(taskTone(task({ status: 'cancelled' }))).toBe('muted');
  });

  it('says what happens next', () => {
    expect(taskNextText(task({ status: 'accepted', volunteerName: '赵志愿' }))).toBe(
      '赵志愿已接单，上门时请出示签到码',
    );
    expect(taskNextText(task({ status: 'escalated' }))).toContain('社区工作人员');
    expect(taskNextText(task({ status: 'done', hoursStatus: 'pending' }))).toBe('服务已完成，请确认服务时长');
  });

  it('shows the door code only while the volunteer is on the way', () => {
    expect(showDoorCode(task({ status: 'accepted' }))).toBe(true);
    expect(showDoorCode(task({ status: 'open' }))).toBe(false);
    expect(showDoorCode(task({ status: 'in_progress' }))).toBe(false);
    expect(showDoorCode(task({ status: 'accepted', checkinCode: null }))).toBe(false);
    expect(spacedCode('123456')).toBe('123 456');
  });

  it('lays out the timeline up to where the task is', () => {
    const accepted = taskSteps(
      task({ status: 'accepted', volunteerName: '赵志愿', acceptedAt: '2026-03-10T02:00:00Z' }),
    );
    expect(accepted.map((s) => [s.key, s.done])).toEqual([
      ['raised', true],
      ['offered', true],
      ['accepted', true],
      ['started', false],
      ['done', false],
      ['hours', false],
    ]);
    expect(accepted[2]).toMatchObject({ label: '赵志愿已接单', at: '03-10 10:00' });

    const done = taskSteps(
      task({ status: 'done', minutes: 50, hoursStatus: 'confirmed', startedAt: NOW.toISOString() }),
    );
    expect(done.every((s) => s.done)).toBe(true);
    expect(done[4]!.label).toBe('服务完成，用时50分钟');

    const cancelled = taskSteps(task({ status: 'cancelled' }));
    expect(cancelled.map((s) => s.key)).toEqual(['raised', 'offered', 'cancelled']);
    expect(taskSteps(task())[1]!.done).toBe(false);
  });
});

describe('raising a task', () => {
  const form = (over: Partial<TaskForm> = {}): TaskForm => ({
    ...defaultForm(NOW),
    skill: 'errands',
    title: '请帮忙代买跑腿',
    ...over,
  });

  it('starts with the first part of today still open', () => {
    const f = defaultForm(NOW);
    expect(f).toMatchObject({ day: 'today', from: '08:00', to: '12:00', durationMin: 60 });
    // At 20:30 only tomorrow is left.
    const late = defaultForm(new Date('2026-03-10T12:30:00Z'));
    expect(late).toMatchObject({ day: 'tomorrow', from: '08:00', to: '12:00' });
    expect(rangeOf(late)).toBe('morning');
    expect(rangeOf({ from: '08:30', to: '12:00' })).toBe('custom');
  });

  it('builds the window in Shanghai time, past midnight when the end is earlier', () => {
    expect(windowOf(form({ day: 'tomorrow', from: '14:00', to: '18:00' }), NOW)).toEqual({
      windowStart: '2026-03-11T06:00:00.000Z',
      windowEnd: '2026-03-11T10:00:00.000Z',
    });
    expect(
      windowOf(form({ day: 'pick', date: '2026-03-20', from: '22:00', to: '01:00' }), NOW).windowEnd,
    ).toBe('2026-03-20T17:00:00.000Z');
    expect(windowText('2026-03-11T06:00:00Z', '2026-03-11T10:00:00Z', NOW)).toBe('明天 14:00-18:00');
    expect(windowText('2026-03-10T06:00:00Z', '2026-03-10T10:00:00Z', NOW)).toBe('今天 14:00-18:00');
    expect(windowText('2026-03-12T01:00:00Z', '2026-03-12T03:00:00Z', NOW)).toBe('3月12日 周四 09:00-11:00');
  });

  it('tells which parts of today are gone', () => {
    const f = form({ day: 'today', durationMin: 60 });
    expect(rangeOpen(f, { from: '08:00', to: '10:00' }, NOW)).toBe(false);
    expect(rangeOpen(f, { from: '08:00', to: '12:00' }, NOW)).toBe(true);
    expect(rangeOpen({ ...f, day: 'tomorrow' }, { from: '08:00', to: '10:00' }, NOW)).toBe(true);
  });

  it('checks the form before sending', () => {
    expect(validateTaskForm(form(), NOW)).toEqual({});
    expect(validateTaskForm(form({ skill: null }), NOW).skill).toBe('请选择需要帮忙的事');
    expect(validateTaskForm(form({ skill: null, careItemId: 'c1' }), NOW).skill).toBeUndefined();
    expect(validateTaskForm(form({ title: '  ' }), NOW).title).toBe('请写一句需要帮什么');
    expect(validateTaskForm(form({ title: '长'.repeat(41) }), NOW).title).toBeDefined();
    expect(validateTaskForm(form({ from: '14:00', to: '14:30', durationMin: 60 }), NOW).window).toBe(
      '时间段太短，至少要1小时',
    );
    expect(validateTaskForm(form({ from: '08:00', to: '10:00', durationMin: 60 }), NOW).window).toBe(
      '这个时间已经过去了，请选晚一点',
    );
  });
});

describe('check-ins', () => {
  const plan = { mode: 'daily_tap' as const, dueMin: 600, graceMin: 60, visitWeekday: 3, active: true };
  it('describes the plan', () => {
    expect(planText(plan)).toBe('每天 10:00 前点一下“我很好”，超过1小时未报平安会提醒家属');
    expect(planText({ ...plan, mode: 'weekly_visit' })).toBe('每周三安排志愿者上门探访');
    expect(planText({ ...plan, active: false })).toBe('未开启报平安');
    expect(planText(null)).toBe('未开启报平安');
  });
  it('offers the tap only with a daily plan that is on', () => {
    expect(offersDailyTap(plan)).toBe(true);
    expect(offersDailyTap({ ...plan, mode: 'weekly_visit' })).toBe(false);
    expect(offersDailyTap({ ...plan, active: false })).toBe(false);
    expect(offersDailyTap(null)).toBe(false);
  });
});

import type { HelpTask } from 'shared';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors';
import { taskErrorText, volunteerErrorText } from './errors';
import { distanceLabel, minutesText, skillLabel, taskStatusText, windowText } from './labels';
import {
  cardState,
  detailActions,
  doorCodeErrorText,
  hoursLine,
  isMine,
  minutesLimit,
  minutesPrefill,
  parseDoorCode,
  parseMinutes,
  pickupLines,
  spacedCode,
  triesLeft,
} from './task-model';

// Tuesday 2 December 2025, 10:00 in Shanghai.
const NOW = new Date('2025-12-02T02:00:00Z');

const NO = {
  accept: false,
  decline: false,
  release: false,
  start: false,
  finish: false,
  confirm: false,
  dispute: false,
  cancel: false,
};

function task(over: Partial<HelpTask> = {}): HelpTask {
  return {
    id: 't1',
    status: 'offered',
    source: 'elder',
    skill: 'errands',
    title: '帮忙买菜',
    note: '',
    urgency: 'normal',
    windowStart: '2025-12-03T06:00:00Z',
    windowEnd: '2025-12-03T09:00:00Z',
    durationMin: 60,
    deadline: '2025-12-03T09:00:00Z',
    compoundName: '银杏院',
    elderLabel: '刘家',
    contact: null,
    distanceMetres: 350,
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
    checkinCode: null,
    pickup: null,
    can: { ...NO },
    declined: false,
    createdAt: '2025-12-01T02:00:00Z',
    ...over,
  };
}

describe('labels', () => {
  it('reads a window in Shanghai time, with 明天 for tomorrow', () => {
    expect(windowText('2025-12-03T06:00:00Z', '2025-12-03T09:00:00Z', NOW)).toBe('明天 12月3日 14:00–17:00');
    expect(windowText('2025-12-09T06:00:00Z', '2025-12-09T09:00:00Z', NOW)).toBe('12月9日 14:00–17:00');
    // 22:00 to 01:00 crosses local midnight.
    expect(windowText('2025-12-05T14:00:00Z', '2025-12-05T17:00:00Z', NOW)).toBe(
      '12月5日 22:00–12月6日 01:00',
    );
    // Ending at local midnight stays on its day.
    expect(windowText('2025-12-05T12:00:00Z', '2025-12-05T16:00:00Z', NOW)).toBe('12月5日 20:00–24:00');
    expect(windowText('2026-01-05T02:00:00Z', '2026-01-05T03:00:00Z', NOW)).toBe('2026年1月5日 10:00–11:00');
  });

  it('says distance as 约 N 米 / 公里, nothing when unknown', () => {
    expect(distanceLabel(350)).toBe('约 350 米');
    expect(distanceLabel(1240)).toBe('约 1.2 公里');
    expect(distanceLabel(null)).toBeNull();
  });

  it('writes minutes as hours and minutes', () => {
    expect(minutesText(45)).toBe('45分钟');
    expect(minutesText(120)).toBe('2小时');
    expect(minutesText(150)).toBe('2小时30分');
    expect(minutesText(-90)).toBe('-1小时30分');
  });

  it('names skills in Chinese, an unknown one too', () => {
    expect(skillLabel('locker_run')).toBe('生鲜代取');
    expect(skillLabel('juggling')).toBe('志愿服务');
  });

  it('says 已被接单 for a task another volunteer holds', () => {
    expect(taskStatusText('accepted', true)).toBe('已被接单');
    expect(taskStatusText('accepted', false)).toBe('已接单');
    expect(taskStatusText('offered', false)).toBe('待接单');
  });
});

describe('task cards', () => {
  it('shows 接单 and 婉拒 on an offer exactly as can says', () => {
    expect(
      cardState(task({ can: { ...NO, accept: true, decline: true } }), '赵志愿', 'offers'),
    ).toMatchObject({
      taken: false,
      accept: true,
      decline: true,
    });
    // On the board nobody offered it to this volunteer: 接单 without 婉拒.
    expect(
      cardState(task({ status: 'open', can: { ...NO, accept: true } }), '赵志愿', 'board'),
    ).toMatchObject({
      accept: true,
      decline: false,
    });
  });

  it('greys an offer someone else accepted, with no buttons even if can were stale', () => {
    const s = cardState(
      task({ status: 'accepted', volunteerName: '钱志愿', can: { ...NO, accept: true, decline: true } }),
      '赵志愿',
      'offers',
    );
    expect(s).toEqual({ taken: true, accept: false, decline: false, note: '其他志愿者已接下这个任务' });
  });

  it('knows the volunteer’s own task by the holder’s actions or contact, and a done one by name', () => {
    expect(isMine(task({ status: 'accepted', can: { ...NO, release: true, start: true } }), null)).toBe(true);
    expect(
      isMine(
        task({ status: 'in_progress', contact: { elderName: '刘奶奶', address: 'x', phone: null } }),
        null,
      ),
    ).toBe(true);
    expect(isMine(task({ status: 'accepted', volunteerName: '赵志愿' }), '赵志愿')).toBe(false);
    expect(isMine(task({ status: 'done', volunteerName: '赵志愿' }), '赵志愿')).toBe(true);
    expect(isMine(task({ status: 'done', volunteerName: '钱志愿' }), '赵志愿')).toBe(false);
  });

  it('never greys the lists of the volunteer’s own tasks', () => {
    const done = task({ status: 'done', volunteerName: '赵志愿', hoursStatus: 'pending' });
    expect(cardState(done, null, 'history')).toMatchObject({ taken: false, note: '等待长者确认时长' });
    expect(cardState(task({ status: 'accepted', can: { ...NO, release: true } }), null, 'mine').note).toBe(
      '到达后请长者出示 6 位签到码',
    );
  });

  it('gives the task page exactly the can buttons, none when another volunteer holds it', () => {
    expect(
      detailActions(task({ status: 'accepted', can: { ...NO, release: true, start: true } }), null),
    ).toEqual({
      accept: false,
      decline: false,
      release: true,
      start: true,
      finish: false,
    });
    expect(
      detailActions(
        task({ status: 'in_progress', volunteerName: '钱志愿', can: { ...NO, accept: true } }),
        '赵志愿',
      ),
    ).toEqual({
      accept: false,
      decline: false,
      release: false,
      start: false,
      finish: false,
    });
  });
});

describe('finishing', () => {
  it('prefills the minutes since the start, rounded up, within 1..720', () => {
    expect(minutesPrefill('2025-12-02T00:45:30Z', 60, NOW)).toBe(75);
    expect(minutesPrefill(NOW.toISOString(), 60, NOW)).toBe(1);
    expect(minutesPrefill('2025-12-01T00:00:00Z', 60, NOW)).toBe(720);
    expect(minutesPrefill(null, 90, NOW)).toBe(90);
  });

  it('takes whole minutes 1..720, full-width digits too', () => {
    expect(parseMinutes('９０')).toEqual({ ok: true, value: 90 });
    expect(parseMinutes('0')).toMatchObject({ ok: false });
    expect(parseMinutes('721')).toMatchObject({ ok: false, error: '一次服务最多记 720 分钟（12 小时）' });
    expect(parseMinutes('1.5')).toMatchObject({ ok: false });
  });

  it('reads the BFF’s limit on minutes from its detail', () => {
    const err = new ApiError({
      code: 'VALIDATION_FAILED',
      message: 'Some fields are invalid',
      status: 400,
      details: [
        { path: 'body.minutes', message: 'must be at most 95 (the time since you started, plus 15)' },
      ],
    });
    expect(minutesLimit(err)).toBe(95);
    expect(minutesLimit(new Error('x'))).toBeNull();
  });
});

describe('the door code', () => {
  it('takes six digits, spaces and full-width allowed', () => {
    expect(parseDoorCode(' 482 913 ')).toEqual({ ok: true, value: '482913' });
    expect(parseDoorCode('４８２９１３')).toEqual({ ok: true, value: '482913' });
    expect(parseDoorCode('48291')).toMatchObject({ ok: false });
  });

  it('says how many tries are left after a wrong code', () => {
    const wrong = (left: number) =>
      new ApiError({
        code: 'CHECKIN_CODE_INVALID',
        message: `Wrong code; ${left} tries left`,
        status: 422,
        details: [{ path: 'body.code', message: `Wrong code; ${left} tries left` }],
      });
    expect(triesLeft(wrong(3))).toBe(3);
    expect(doorCodeErrorText(wrong(3))).toBe('签到码不正确，还可以再试 3 次');
    expect(doorCodeErrorText(wrong(0))).toBe('签到码不正确，已没有重试机会，请联系长者家属或社区工作人员');
    expect(
      doorCodeErrorText(new ApiError({ code: 'CODE_ENTRY_LOCKED', message: 'x', status: 423 })),
    ).toContain('已锁定');
    expect(doorCodeErrorText(new ApiError({ code: 'TASK_TAKEN', message: 'x', status: 409 }))).toBeNull();
  });

  it('spaces a 6-digit pickup code for reading', () => {
    expect(spacedCode('482913')).toBe('482 913');
    expect(spacedCode('1234')).toBe('1234');
  });
});

describe('hours and pickup', () => {
  it('says where the hours stand', () => {
    expect(
      hoursLine({ hoursStatus: null, hoursConfirmBy: null, minutes: null, disputeNote: null }),
    ).toBeNull();
    expect(
      hoursLine(
        { hoursStatus: 'pending', hoursConfirmBy: '2025-12-04T02:00:00Z', minutes: 75, disputeNote: null },
        NOW,
      ),
    ).toEqual({ text: '待长者确认 1小时15分（12月4日 10:00 自动确认）', tone: 'pending' });
    expect(
      hoursLine({ hoursStatus: 'confirmed', hoursConfirmBy: null, minutes: 60, disputeNote: null })?.text,
    ).toBe('已确认，计入 1小时');
    expect(
      hoursLine({ hoursStatus: 'disputed', hoursConfirmBy: null, minutes: 60, disputeNote: '只待了半小时' })
        ?.text,
    ).toBe('长者有异议：只待了半小时，等待社区裁定');
    expect(
      hoursLine({ hoursStatus: 'resolved', hoursConfirmBy: null, minutes: 30, disputeNote: 'x' })?.text,
    ).toBe('社区已裁定，计入 30分钟');
  });

  it('lists the compartments and the code’s expiry', () => {
    const p = {
      bankName: '银杏院生鲜柜',
      code: '482913',
      compartments: ['A03', 'C01'],
      expiresAt: '2025-12-02T06:00:00Z',
    };
    expect(pickupLines(p, NOW)).toEqual({
      compartments: 'A03、C01',
      expires: '今天 12月2日 14:00 前有效',
      expired: false,
    });
    expect(pickupLines(p, new Date('2025-12-02T07:00:00Z')).expired).toBe(true);
  });
});

describe('error text', () => {
  it('uses the page’s sentence first, then the registry’s', () => {
    const taken = new ApiError({
      code: 'TASK_TAKEN',
      message: 'Someone else has already taken this task',
      status: 409,
    });
    expect(volunteerErrorText(taken, { TASK_TAKEN: '手慢了' })).toBe('手慢了');
    expect(volunteerErrorText(taken)).toMatch(/已被接单/);
    const notFound = new ApiError({ code: 'NOT_FOUND', message: 'x', status: 404 });
    expect(taskErrorText(notFound)).toBe('没有找到这个任务，可能已取消或不在您的社区');
    expect(volunteerErrorText(notFound)).not.toMatch(/任务/);
  });
});

import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors';
import {
  activityActions,
  activityCodeErrorText,
  myStatusText,
  parseActivityCode,
  placesText,
} from './activity-model';

const NOW = new Date('2025-12-02T02:00:00Z');

describe('activities', () => {
  const base = {
    startsAt: '2025-12-03T01:00:00Z',
    endsAt: '2025-12-03T04:00:00Z',
    capacity: 10,
    creditMin: 180,
    signedUp: 7,
    waitlisted: 0,
    cancelled: false,
    mine: null,
  };

  it('counts places left and the waitlist', () => {
    expect(placesText(base)).toBe('剩余 3 个名额（共 10 个）');
    expect(placesText({ ...base, signedUp: 10, waitlisted: 2 })).toBe('名额已满 · 候补 2 人');
  });

  it('offers 报名 before it starts, 报名候补 when full', () => {
    expect(activityActions(base, NOW)).toMatchObject({
      signUp: true,
      signUpText: '报名',
      cancel: false,
      checkIn: false,
    });
    expect(activityActions({ ...base, signedUp: 10 }, NOW)).toMatchObject({
      signUp: true,
      signUpText: '报名候补',
    });
  });

  it('offers 取消报名, 签到 from 30 minutes before the start, 签退 once started', () => {
    const mine = { ...base, mine: { status: 'signed_up' as const, waitlistPosition: null } };
    expect(activityActions(mine, NOW)).toMatchObject({ signUp: false, cancel: true, checkIn: false });
    expect(activityActions(mine, NOW).hint).toBe('活动开始前 30 分钟起可以签到，签到码在活动现场公布');
    // Check-in opens 30 minutes before the start (the BFF's CHECKIN_OPENS_BEFORE_MIN).
    expect(activityActions(mine, new Date('2025-12-03T00:29:00Z')).checkIn).toBe(false);
    expect(activityActions(mine, new Date('2025-12-03T00:31:00Z'))).toMatchObject({
      cancel: true,
      checkIn: true,
      hint: null,
    });
    const checkedIn = { ...base, mine: { status: 'checked_in' as const, waitlistPosition: null } };
    expect(activityActions(checkedIn, new Date('2025-12-03T00:40:00Z'))).toMatchObject({
      checkOut: false,
      cancel: false,
      hint: '已签到，活动开始后可以签退',
    });
    expect(activityActions(checkedIn, new Date('2025-12-03T03:00:00Z'))).toMatchObject({
      checkOut: true,
      cancel: false,
    });
  });

  it('closes a cancelled or finished activity', () => {
    expect(activityActions({ ...base, cancelled: true }, NOW).closed).toBe('活动已取消');
    expect(activityActions(base, new Date('2025-12-03T05:00:00Z'))).toMatchObject({
      signUp: false,
      closed: '活动已结束',
    });
    expect(activityActions(base, new Date('2025-12-03T02:00:00Z')).closed).toBe('活动已开始，不能再报名');
  });

  it('says my standing, with the hours credited after 签退', () => {
    expect(myStatusText(base)).toBeNull();
    expect(myStatusText({ ...base, mine: { status: 'waitlisted', waitlistPosition: 2 } })).toBe(
      '候补第 2 位',
    );
    expect(myStatusText({ ...base, mine: { status: 'checked_out', waitlistPosition: null } })).toBe(
      '已签退，已计入 3小时',
    );
    expect(myStatusText({ ...base, mine: { status: 'signed_up', waitlistPosition: null } })).toBe('已报名');
  });

  it('takes a 4 to 6 digit code and says the tries left after a wrong one', () => {
    expect(parseActivityCode(' 2468 ')).toEqual({ ok: true, value: '2468' });
    expect(parseActivityCode('12')).toMatchObject({ ok: false });
    const wrong = new ApiError({
      code: 'ACTIVITY_CODE_INVALID',
      message: 'Wrong code; 2 tries left',
      status: 422,
      details: [{ path: 'body.code', message: 'Wrong code; 2 tries left' }],
    });
    expect(activityCodeErrorText(wrong)).toBe('签到码不对，还可以再试 2 次');
    expect(
      activityCodeErrorText(new ApiError({ code: 'CODE_ENTRY_LOCKED', message: 'x', status: 423 })),
    ).toContain('组织者');
    expect(
      activityCodeErrorText(new ApiError({ code: 'ACTIVITY_NOT_STARTED', message: 'x', status: 409 })),
    ).toBeNull();
  });
});

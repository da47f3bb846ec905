import { describe, expect, it } from 'vitest';
import {
  activityActions,
  cancelConfirmText,
  leaveGroupConfirmText,
  myStatusText,
  parseCheckinCode,
  placesText,
} from './activity-model';

// 2026-12-02 10:00 Shanghai; the activity is 2026-12-03 09:00-12:00.
const NOW = new Date('2026-12-02T02:00:00Z');
const base = {
  title: '包饺子',
  startsAt: '2026-12-03T01:00:00Z',
  endsAt: '2026-12-03T04:00:00Z',
  capacity: 10,
  signedUp: 7,
  waitlisted: 0,
  cancelled: false,
  mine: null,
};
const at = (iso: string) => new Date(iso);

describe('社区活动', () => {
  it('counts the places and the waitlist', () => {
    expect(placesText(base)).toBe('已报名 7 人 · 还剩 3 个名额（共 10 个）');
    expect(placesText({ ...base, signedUp: 10, waitlisted: 2 })).toBe('名额已满（共 10 个） · 候补 2 人');
    expect(placesText({ ...base, signedUp: 10 })).toBe('名额已满（共 10 个）');
  });

  it('offers 报名, or 报名候补 when full, until it starts', () => {
    expect(activityActions(base, NOW)).toMatchObject({ signUp: true, signUpText: '报名', cancel: false });
    expect(activityActions({ ...base, signedUp: 10 }, NOW)).toMatchObject({
      signUp: true,
      signUpText: '报名候补',
    });
    expect(activityActions(base, at('2026-12-03T01:05:00Z'))).toMatchObject({
      signUp: false,
      closed: '活动已开始，报名已截止',
    });
  });

  it('shows the waitlist position and lets a waitlisted resident leave', () => {
    const waiting = { ...base, mine: { status: 'waitlisted' as const, waitlistPosition: 2 } };
    expect(myStatusText(waiting)).toBe('候补第 2 位');
    expect(activityActions(waiting, NOW)).toMatchObject({ cancel: true, checkIn: false, signUp: false });
    expect(cancelConfirmText(waiting)).toBe('确定不再候补「包饺子」吗？');
  });

  it('opens check-in half an hour before the start, until the end', () => {
    const mine = { ...base, mine: { status: 'signed_up' as const, waitlistPosition: null } };
    expect(activityActions(mine, NOW)).toMatchObject({ checkIn: false, cancel: true });
    expect(activityActions(mine, NOW).hint).toContain('30 分钟');
    expect(activityActions(mine, at('2026-12-03T00:31:00Z'))).toMatchObject({ checkIn: true });
    expect(activityActions(mine, at('2026-12-03T04:00:00Z'))).toMatchObject({
      checkIn: false,
      closed: '活动已结束',
    });
    expect(activityActions({ ...mine, cancelled: true }, NOW)).toMatchObject({
      cancel: false,
      closed: '活动已取消',
    });
    const done = { ...base, mine: { status: 'checked_in' as const, waitlistPosition: null } };
    expect(activityActions(done, at('2026-12-03T02:00:00Z'))).toMatchObject({
      cancel: false,
      checkIn: false,
    });
    expect(myStatusText(done)).toBe('已签到');
  });

  it('tells the place goes to the waitlist when cancelling', () => {
    const mine = { ...base, waitlisted: 1, mine: { status: 'signed_up' as const, waitlistPosition: null } };
    expect(cancelConfirmText(mine)).toBe('确定取消「包饺子」的报名吗？名额会让给候补第 1 位的邻居。');
  });

  it('reads a 6-digit code, forgiving full-width digits', () => {
    expect(parseCheckinCode(' １２3 456 ')).toEqual({ ok: true, value: '123456' });
    expect(parseCheckinCode('1234')).toEqual({ ok: false, error: '请输入现场公布的 6 位签到码' });
  });
});

describe('leaving an interest group', () => {
  it('asks like 取消报名 does, saying what leaving changes', () => {
    expect(leaveGroupConfirmText({ name: '书法兴趣小组', archived: false })).toBe(
      '确定退出「书法兴趣小组」吗？已报名的活动不受影响，之后可以随时再加入。',
    );
    expect(leaveGroupConfirmText({ name: '广场舞队', archived: true })).toContain('退出后不能再加入');
  });
});

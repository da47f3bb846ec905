import { PAGES } from 'shared';
import { describe, expect, it } from 'vitest';
import {
  countdownText,
  countText,
  dayTime,
  elderEntries,
  offersHousehold,
  residentEntries,
  sortQueues,
} from './home-model';

describe('countdownText', () => {
  it('says days, hours or minutes and seconds, as big as it needs to be', () => {
    expect(countdownText(0)).toBe('已截单');
    expect(countdownText(-5)).toBe('已截单');
    expect(countdownText(59)).toBe('00:59');
    expect(countdownText(14 * 60 + 5)).toBe('14:05');
    expect(countdownText(3600 + 5 * 60 + 30)).toBe('1小时05分');
    expect(countdownText(2 * 86_400 + 3 * 3600 + 59)).toBe('2天3小时');
  });
});

describe('dayTime', () => {
  // 2026-12-02 10:00 in Asia/Shanghai.
  const now = new Date('2026-12-02T02:00:00Z');
  it('names today and tomorrow, and gives other days their date, in Asia/Shanghai', () => {
    expect(dayTime('2026-12-02T10:00:00Z', now)).toBe('今天 18:00');
    // 23:30 UTC on the 2nd is 07:30 on the 3rd in Shanghai.
    expect(dayTime('2026-12-02T23:30:00Z', now)).toBe('明天 07:30');
    expect(dayTime('2026-12-05T04:00:00Z', now)).toBe('12月5日 12:00');
  });
});

describe('who is offered what', () => {
  it('staff, caregivers and the operator are not asked to verify a household or open a shop', () => {
    expect(offersHousehold(['resident'])).toBe(true);
    expect(offersHousehold([])).toBe(true);
    expect(offersHousehold(['merchant'])).toBe(true);
    expect(offersHousehold(['staff'])).toBe(false);
    expect(offersHousehold(['caregiver'])).toBe(false);
    expect(offersHousehold(['operator'])).toBe(false);
  });

  it('an elder gets four entries; 取件 opens the waiting order when there is one', () => {
    const none = elderEntries(null);
    expect(none.map((e) => e.label)).toEqual(['买菜', '取件', '预约服务', '求助']);
    expect(none[1]).toMatchObject({ url: PAGES.orders, tab: true });
    expect(elderEntries('o1')[1]).toMatchObject({ url: `${PAGES.orderDetail}?id=o1` });
    expect(elderEntries('o1')[1]!.tab).toBeUndefined();
  });

  it('a resident gets the community entries once verified, and the volunteer desk by role', () => {
    const guest = residentEntries({ roles: [], verified: false, acting: false }).map((e) => e.key);
    expect(guest).toEqual(['market', 'neighbors', 'care', 'volunteer']);
    const member = residentEntries({ roles: ['resident', 'volunteer'], verified: true, acting: false });
    expect(member.map((e) => e.key)).toEqual([
      'market',
      'neighbors',
      'care',
      'request',
      'activities',
      'volunteer',
    ]);
    expect(member.find((e) => e.key === 'volunteer')).toMatchObject({
      label: '志愿服务',
      url: PAGES.volunteerHome,
    });
    expect(
      residentEntries({ roles: [], verified: true, acting: true }).some((e) => e.key === 'volunteer'),
    ).toBe(false);
  });
});

describe('staff queues', () => {
  it('puts the busy queues first, largest first, then the empty ones in their fixed order', () => {
    const sorted = sortQueues([
      { key: 'memberships', count: 0 },
      { key: 'merchants', count: 2 },
      { key: 'overdueLockers', count: 0 },
      { key: 'requests', count: 5 },
    ]);
    expect(sorted.map((q) => q.key)).toEqual(['requests', 'merchants', 'memberships', 'overdueLockers']);
    expect(countText(50, true)).toBe('50+ 条');
    expect(countText(3)).toBe('3 条');
  });
});

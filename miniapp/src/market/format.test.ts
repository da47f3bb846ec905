import { describe, expect, it } from 'vitest';
import { deliveryTexts, formatWeeklyHours, minOrderText, upcomingClosedDates } from './format';

const every = (open: string, close: string, days = [1, 2, 3, 4, 5, 6, 7]) =>
  days.map((day) => ({ day, open, close }));

describe('market formatting', () => {
  it('runs days with the same hours together', () => {
    expect(formatWeeklyHours({ weekly: every('07:00', '20:00'), closedDates: [] })).toEqual([
      '每天 07:00-20:00',
    ]);
    expect(formatWeeklyHours({ weekly: every('00:00', '24:00'), closedDates: [] })).toEqual(['每天 全天']);
    expect(
      formatWeeklyHours({
        weekly: [...every('09:00', '18:00', [1, 2, 3, 4, 5]), ...every('10:00', '16:00', [6])],
        closedDates: [],
      }),
    ).toEqual(['周一至周五 09:00-18:00', '周六 10:00-16:00', '周日 休息']);
    expect(
      formatWeeklyHours({
        weekly: [
          { day: 6, open: '14:00', close: '18:00' },
          { day: 6, open: '08:00', close: '12:00' },
          { day: 7, open: '08:00', close: '12:00' },
          { day: 7, open: '14:00', close: '18:00' },
        ],
        closedDates: [],
      }),
    ).toEqual(['周一至周五 休息', '周六、周日 08:00-12:00 14:00-18:00']);
  });

  it('lists closed dates from today on', () => {
    expect(
      upcomingClosedDates(
        { weekly: [], closedDates: ['2026-12-01', '2026-11-01', '2026-11-25'] },
        '2026-11-22',
      ),
    ).toEqual(['11月25日', '12月1日']);
  });

  it('describes minimum order and delivery modes, without lockers for now', () => {
    expect(minOrderText(0)).toBe('无起送金额');
    expect(minOrderText(2000)).toBe('¥20 起送');
    expect(deliveryTexts({ shopPickup: true, home: { radiusM: 1500, feeFen: 300 }, locker: true })).toEqual([
      '到店自提',
      '送货上门（1.5公里内，配送费¥3）',
      '小区生鲜柜自取',
    ]);
    expect(deliveryTexts({ shopPickup: false, home: { radiusM: 800, feeFen: 0 }, locker: false })).toEqual([
      '送货上门（800米内，免配送费）',
    ]);
  });
});

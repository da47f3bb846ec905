import { describe, expect, it } from 'vitest';
import {
  bookingTagClass,
  certificationNames,
  daysFrom,
  dayTitle,
  distanceText,
  fenToYuanText,
  localMonthOf,
  localToday,
  monthTitle,
  parseWhole,
  parseYuanText,
  periodText,
  shiftMonth,
  statusSummary,
  visitWhen,
} from './care-console';

describe('care console times (Asia/Shanghai)', () => {
  // 23:30 UTC on 4 Jan is already 5 Jan in Shanghai.
  const now = new Date('2026-01-04T23:30:00Z');

  it('reads today and the month in Shanghai, not UTC', () => {
    expect(localToday(now)).toBe('2026-01-05');
    expect(localMonthOf(new Date('2026-01-31T16:30:00Z'))).toBe('2026-02');
  });

  it('says a stretch of time off on one day or across days', () => {
    // 08:00–18:00 on 6 Jan in Shanghai.
    expect(periodText('2026-01-06T00:00:00Z', '2026-01-06T10:00:00Z', now)).toBe(
      '明天 1月6日 周二 08:00–18:00',
    );
    expect(periodText('2026-01-07T00:00:00Z', '2026-01-09T10:00:00Z', now)).toBe(
      '1月7日 周三 08:00 至 1月9日 周五 18:00',
    );
  });

  it('lists the days ahead across a month end', () => {
    expect(daysFrom('2026-01-30', 3)).toEqual(['2026-01-30', '2026-01-31', '2026-02-01']);
  });

  it('names days near today, and the year only when it differs', () => {
    expect(dayTitle('2026-01-05', '2026-01-05')).toBe('今天 1月5日 周一');
    expect(dayTitle('2026-01-06', '2026-01-05')).toBe('明天 1月6日 周二');
    expect(dayTitle('2026-01-04', '2026-01-05')).toBe('昨天 1月4日 周日');
    expect(dayTitle('2026-01-09', '2026-01-05')).toBe('1月9日 周五');
    expect(dayTitle('2025-12-30', '2026-01-05')).toBe('2025年12月30日 周二');
  });

  it('shows a visit in local wall time', () => {
    expect(visitWhen('2026-01-05T06:00:00Z', '2026-01-05T07:30:00Z', now)).toBe('今天 14:00-15:30');
    expect(visitWhen('2026-01-07T01:00:00Z', '2026-01-07T02:00:00Z', now)).toBe('1月7日 周三 09:00-10:00');
  });

  it('moves months across years', () => {
    expect(shiftMonth('2026-01', -1)).toBe('2025-12');
    expect(shiftMonth('2025-12', 1)).toBe('2026-01');
    expect(monthTitle('2026-03')).toBe('2026年3月');
  });
});

describe('care console words', () => {
  it('summarises a day by status in the flow order', () => {
    expect(statusSummary([])).toBe('暂无预约');
    expect(
      statusSummary([
        { status: 'completed' },
        { status: 'requested' },
        { status: 'requested' },
        { status: 'no_show' },
      ]),
    ).toBe('待机构确认 2 · 已完成 1 · 未上门 1');
  });

  it('names certifications and tags statuses', () => {
    expect(certificationNames(['nurse', 'bathing', 'x'])).toBe('护士执业证、助浴培训、x');
    expect(certificationNames([])).toBe('无');
    expect(bookingTagClass('requested')).toBe('tag tag--pending');
    expect(bookingTagClass('no_show')).toBe('tag tag--rejected');
  });

  it('says distances in metres or kilometres', () => {
    expect(distanceText(86.4)).toBe('86 米');
    expect(distanceText(1000)).toBe('1 公里');
    expect(distanceText(2345)).toBe('2.3 公里');
  });
});

describe('care console numbers', () => {
  it('parses yuan into fen exactly', () => {
    expect(parseYuanText('12.9')).toEqual({ ok: true, value: 1290 });
    expect(parseYuanText('￥１２.５元')).toEqual({ ok: true, value: 1250 });
    expect(parseYuanText('0')).toEqual({ ok: true, value: 0 });
    expect(parseYuanText('')).toEqual({ ok: false, error: '请输入金额' });
    expect(parseYuanText('1.234').ok).toBe(false);
    expect(parseYuanText('-1').ok).toBe(false);
    expect(parseYuanText('20000', 1_000_000)).toEqual({ ok: false, error: '金额不能超过 10000 元' });
  });

  it('writes fen back as the yuan the parser reads', () => {
    for (const fen of [0, 5, 50, 1250, 1290, 12000]) {
      const back = parseYuanText(fenToYuanText(fen));
      expect(back).toEqual({ ok: true, value: fen });
    }
  });

  it('parses whole numbers within bounds', () => {
    expect(parseWhole(' 80 ', 50, 120)).toEqual({ ok: true, value: 80 });
    expect(parseWhole('8.5', 0, 100)).toEqual({ ok: false, error: '请输入整数' });
    expect(parseWhole('130', 50, 120)).toEqual({ ok: false, error: '请输入 50 到 120 之间的数' });
  });
});

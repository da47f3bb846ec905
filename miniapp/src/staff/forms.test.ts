import { describe, expect, it } from 'vitest';
import { DEFAULT_GROUPS, parseBankDraft, reachText } from './bank-form';
import { parseScheduleDraft, scheduleText, weekdaysText } from './schedule-form';

describe('新增生鲜柜 form', () => {
  const draft = {
    compoundId: 'c1',
    name: ' 银杏院 2 号柜 ',
    location: '2 栋门口',
    groups: DEFAULT_GROUPS,
  };

  it('turns a filled form into the request body', () => {
    const r = parseBankDraft(draft);
    expect(r).toEqual({
      ok: true,
      value: {
        compoundId: 'c1',
        name: '银杏院 2 号柜',
        location: '2 栋门口',
        compartments: [
          { size: 'M', zone: 'ambient', count: 10, row: 2 },
          { size: 'M', zone: 'chilled', count: 8, row: 3 },
          { size: 'S', zone: 'frozen', count: 4, row: 1 },
        ],
      },
    });
  });

  it('says which rows count as in reach: the default from the row count, or the rows staff give', () => {
    expect(reachText(draft)).toBe(
      '共 3 层；默认第 2 层不用弯腰、不用踮脚，优先分配给 80 岁以上的老人和家人代下的订单',
    );
    const given = { ...draft, reachFrom: '1', reachTo: '2' };
    expect(reachText(given)).toBe(
      '共 3 层；第 1–2 层不用弯腰、不用踮脚，优先分配给 80 岁以上的老人和家人代下的订单',
    );
    expect(parseBankDraft(given)).toMatchObject({ ok: true, value: { reachableRows: { from: 1, to: 2 } } });
  });

  it('refuses rows out of range and a reach range the bank does not have', () => {
    const bad = (p: object) => {
      const r = parseBankDraft({ ...draft, ...p });
      return r.ok ? null : r.errors;
    };
    expect(bad({ reachFrom: '2', reachTo: '4' })).toEqual({ reach: '这个柜子只有 3 层' });
    expect(bad({ reachFrom: '3', reachTo: '2' })).toEqual({ reach: '起始层不能高于结束层' });
    expect(bad({ reachFrom: '2', reachTo: '' })).toEqual({ reach: '请填写起止层数（整数），或都留空用默认' });
    expect(bad({ groups: [{ size: 'S', zone: 'ambient', count: '3', row: '0' }] })).toEqual({
      'groups.0': '层数需为 1 到 10 的整数（1 为最下层）',
    });
    // The same kind in two rows is two groups, not one to merge.
    expect(
      parseBankDraft({
        ...draft,
        groups: [
          { size: 'S', zone: 'ambient', count: '3', row: '1' },
          { size: 'S', zone: 'ambient', count: '3', row: '2' },
        ],
      }).ok,
    ).toBe(true);
  });

  it('names each problem in Chinese', () => {
    const r = parseBankDraft({
      compoundId: null,
      name: '',
      location: 'x'.repeat(101),
      groups: [
        { size: 'S', zone: 'ambient', count: '0', row: '1' },
        { size: 'S', zone: 'ambient', count: '3', row: '1' },
        { size: 'M', zone: 'frozen', count: '2.5', row: '1' },
      ],
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual({
      compoundId: '请选择小区',
      name: '请填写名称',
      location: '位置最多 100 个字',
      'groups.0': '数量需为 1 到 60 的整数',
      'groups.1': '与上面一组的温区、尺寸和层数相同，请合并',
      'groups.2': '数量需为 1 到 60 的整数',
    });
    expect(parseBankDraft({ ...draft, groups: [] })).toMatchObject({
      ok: false,
      errors: { groups: expect.any(String) },
    });
  });
});

describe('新增配送时段 form', () => {
  const draft = {
    communityId: 'k1',
    cutoffLocal: '14:00',
    deliveryLocal: '17:30',
    nextDay: false,
    weekdays: [5, 1, 1, 3],
    closedDates: ['2026-10-02', '2026-10-01'],
  };

  it('turns a filled form into the request body', () => {
    expect(parseScheduleDraft(draft)).toEqual({
      ok: true,
      value: {
        communityId: 'k1',
        cutoffLocal: '14:00',
        deliveryLocal: '17:30',
        deliveryDayOffset: 0,
        weekdays: [1, 3, 5],
        closedDates: ['2026-10-01', '2026-10-02'],
      },
    });
    expect(
      parseScheduleDraft({ ...draft, cutoffLocal: '22:00', deliveryLocal: '10:00', nextDay: true }),
    ).toMatchObject({ ok: true, value: { deliveryDayOffset: 1 } });
  });

  it('refuses a same-day delivery before the cut-off, and no weekdays', () => {
    const r = parseScheduleDraft({ ...draft, cutoffLocal: '22:00', deliveryLocal: '10:00', weekdays: [] });
    expect(r).toEqual({
      ok: false,
      errors: { deliveryLocal: '当天送达的时间需晚于截单时间，或选择次日送达', weekdays: '请至少选择一天' },
    });
  });

  it('reads a schedule aloud', () => {
    expect(weekdaysText([1, 2, 3, 4, 5, 6, 7])).toBe('每天');
    expect(weekdaysText([1, 2, 3, 4, 5])).toBe('周一至周五');
    expect(weekdaysText([6, 7])).toBe('周六、周日');
    expect(weekdaysText([1, 3, 5])).toBe('周一、周三、周五');
    expect(
      scheduleText({
        cutoffLocal: '22:00',
        deliveryLocal: '10:00',
        deliveryDayOffset: 1,
        weekdays: [1, 2, 3, 4, 5, 6, 7],
      }),
    ).toBe('每天 22:00 截单 · 次日 10:00 送达');
  });
});

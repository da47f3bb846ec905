import { describe, expect, it } from 'vitest';
import {
  barWidths,
  countText,
  currentMonth,
  deadlineView,
  handlerView,
  lateText,
  locationToSend,
  monthText,
  percentText,
  rateText,
  requestTone,
  residentContactView,
  residentNextText,
  shiftMonth,
  sortQueue,
  spanText,
  starsText,
  timelineItems,
  validateRequestForm,
  whenText,
} from './request-model';

// 2026-12-01 10:00 in Asia/Shanghai.
const NOW = new Date('2026-12-01T02:00:00Z');

describe('request model: time', () => {
  it('reads a deadline relative to today in Asia/Shanghai', () => {
    expect(whenText('2026-12-01T10:00:00Z', NOW)).toBe('今天 18:00');
    // 00:30 on the 2nd in Shanghai is still the 1st in UTC.
    expect(whenText('2026-12-01T16:30:00Z', NOW)).toBe('明天 00:30');
    expect(whenText('2026-11-30T01:00:00Z', NOW)).toBe('昨天 09:00');
    expect(whenText('2026-12-05T01:00:00Z', NOW)).toBe('12月5日 09:00');
    expect(whenText('2027-01-05T01:00:00Z', NOW)).toBe('2027年1月5日 09:00');
  });

  it('writes spans rounded for reading', () => {
    expect(spanText(20 * 60_000)).toBe('20分钟');
    expect(spanText(0)).toBe('1分钟');
    expect(spanText(-3 * 3_600_000 - 5 * 60_000)).toBe('3小时');
    expect(spanText(29 * 3_600_000)).toBe('1天5小时');
    expect(spanText(48 * 3_600_000)).toBe('2天');
  });
});

describe('request model: the running clock', () => {
  const base = { respondBy: '2026-12-01T10:00:00Z', resolveBy: '2026-12-03T10:00:00Z' };

  it('runs the response clock until a handler accepts, then the resolution clock', () => {
    expect(deadlineView({ ...base, status: 'submitted' }, NOW)).toMatchObject({
      kind: 'respond',
      text: '应在 今天 18:00 前响应',
      left: '响应剩 8小时',
      overdue: false,
    });
    expect(deadlineView({ ...base, status: 'dispatched' }, NOW)?.kind).toBe('respond');
    expect(deadlineView({ ...base, status: 'accepted' }, NOW)).toMatchObject({
      kind: 'resolve',
      text: '应在 12月3日 18:00 前解决',
      left: '解决剩 2天8小时',
    });
    expect(deadlineView({ ...base, status: 'reopened' }, NOW)?.kind).toBe('resolve');
  });

  it('says by how much a deadline was missed', () => {
    const late = new Date('2026-12-01T13:00:00Z');
    const v = deadlineView({ ...base, status: 'submitted' }, late);
    expect(v?.overdue).toBe(true);
    expect(v?.remainingMs).toBeLessThan(0);
    expect(v?.text).toBe('已超过响应时限 3小时（应在 今天 18:00 前响应）');
    expect(v?.left).toBe('响应超时 3小时');
  });

  it('shows no clock once nothing is running', () => {
    for (const status of ['resolved', 'closed', 'rejected', 'withdrawn'] as const)
      expect(deadlineView({ ...base, status }, NOW)).toBeNull();
    expect(deadlineView({ status: 'submitted', respondBy: null, resolveBy: null }, NOW)).toBeNull();
  });
});

describe('request model: tags, stars, months, bars', () => {
  it('colours the tags by who has to act', () => {
    expect(requestTone('submitted')).toBe('pending');
    expect(requestTone('accepted')).toBe('active');
    expect(requestTone('closed')).toBe('approved');
    expect(requestTone('rejected')).toBe('rejected');
    expect(requestTone('withdrawn')).toBe('muted');
  });

  it('writes stars', () => {
    expect(starsText(4)).toBe('★★★★☆');
    expect(starsText(9)).toBe('★★★★★');
    expect(starsText(0)).toBe('☆☆☆☆☆');
  });

  it('moves months across years', () => {
    expect(shiftMonth('2026-12', 1)).toBe('2027-01');
    expect(shiftMonth('2026-01', -1)).toBe('2025-12');
    expect(shiftMonth('2026-05', -17)).toBe('2024-12');
    expect(currentMonth(new Date('2026-11-30T16:30:00Z'))).toBe('2026-12');
    expect(monthText('2026-03')).toBe('2026年3月');
  });

  it('writes rates, with a dash when nothing was counted', () => {
    expect(percentText(2, 3)).toBe('67%');
    expect(percentText(0, 0)).toBe('—');
    expect(rateText(0.875)).toBe('88%');
    expect(rateText(null)).toBe('—');
  });

  it('draws bars relative to the largest, a sliver for a small non-zero value', () => {
    expect(barWidths([10, 5, 0])).toEqual([100, 50, 0]);
    expect(barWidths([1, 300])).toEqual([2, 100]);
    expect(barWidths([0, 0])).toEqual([0, 0]);
    expect(barWidths([])).toEqual([]);
  });
});

describe('request model: the form', () => {
  it('asks for a category and the text, within the limits', () => {
    expect(validateRequestForm({ category: null, text: '  ', location: '' })).toEqual({
      category: '请选择要反映的类别',
      text: '请写一下具体情况',
    });
    expect(validateRequestForm({ category: 'repair', text: '水管漏水', location: '' })).toEqual({});
    expect(validateRequestForm({ category: 'repair', text: '漏'.repeat(501), location: '' }).text).toBe(
      '请在 500 字以内',
    );
    expect(
      validateRequestForm({ category: 'repair', text: '漏水', location: '楼'.repeat(81) }).location,
    ).toBe('位置请在 80 字以内');
    expect(countText('  水管漏水 ', 500)).toBe('4/500');
  });

  it('sends no location when the household address was left as prefilled', () => {
    const home = '黌门街社区 · 银杏院 · 2栋 · 301';
    expect(locationToSend(home, home)).toBe('');
    expect(locationToSend(` ${home} `, home)).toBe('');
    expect(locationToSend('3栋楼道', home)).toBe('3栋楼道');
    expect(locationToSend('', null)).toBe('');
  });
});

describe('request model: handler, next step, timeline', () => {
  const shop = { kind: 'merchant' as const, id: 'm', name: '邻里快修', phone: '13402056789' };

  it("masks the handler's phone until they accepted", () => {
    expect(handlerView(shop, 'dispatched')).toEqual({
      name: '邻里快修（服务商家）',
      phone: '134****6789',
      dial: null,
      note: '接单后可查看完整号码',
    });
    expect(handlerView(shop, 'accepted')).toEqual({
      name: '邻里快修（服务商家）',
      phone: '13402056789',
      dial: '13402056789',
      note: null,
    });
    expect(handlerView({ kind: 'staff', id: 's', name: '王社工', phone: null }, 'accepted')).toEqual({
      name: '王社工（社区工作人员）',
      phone: null,
      dial: null,
      note: null,
    });
    expect(handlerView(null, 'submitted')).toBeNull();
  });

  it('does not promise the full number once the request is over', () => {
    for (const status of ['closed', 'withdrawn'] as const)
      expect(handlerView(shop, status)).toMatchObject({
        phone: '134****6789',
        dial: null,
        note: '诉求已结束，不再显示完整号码',
      });
  });

  it("gives the shop the resident's number to dial only once accepted, and never against their wish", () => {
    const resident = (phone: string | null) => ({ name: '陈静', phone });
    expect(
      residentContactView({ status: 'dispatched', contact: 'phone', resident: resident('138****0010') }),
    ).toEqual({
      label: '居民：陈静（电话联系我）',
      phone: '138****0010',
      dial: null,
      note: '接单后可查看完整号码',
    });
    expect(
      residentContactView({ status: 'accepted', contact: 'visit', resident: resident('13800000010') }),
    ).toEqual({ label: '居民：陈静（可直接上门）', phone: '13800000010', dial: '13800000010', note: null });
    expect(
      residentContactView({ status: 'closed', contact: 'phone', resident: resident(null) }),
    ).toMatchObject({ phone: null, dial: null, note: null });
    // Even a number that reached the page is not offered when the resident asked for no calls.
    expect(
      residentContactView({ status: 'accepted', contact: 'inbox', resident: resident('13800000010') }),
    ).toEqual({ label: '居民：陈静', phone: null, dial: null, note: '居民希望不要来电，请在处理结果里说明' });
  });

  it('says what happens next', () => {
    const r = { handler: shop, rejectReason: null, reopenCount: 0 };
    expect(residentNextText({ ...r, status: 'dispatched' })).toBe('已派给邻里快修，等待对方接单');
    expect(residentNextText({ ...r, status: 'resolved' })).toContain('可以重新打开一次');
    expect(residentNextText({ ...r, status: 'resolved', reopenCount: 1 })).not.toContain('可以重新打开');
    expect(residentNextText({ ...r, status: 'rejected', rejectReason: '不属于社区管理范围' })).toBe(
      '社区未受理：不属于社区管理范围',
    );
  });

  it('lists the events with who and when, missed limits marked', () => {
    const items = timelineItems(
      [
        { at: '2026-12-01T02:00:00Z', kind: 'submit', by: 'resident', byName: null, note: '' },
        { at: '2026-12-02T02:00:00Z', kind: 'escalate_response', by: 'system', byName: null, note: '' },
        { at: '2026-12-02T03:00:00Z', kind: 'dispatch', by: 'staff', byName: '王社工', note: '请尽快' },
        { at: '2026-12-05T03:00:00Z', kind: 'accept', by: 'handler', byName: '邻里快修', note: '' },
      ],
      NOW,
    );
    // Read like the rest of the app: 今天 / 明天, else 12月5日.
    expect(items.map((i) => [i.title, i.meta, i.alert])).toEqual([
      ['提交诉求', '居民 · 今天 10:00', false],
      ['超时未响应，已督办', '系统 · 明天 10:00', true],
      ['派单', '王社工 · 明天 11:00', false],
      ['接单', '邻里快修 · 12月5日 11:00', false],
    ]);
    expect(items[2]?.note).toBe('请尽快');
  });
});

describe('request model: the staff queue', () => {
  const r = (
    id: string,
    status: 'submitted' | 'accepted' | 'closed',
    respondBy: string,
    createdAt: string,
  ) => ({
    id,
    status,
    respondBy,
    resolveBy: '2026-12-04T02:00:00Z',
    createdAt,
  });

  it('puts the most overdue first, then the least time left, then the rest newest first', () => {
    const sorted = sortQueue(
      [
        r('done-old', 'closed', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z'),
        r('soon', 'submitted', '2026-12-01T04:00:00Z', '2026-11-30T04:00:00Z'),
        r('late', 'submitted', '2026-12-01T01:00:00Z', '2026-11-30T01:00:00Z'),
        r('later', 'accepted', '2026-12-01T00:00:00Z', '2026-11-29T00:00:00Z'),
        r('very-late', 'submitted', '2026-11-30T00:00:00Z', '2026-11-29T00:00:00Z'),
        r('done-new', 'closed', '2026-11-20T00:00:00Z', '2026-11-20T00:00:00Z'),
      ],
      NOW,
    );
    expect(sorted.map((x) => x.id)).toEqual(['very-late', 'late', 'soon', 'later', 'done-new', 'done-old']);
  });

  it('names the missed limits', () => {
    expect(lateText({ responseLate: true, resolutionLate: false })).toBe('响应超时');
    expect(lateText({ responseLate: true, resolutionLate: true })).toBe('响应、办结均超时');
    expect(lateText({ responseLate: false, resolutionLate: false })).toBeNull();
  });
});

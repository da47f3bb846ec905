import { describe, expect, it } from 'vitest';
import { dayTime, kindText, openWindows, orderTail, windowText } from './labels';

// 2026-11-20 10:00 in Asia/Shanghai.
const now = new Date('2026-11-20T02:00:00Z');

describe('locker labels', () => {
  it('says when in Asia/Shanghai, relative to today', () => {
    expect(dayTime('2026-11-20T06:00:00Z', now)).toBe('今天 14:00');
    // 2026-11-20 22:00 UTC is already the 21st in Shanghai.
    expect(dayTime('2026-11-20T22:00:00Z', now)).toBe('明天 06:00');
    expect(dayTime('2026-11-19T01:00:00Z', now)).toBe('昨天 09:00');
    expect(dayTime('2026-11-25T09:30:00Z', now)).toBe('11月25日 17:30');
    expect(dayTime('2027-01-02T02:00:00Z', now)).toBe('2027年1月2日 10:00');
  });

  it('describes a window by its cut-off and delivery', () => {
    expect(windowText({ cutoffAt: '2026-11-20T14:00:00Z', deliverAt: '2026-11-21T02:00:00Z' }, now)).toBe(
      '今天 22:00 截单 · 明天 10:00 送达',
    );
    expect(kindText('frozen', 'S')).toBe('冷冻 小格');
  });

  it('keeps the open windows, earliest cut-off first', () => {
    const w = (id: string, cutoffAt: string, status: 'open' | 'closed' = 'open') => ({
      id,
      communityId: 'c',
      cutoffAt,
      deliverAt: cutoffAt,
      status,
    });
    expect(
      openWindows([
        w('b', '2026-11-20T14:00:00Z'),
        w('a', '2026-11-20T06:00:00Z'),
        w('c', '2026-11-20T07:00:00Z', 'closed'),
      ]).map((x) => x.id),
    ).toEqual(['a', 'b']);
  });

  it('names orders by the last four characters of their id', () => {
    expect(orderTail('0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b')).toBe('尾号 4a5b');
  });
});

import { describe, expect, it } from 'vitest';
import { boardLines, boardNote, hoursText, ledgerLine, starProgress } from './bank-model';
import { starsText } from './labels';

const NOW = new Date('2025-12-02T02:00:00Z');

describe('time bank', () => {
  it('writes balances in hours and minutes', () => {
    expect(hoursText(0)).toBe('0小时');
    expect(hoursText(750)).toBe('12小时30分');
  });

  it('names the star and what the next one takes', () => {
    expect(starProgress(0, 88)).toEqual({
      title: '还没有星级',
      next: '再服务 88 小时升至一星（累计满 100 小时）',
    });
    expect(starProgress(2, 150)).toEqual({
      title: '二星志愿者',
      next: '再服务 150 小时升至三星（累计满 600 小时）',
    });
    expect(starProgress(5, null)).toEqual({ title: '五星志愿者', next: '已达最高星级，感谢您的长期付出' });
    expect(starsText(3)).toBe('★★★☆☆');
  });

  it('signs ledger lines: credits +, debits −, corrections named', () => {
    const at = '2025-12-01T06:00:00Z';
    expect(
      ledgerLine({ id: '1', kind: 'credit', deltaMin: 90, reason: '帮忙买菜', createdAt: at }, NOW),
    ).toEqual({
      id: '1',
      amount: '+1小时30分',
      tone: 'credit',
      kindText: '服务入账',
      reason: '帮忙买菜',
      when: '昨天 12月1日 14:00',
    });
    expect(
      ledgerLine({ id: '2', kind: 'debit', deltaMin: -60, reason: '', createdAt: at }, NOW),
    ).toMatchObject({
      amount: '−1小时',
      tone: 'debit',
      reason: '时间支出',
    });
    expect(
      ledgerLine({ id: '3', kind: 'correction', deltaMin: -30, reason: '重复记录', createdAt: at }, NOW),
    ).toMatchObject({
      amount: '−30分钟',
      tone: 'correction',
      kindText: '社区更正',
    });
  });

  it('highlights my line on the leaderboard and honours opting out', () => {
    const items = [
      { rank: 1, name: '钱*', earnedMin: 6000, star: 1, me: false },
      { rank: 2, name: '赵*', earnedMin: 120, star: 0, me: true },
    ];
    expect(boardLines(items).map((l) => [l.rank, l.name, l.hours, l.me])).toEqual([
      ['第1名', '钱*', '100小时', false],
      ['第2名', '赵*（我）', '2小时', true],
    ]);
    expect(boardNote(items, false)).toBe('您目前排第 2 名');
    expect(boardNote(items.slice(0, 1), true)).toBe('您已选择不在排行榜上显示，别人看不到您的名字和时长');
    expect(boardNote([], false)).toBe('排行榜暂时还没有人');
  });
});

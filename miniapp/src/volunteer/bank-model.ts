import { STAR_LEVELS } from 'shared';
import { minutesText, whenText } from './labels';

/** 时间银行 (好人好事银行): the balance, the stars, the ledger and the leaderboard in words. */

/** 「12小时30分」; zero is 「0小时」 (a balance reads in hours). */
export const hoursText = (min: number): string => (min === 0 ? '0小时' : minutesText(min));

/** The star line: 「三星志愿者」 and what the next star takes. */
export function starProgress(star: number, nextStarHours: number | null): { title: string; next: string } {
  const names = ['', '一星', '二星', '三星', '四星', '五星'];
  const title = star > 0 ? `${names[Math.min(5, star)]}志愿者` : '还没有星级';
  if (nextStarHours === null) return { title, next: '已达最高星级，感谢您的长期付出' };
  const nextLevel = STAR_LEVELS[Math.min(star, STAR_LEVELS.length - 1)];
  return {
    title,
    next: `再服务 ${nextStarHours} 小时升至${names[Math.min(5, star + 1)]}${nextLevel !== nextStarHours ? `（累计满 ${nextLevel} 小时）` : ''}`,
  };
}

export interface LedgerLine {
  id: string;
  amount: string;
  tone: 'credit' | 'debit' | 'correction';
  /** 服务入账, 时间支出, 社区更正. */
  kindText: string;
  reason: string;
  when: string;
}

/** A ledger entry as a line: credits green with +, debits with −, corrections named as such. */
export function ledgerLine(
  e: {
    id: string;
    kind: 'credit' | 'debit' | 'correction';
    deltaMin: number;
    reason: string;
    createdAt: string;
  },
  now: Date = new Date(),
): LedgerLine {
  const sign = e.deltaMin > 0 ? '+' : e.deltaMin < 0 ? '−' : '';
  const kindText = { credit: '服务入账', debit: '时间支出', correction: '社区更正' }[e.kind];
  return {
    id: e.id,
    amount: `${sign}${minutesText(Math.abs(e.deltaMin))}`,
    tone: e.kind === 'correction' ? 'correction' : e.deltaMin < 0 ? 'debit' : 'credit',
    kindText,
    reason: e.reason || kindText,
    when: whenText(e.createdAt, now),
  };
}

export interface BoardLine {
  key: string;
  rank: string;
  name: string;
  hours: string;
  star: number;
  me: boolean;
}

/** The leaderboard as rows: the BFF masks the names and leaves out those who opted out. */
export function boardLines(
  items: readonly { rank: number; name: string; earnedMin: number; star: number; me: boolean }[],
): BoardLine[] {
  return items.map((i) => ({
    key: `${i.rank}-${i.name}-${i.me ? 'me' : ''}`,
    rank: `第${i.rank}名`,
    name: i.me ? `${i.name}（我）` : i.name,
    hours: hoursText(i.earnedMin),
    star: i.star,
    me: i.me,
  }));
}

/** Under the leaderboard: where the volunteer is, or why they are not on it. */
export function boardNote(items: readonly { me: boolean; rank: number }[], optedOut: boolean): string {
  if (optedOut) return '您已选择不在排行榜上显示，别人看不到您的名字和时长';
  const mine = items.find((i) => i.me);
  if (mine) return `您目前排第 ${mine.rank} 名`;
  return items.length ? '您还不在前列，继续加油' : '排行榜暂时还没有人';
}

import { MAX_ALERT_CHARS as ALERT_MAX_CHARS } from 'shared';

/**
 * 紧急通知 (urgent alerts) as staff write and send them: the 110-character limit, the confirm that
 * says how many members it reaches, and the fan-out's progress. Pure; the BFF checks again.
 */

/** Characters as the BFF counts them: code points of the trimmed text (an emoji is one). */
export const alertLength = (text: string): number => [...text.trim()].length;

/** 「23/110」, and how far over the limit the text is. */
export function alertCounter(text: string): { text: string; over: number } {
  const length = alertLength(text);
  return { text: `${length}/${ALERT_MAX_CHARS}`, over: Math.max(0, length - ALERT_MAX_CHARS) };
}

/** What stops 发送 (null when the text is fine). */
export function alertProblem(text: string): string | null {
  const length = alertLength(text);
  if (length === 0) return '请写下要通知的内容';
  if (length > ALERT_MAX_CHARS) return `最多 ${ALERT_MAX_CHARS} 字，已超出 ${length - ALERT_MAX_CHARS} 字`;
  return null;
}

/** The confirm before sending: whom it reaches, and that the push cannot be recalled (撤回 only takes the banner down). */
export function sendConfirmText(members: number): string {
  if (members <= 0) return '本社区还没有已认证的居民，发出后没有人会收到。仍要发送吗？';
  return `将立即推送给本社区 ${members} 位居民（站内消息和微信提醒）。推送发出后收不回；之后只能从首页横幅撤下。`;
}

export interface AlertProgress {
  reached: number;
  total: number;
  /** True once the fan-out has written every member's message. */
  done: boolean;
}

/** 「正在推送：已送达 3,000 / 10,000 人」, then 「已全部送达 10,000 人」. */
export function progressText(p: AlertProgress): string {
  const n = (v: number) => v.toLocaleString('en-US');
  if (p.done) return p.total > 0 ? `已全部送达 ${n(p.total)} 人` : '没有需要送达的居民';
  return `正在推送：已送达 ${n(p.reached)} / ${n(p.total)} 人`;
}

/** The bar's fill, 0 to 100. */
export const progressPercent = (p: AlertProgress): number =>
  p.done || p.total <= 0 ? 100 : Math.min(100, Math.floor((p.reached / p.total) * 100));

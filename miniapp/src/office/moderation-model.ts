import { CASE_CAUSE_LABELS, type ModerationCase, POST_TOPIC_LABELS, REPORT_REASON_LABELS } from 'shared';

/** Pure pieces of the review queue (内容审核). */

/** 垃圾广告 ×3、辱骂攻击 ×1 — most reported first. */
export function reasonSummary(reasons: ModerationCase['reasons']): string {
  return [...reasons]
    .sort((a, b) => b.count - a.count)
    .map((r) => `${REPORT_REASON_LABELS[r.reason]} ×${r.count}`)
    .join('、');
}

/** 动态 · 宠物 / 评论 — what is under review. */
export function targetLabel(c: Pick<ModerationCase, 'targetType' | 'target'>): string {
  if (c.targetType === 'comment') return '评论';
  return c.target.topic ? `动态 · ${POST_TOPIC_LABELS[c.target.topic]}` : '动态';
}

/** Why it is in the queue, in one line: the cause, WeChat's label, the report count. */
export function causeLine(c: Pick<ModerationCase, 'cause' | 'checkLabel' | 'reportCount'>): string {
  const parts: string[] = [CASE_CAUSE_LABELS[c.cause]];
  if (c.checkLabel) parts.push(`检测结果：${c.checkLabel}`);
  if (c.reportCount > 0) parts.push(`${c.reportCount} 人举报`);
  return parts.join(' · ');
}

/** Reasons staff pick most often when removing; they may write their own. Sent to the author. */
export const REMOVE_REASONS = ['广告引流', '人身攻击', '泄露他人隐私', '虚假信息', '违法违规内容'] as const;

/** A removal needs a reason the author will read: 1..200 characters. */
export function removeReasonProblem(reason: string): string | null {
  const r = reason.trim();
  if (!r) return '请写下删除原因，作者会收到';
  if ([...r].length > 200) return '原因最多 200 字';
  return null;
}

/** A sensitive word to add: 1..20 characters, not already listed (compared as the BFF does). */
export function wordProblem(word: string, listed: readonly string[]): string | null {
  const w = word.trim();
  if (!w) return '请输入要屏蔽的词';
  if ([...w].length > 20) return '每个词最多 20 字';
  if (listed.some((x) => x.trim().toLowerCase() === w.toLowerCase())) return '这个词已经在列表里了';
  return null;
}

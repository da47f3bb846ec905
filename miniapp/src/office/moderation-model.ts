import {
  CASE_CAUSE_LABELS,
  type ModerationCase,
  POST_TOPIC_LABELS,
  REPORT_REASON_LABELS,
  REPORT_REASONS,
  type ReportReason,
} from 'shared';

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

/**
 * Why staff remove something: the same list residents report with (so a report of 诈骗信息 is removed
 * as 诈骗信息), and 其他 with their own words. The author is sent the label or those words.
 */
export const REMOVE_REASONS = REPORT_REASONS;

/** The reason the author reads: the picked label, or the words written under 其他. */
export function removeReasonText(pick: ReportReason | null, other: string): string {
  if (!pick) return '';
  return pick === 'other' ? other.trim() : REPORT_REASON_LABELS[pick];
}

/** A removal needs a reason the author will read: one picked, and 1..200 characters under 其他. */
export function removeReasonProblem(pick: ReportReason | null, other: string): string | null {
  if (!pick) return '请选择删除原因，作者会收到';
  const r = removeReasonText(pick, other);
  if (!r) return '请写下删除原因，作者会收到';
  if ([...r].length > 200) return '原因最多 200 字';
  return null;
}

/** The notes reporters wrote, identical ones (as trimmed) once with ×N, most repeated first. */
export function groupedNotes(notes: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const n of notes) {
    const key = n.trim();
    if (key) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).map(([note, n]) => (n > 1 ? `${note} ×${n}` : note));
}

/** A sensitive word to add: 1..20 characters, not already listed (compared as the BFF does). */
export function wordProblem(word: string, listed: readonly string[]): string | null {
  const w = word.trim();
  if (!w) return '请输入要屏蔽的词';
  if ([...w].length > 20) return '每个词最多 20 字';
  if (listed.some((x) => x.trim().toLowerCase() === w.toLowerCase())) return '这个词已经在列表里了';
  return null;
}

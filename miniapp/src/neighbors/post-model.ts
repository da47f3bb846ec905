import { COMMENT_MAX_CHARS, CONTENT_STATUS_LABELS, codePoints, type Reply } from 'shared';
import { ApiError } from '../api/errors';
import { authorName } from '../pages/neighbors/feed-model';

/** Pure pieces of a post's page: how a comment reads, whom a reply answers, the comment box. */

/**
 * A comment as this person sees it: its words when published; the author also sees their own
 * hidden or removed one with why; anyone else a placeholder where it was (the thread stays whole).
 */
export function commentView(c: Pick<Reply, 'status' | 'mine' | 'text' | 'moderation'>): {
  text: string | null;
  note: string | null;
} {
  if (c.status === 'published') return { text: c.text, note: null };
  if (c.status === 'deleted') return { text: null, note: '该评论已删除' };
  if (!c.mine) return { text: null, note: c.status === 'hidden' ? '该评论已被隐藏' : '该评论已被社区删除' };
  const reason = c.moderation?.reason;
  return { text: c.text, note: `${CONTENT_STATUS_LABELS[c.status]}${reason ? `。原因：${reason}` : ''}` };
}

/** 王阿姨 回复 李叔 — a reply names whom it answers when that is not the thread's first comment. */
export function replyHead(r: Pick<Reply, 'author' | 'replyTo'>): string {
  const name = authorName(r.author.name);
  return r.replyTo ? `${name} 回复 ${authorName(r.replyTo.name)}` : name;
}

/** What the comment box is answering: the post itself, or one comment or reply. */
export interface ReplyTarget {
  parentId: string;
  name: string;
}

export const replyTargetOf = (c: Pick<Reply, 'id' | 'author'>): ReplyTarget => ({
  parentId: c.id,
  name: authorName(c.author.name),
});

/** Problems with a comment before it is sent; null when it may go. */
export function commentProblem(text: string): string | null {
  if (!text.trim()) return '请写点内容';
  if (codePoints(text) > COMMENT_MAX_CHARS) return `评论最多 ${COMMENT_MAX_CHARS} 字`;
  return null;
}

/** 120/500 under the comment box. */
export const commentCount = (text: string) => `${codePoints(text)}/${COMMENT_MAX_CHARS}`;

/**
 * Sends a report. A 409 NEIGHBOR_ALREADY_REPORTED means this person's report is already on file
 * (sent from another page or device), which is what they wanted: 'already', not an error.
 */
export async function sendReport(send: () => Promise<unknown>): Promise<'reported' | 'already'> {
  try {
    await send();
    return 'reported';
  } catch (err) {
    if (err instanceof ApiError && err.code === 'NEIGHBOR_ALREADY_REPORTED') return 'already';
    throw err;
  }
}

/** The toast after 提交举报: thanks, or that the earlier report still stands. */
export const reportedToast = (outcome: 'reported' | 'already'): string =>
  outcome === 'reported' ? '已举报，谢谢您' : '你已经举报过了，社区会尽快处理';

/**
 * 通知公告 as staff publish and follow them: the form's checks and the read receipts in words.
 * Pure; the BFF checks again.
 */

export const NOTICE_TITLE_MAX = 60;
export const NOTICE_BODY_MAX = 5000;
export const NOTICE_MAX_IMAGES = 9;

export interface NoticeForm {
  title: string;
  body: string;
  imageIds: string[];
  pinned: boolean;
}

export type NoticeErrors = Partial<Record<'title' | 'body' | 'images', string>>;

export function noticeDraft(
  f: NoticeForm,
): { ok: true; draft: NoticeForm } | { ok: false; errors: NoticeErrors } {
  const errors: NoticeErrors = {};
  const title = f.title.trim();
  const body = f.body.trim();
  if (!title) errors.title = '请填写公告标题';
  else if ([...title].length > NOTICE_TITLE_MAX) errors.title = `标题请在 ${NOTICE_TITLE_MAX} 字以内`;
  if (!body) errors.body = '请填写公告内容';
  else if ([...body].length > NOTICE_BODY_MAX) errors.body = `内容请在 ${NOTICE_BODY_MAX} 字以内`;
  if (f.imageIds.length > NOTICE_MAX_IMAGES) errors.images = `最多 ${NOTICE_MAX_IMAGES} 张图片`;
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, draft: { title, body, imageIds: f.imageIds, pinned: f.pinned } };
}

export interface ReadStats {
  members: number;
  read: number;
  rate: number;
  households: number;
  householdsRead: number;
}

/** 「已读 12 / 40 人（30%）」 */
export function readRateText(s: ReadStats): string {
  if (s.members === 0) return '社区还没有已认证的居民';
  return `已读 ${s.read} / ${s.members} 人（${Math.round(s.rate * 100)}%）`;
}

/** 「8 / 20 户至少有一人已读」 */
export const householdsText = (s: ReadStats): string =>
  s.households === 0 ? '' : `${s.householdsRead} / ${s.households} 户至少有一人已读`;

/** How many have not opened it yet: what the 未读名单 button says. */
export const unreadCount = (s: ReadStats): number => Math.max(0, s.members - s.read);

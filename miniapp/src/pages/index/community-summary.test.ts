import { describe, expect, it } from 'vitest';
import { noticeSummary } from './community-summary';

const n = (title: string, pinned: boolean, read: boolean) => ({
  title,
  pinned,
  readAt: read ? '2026-12-01T00:00:00Z' : null,
});

describe('首页 社区公告', () => {
  it('counts the unread and names the newest pinned notice', () => {
    expect(
      noticeSummary({
        items: [n('停水', true, false), n('体检', false, true), n('垃圾分类', false, false)],
        nextCursor: null,
      }),
    ).toEqual({
      unreadText: '2 条未读',
      pinnedTitle: '停水',
    });
    expect(noticeSummary({ items: [n('体检', false, true)], nextCursor: null })).toEqual({
      unreadText: null,
      pinnedTitle: null,
    });
  });

  it('says 20+ when the whole first page is unread and there is more', () => {
    const items = Array.from({ length: 20 }, (_, i) => n(`公告 ${i}`, false, false));
    expect(noticeSummary({ items, nextCursor: 'c' }).unreadText).toBe('20+ 条未读');
  });
});

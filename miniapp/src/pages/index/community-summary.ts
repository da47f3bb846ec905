/** What 首页's 社区公告 row says, from the first page of notices (pinned first, then newest). */
export function noticeSummary(page: {
  items: { title: string; pinned: boolean; readAt: string | null }[];
  nextCursor: string | null;
}): { unreadText: string | null; pinnedTitle: string | null } {
  const unread = page.items.filter((n) => n.readAt === null).length;
  // Only the first page is counted: past it, 「20+ 条未读」 rather than a wrong number.
  const capped = unread === page.items.length && page.nextCursor !== null;
  return {
    unreadText: unread === 0 ? null : `${unread}${capped ? '+' : ''} 条未读`,
    pinnedTitle: page.items.find((n) => n.pinned)?.title ?? null,
  };
}

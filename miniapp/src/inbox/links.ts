/** Pages a notification may open, and where older link spellings moved to. */
const TAB_PAGES = ['/pages/index/index', '/pages/market/index', '/pages/orders/index', '/pages/mine/index'];
const SUB_PAGES = ['/membership/index', '/inbox/index', '/staff/memberships'];
const MOVED: Record<string, string> = {
  '/pages/membership/index': '/membership/index',
  '/pages/inbox/index': '/inbox/index',
  '/pages/staff/memberships': '/staff/memberships',
};

export type LinkTarget = { kind: 'tab' | 'page'; url: string } | null;

/** Maps a notification's link to a page of this app, or null when it points nowhere we know. */
export function resolveLink(link: string | null): LinkTarget {
  if (!link) return null;
  const [rawPath = '', query] = link.split('?');
  const normalized = rawPath.startsWith('/') ? rawPath : `/${rawPath}`;
  const path = MOVED[normalized] ?? normalized;
  if (TAB_PAGES.includes(path)) return { kind: 'tab', url: path };
  if (SUB_PAGES.includes(path)) return { kind: 'page', url: query ? `${path}?${query}` : path };
  return null;
}
